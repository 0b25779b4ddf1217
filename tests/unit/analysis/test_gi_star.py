"""Gi* against values computed by hand from the formula, on small lattices; islands,
all-zero, constant and single-cell inputs; the Benjamini–Hochberg correction."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import sparse

from govgrid.analysis.gi_star import Reason, benjamini_hochberg, gi_star


def line(n: int) -> sparse.csr_matrix:
    """Cells 0-1-2-…-(n-1) in a row, each touching the next."""
    rows = list(range(n - 1)) + list(range(1, n))
    cols = list(range(1, n)) + list(range(n - 1))
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))


def test_a_line_of_five_by_hand() -> None:
    x = np.array([1.0, 2.0, 3.0, 4.0, 10.0])
    result = gi_star(x, line(5))
    # x̄ = 4, S = √(130/5 − 16) = √10. Cell 0: neighbourhood {0, 1}: Σw = 2, Σwx = 3,
    # spread = √((5·2 − 4) / 4) = √1.5, so z = (3 − 8) / (√10 · √1.5) = −5 / √15.
    assert result.z[0] == pytest.approx(-5 / math.sqrt(15))
    # Cell 4: {3, 4}: Σwx = 14, z = (14 − 8) / √15.
    assert result.z[4] == pytest.approx(6 / math.sqrt(15))
    # Cell 2: {1, 2, 3}: Σw = 3, Σwx = 9, spread = √((15 − 9) / 4) = √1.5, z = −3 / √15.
    assert result.z[2] == pytest.approx(-3 / math.sqrt(15))
    assert result.p[4] == pytest.approx(math.erfc(abs(result.z[4]) / math.sqrt(2)))
    assert result.reason == [Reason.evaluated] * 5


def test_a_hot_block_in_a_grid_is_hot_and_survives_the_fdr() -> None:
    side = 10
    n = side * side
    rows, cols = [], []
    for r in range(side):
        for c in range(side):
            i = r * side + c
            for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):  # queen contiguity
                rr, cc = r + dr, c + dc
                if 0 <= rr < side and 0 <= cc < side:
                    j = rr * side + cc
                    rows += [i, j]
                    cols += [j, i]
    adjacency = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    x = np.ones(n)
    for r in range(3):
        for c in range(3):
            x[r * side + c] = 20.0  # a 3×3 block of many cases in one corner
    result = gi_star(x, adjacency)
    centre = 1 * side + 1
    assert result.klass[centre] == 3  # hot at 99 %
    far = 9 * side + 9
    assert result.klass[far] <= 0
    assert result.z[centre] == result.z.max()


def test_all_zero_and_constant_inputs_are_not_evaluated() -> None:
    for values in (np.zeros(4), np.full(4, 7.0)):
        result = gi_star(values, line(4))
        assert np.isnan(result.z).all() and (result.klass == 0).all()
        assert result.reason == [Reason.constant] * 4


def test_a_single_cell_is_too_few() -> None:
    result = gi_star(np.array([5.0]), sparse.csr_matrix((1, 1)))
    assert result.reason == [Reason.too_few] and np.isnan(result.z[0])


def test_an_island_is_left_out_and_the_rest_evaluated() -> None:
    adjacency = line(4).tolil()
    adjacency.resize((5, 5))  # cell 4 touches nobody
    result = gi_star(np.array([1.0, 2.0, 3.0, 4.0, 9.0]), adjacency.tocsr())
    assert result.reason[4] is Reason.island and np.isnan(result.z[4])
    assert np.isnan(result.q[4]) and result.klass[4] == 0
    assert not np.isnan(result.z[:4]).any()


def test_benjamini_hochberg_by_hand() -> None:
    p = np.array([0.01, 0.04, 0.03, 0.20, np.nan])
    # Sorted 0.01, 0.03, 0.04, 0.20 (m = 4): 0.04, 0.06, 0.0533, 0.20 -> monotone from the
    # top: 0.04, 0.0533, 0.0533, 0.20.
    q = benjamini_hochberg(p)
    assert q[0] == pytest.approx(0.04)
    assert q[2] == pytest.approx(0.04 * 4 / 3)
    assert q[1] == pytest.approx(0.04 * 4 / 3)
    assert q[3] == pytest.approx(0.20)
    assert np.isnan(q[4])
