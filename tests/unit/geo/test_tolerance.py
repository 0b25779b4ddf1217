import pytest

from govgrid.geo.tolerance import MAX_TOLERANCE_DEG, resolve_tolerance, tolerance_for_zoom


def test_tolerance_halves_with_each_zoom_level():
    assert tolerance_for_zoom(12) == pytest.approx(tolerance_for_zoom(11) / 2)
    # Half a pixel of a 256-pixel tile at zoom 10.
    assert tolerance_for_zoom(10) == pytest.approx(360 / (256 * 1024) / 2)


def test_tolerance_is_capped_at_low_zoom():
    assert tolerance_for_zoom(0) == MAX_TOLERANCE_DEG


def test_explicit_tolerance_wins_over_zoom_and_none_means_full_detail():
    assert resolve_tolerance(0.001, 3) == 0.001
    assert resolve_tolerance(None, 10) == tolerance_for_zoom(10)
    assert resolve_tolerance(None, None) == 0.0
