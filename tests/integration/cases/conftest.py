"""Fixtures of the case tests."""

import pytest

from tests.support.cases import village_point


@pytest.fixture
def cell_point(demo_county):
    """A point inside 保南村 (lon, lat)."""
    return village_point(demo_county)
