"""The pipeline from cases per cell and month to patterns and grades, on a lattice: a block
that heats up month after month is an emerging hot spot and graded; a quiet county is not;
the settings round-trip through their JSON."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from govgrid.analysis.emerging import Pattern
from govgrid.analysis.pipeline import Facts, hot_spots, risk
from govgrid.analysis.risk import Grade, RiskConfig, from_data, to_data


def lattice(side: int) -> sparse.csr_matrix:
    """Queen contiguity of a side × side grid of cells, row by row."""
    n = side * side
    rows, cols = [], []
    for r in range(side):
        for c in range(side):
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    rr, cc = r + dr, c + dc
                    if (dr or dc) and 0 <= rr < side and 0 <= cc < side:
                        rows.append(r * side + c)
                        cols.append(rr * side + cc)
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))


SIDE = 12
BLOCK = [r * SIDE + c for r in (5, 6) for c in (5, 6)]


def counts(months: int, heating_from: int) -> np.ndarray:
    """Two cases in every cell every month; the block gets 2 + 4·k from month `heating_from`."""
    x = np.full((SIDE * SIDE, months), 2.0)
    for t in range(heating_from, months):
        x[BLOCK, t] = 2 + 4 * (t - heating_from + 1)
    x[0, :] += np.arange(months) % 2  # not all equal: some noise elsewhere
    return x


def test_a_block_heating_up_in_the_last_months_is_a_new_or_consecutive_hot_spot() -> None:
    spots = hot_spots(counts(12, heating_from=9), lattice(SIDE))
    assert spots.z.shape == (SIDE * SIDE, 12)
    for cell in BLOCK:
        assert spots.klass[cell, -1] == 3
        assert (spots.patterns[cell], spots.sides[cell]) == (Pattern.consecutive, 1)
        assert spots.trends[cell].z > 0
    far = SIDE * SIDE - 1
    assert spots.klass[far, -1] <= 0 and spots.sides[far] <= 0


def test_a_block_hot_all_year_and_rising_is_intensifying_and_red_with_facts() -> None:
    # Gi* is scale-free: a block that only grows while all else stays equal keeps its z. So
    # a varied background (Poisson, fixed seed) and a block rising above it, month by month.
    x = np.random.default_rng(7).poisson(3, (SIDE * SIDE, 12)).astype(float)
    for t in range(12):
        x[BLOCK, t] += 6 + t
    spots = hot_spots(x, lattice(SIDE))
    cell = BLOCK[0]
    assert spots.trends[cell].significant() == 1 and (spots.klass[cell] > 0).sum() >= 11
    assert spots.patterns[cell] == Pattern.intensifying and spots.sides[cell] == 1
    facts = Facts.none(SIDE * SIDE)
    facts.urgent[BLOCK[1]] = 1
    graded = risk(spots, facts, RiskConfig())
    # 3·3 (99 %) + 3 (intensifying) = 12: red; an urgent incident adds 5.
    assert graded.scores[cell] == 12 and graded.grades[cell] is Grade.red
    assert graded.scores[BLOCK[1]] == 17 and graded.grades[BLOCK[1]] is Grade.red
    assert graded.grades[SIDE * SIDE - 1] is Grade.blue and (spots.klass[:, -1] < 3).sum() > 100


def test_a_quiet_county_has_no_hot_spot_and_no_pattern() -> None:
    spots = hot_spots(np.zeros((9, 6)), lattice(3))
    assert np.isnan(spots.z).all() and not spots.klass.any()
    assert set(spots.patterns) == {Pattern.none}
    assert risk(spots, Facts.none(9), RiskConfig()).grades == [Grade.blue] * 9


def test_settings_round_trip_and_refuse_what_cannot_be_used() -> None:
    config = from_data({"weights": {"urgent": 8}, "thresholds": {"red": 20}})
    assert config.weights["urgent"] == 8 and config.weights["hot"] == 3
    assert from_data(to_data(config)) == config
    assert to_data(RiskConfig())["thresholds"] == {"red": 12.0, "orange": 7.0, "yellow": 3.0}
    for broken in ({"weights": {"hot": -1}}, {"thresholds": {"yellow": 50}},
                   {"weights": {"luck": 1}}):
        with pytest.raises(ValueError):
            from_data(broken)
