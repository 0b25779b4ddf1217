"""Hit rate and PAI by hand; flagging by area share; the kernel-density baseline."""

from __future__ import annotations

import numpy as np
import pytest

from govgrid.analysis.prediction import check, flag, kernel_density


def test_flagging_stops_once_the_area_is_covered() -> None:
    scores = np.array([5.0, 9.0, 1.0, 7.0])
    areas = np.array([10.0, 10.0, 60.0, 20.0])  # shares 10 %, 10 %, 60 %, 20 %
    assert flag(scores, areas, 0.05).tolist() == [1]  # one cell, at least one
    assert flag(scores, areas, 0.10).tolist() == [1]
    assert flag(scores, areas, 0.25).tolist() == [1, 3]  # 10 % + 20 %
    # Equal scores: the smaller cell first, keeping the flagged area near the target.
    assert flag(np.array([1.0, 1.0]), np.array([30.0, 10.0]), 0.2).tolist() == [1]


def test_hit_rate_and_pai_by_hand() -> None:
    scores = np.array([9.0, 1.0, 5.0, 0.0])
    areas = np.array([5.0, 45.0, 5.0, 45.0])
    next_month = np.array([6, 2, 2, 0])
    result = check(scores, areas, next_month, 0.10)
    # Cells 0 and 2 (10 % of the area) hold 8 of 10 cases: hit rate 0.8, PAI 8.
    assert (result.cells, result.hits, result.total) == (2, 8, 10)
    assert result.area_share == pytest.approx(0.10)
    assert result.hit_rate == pytest.approx(0.8) and result.pai == pytest.approx(8.0)


def test_a_month_with_no_cases_has_no_rate() -> None:
    result = check(np.array([1.0, 0.0]), np.array([1.0, 1.0]), np.array([0, 0]), 0.5)
    assert result.hit_rate is None and result.pai is None


def test_kernel_density_peaks_where_the_points_are() -> None:
    centroids = np.array([[0.0, 0.0], [1000.0, 0.0], [5000.0, 0.0]])
    points = np.array([[0.0, 0.0], [100.0, 0.0]])
    density = kernel_density(centroids, points, bandwidth_m=500.0)
    assert density[0] > density[1] > density[2] >= 0
    # One point, at the centroid: 1 / (2π h²) per m², per km² times 1e6.
    single = kernel_density(np.zeros((1, 2)), np.zeros((1, 2)), 500.0)
    assert single[0] == pytest.approx(1e6 / (2 * np.pi * 500.0**2))
    assert kernel_density(centroids, np.empty((0, 2)), 500.0).tolist() == [0, 0, 0]
