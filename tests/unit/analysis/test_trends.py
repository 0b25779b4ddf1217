"""Mann–Kendall on known sequences; each emerging hot-spot category on a crafted series."""

from __future__ import annotations

import math

import numpy as np
import pytest

from govgrid.analysis.emerging import Pattern, category
from govgrid.analysis.mann_kendall import mann_kendall


def test_mann_kendall_by_hand() -> None:
    # 1 2 3 4 5: every pair rises, S = 10, Var = 5·4·15/18 = 50/3, Z = 9/√(50/3).
    trend = mann_kendall(np.array([1, 2, 3, 4, 5]))
    assert trend.s == 10 and trend.variance == pytest.approx(50 / 3)
    assert trend.z == pytest.approx(9 / math.sqrt(50 / 3))
    assert trend.tau == 1.0
    assert trend.p == pytest.approx(math.erfc(trend.z / math.sqrt(2)))
    falling = mann_kendall(np.arange(12, 0, -1))
    assert falling.significant() == -1 and falling.tau == -1.0


def test_ties_reduce_the_variance() -> None:
    # 1 1 2 2: S = 4 (the two tied pairs count 0); Var = (4·3·13 − 2·(2·1·9)) / 18 = 120/18.
    trend = mann_kendall(np.array([1, 1, 2, 2]))
    assert trend.s == 4
    assert trend.variance == pytest.approx(120 / 18)


def test_no_trend_when_too_short_or_flat() -> None:
    assert mann_kendall(np.array([1.0, 2.0])).p == 1.0
    assert mann_kendall(np.array([3.0, 3.0, 3.0, 3.0])).significant() == 0
    assert mann_kendall(np.array([np.nan, 1.0, np.nan])).n == 1


RISING = np.linspace(1, 5, 12)
FALLING = RISING[::-1]
FLAT = np.array([2.5, 2.7, 2.4, 2.6, 2.5, 2.7, 2.4, 2.6, 2.5, 2.7, 2.4, 2.6])


@pytest.mark.parametrize("classes,z,expected", [
    ([0] * 11 + [2], FLAT, (Pattern.new, 1)),
    ([0] * 9 + [1, 2, 3], FLAT, (Pattern.consecutive, 1)),
    ([2] * 12, RISING, (Pattern.intensifying, 1)),
    ([2] * 12, FLAT, (Pattern.persistent, 1)),
    ([2] * 12, FALLING, (Pattern.diminishing, 1)),
    ([0, 1, 0, 2, 0, 0, 1, 0, 0, 2, 0, 3], FLAT, (Pattern.sporadic, 1)),
    ([0, -1, 0, 2, 0, 0, 1, 0, 0, 2, 0, 3], FLAT, (Pattern.oscillating, 1)),
    ([2] * 11 + [0], FLAT, (Pattern.historical, 1)),
    ([0] * 11 + [-2], FLAT, (Pattern.new, -1)),
    ([-2] * 12, FALLING, (Pattern.intensifying, -1)),  # colder and colder
    ([-3] * 11 + [0], FLAT, (Pattern.historical, -1)),
    ([0] * 12, FLAT, (Pattern.none, 0)),
    ([0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], FLAT, (Pattern.none, 0)),
])
def test_each_emerging_category(classes, z, expected) -> None:
    assert category(classes, mann_kendall(z)) == expected
