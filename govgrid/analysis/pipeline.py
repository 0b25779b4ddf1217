"""From cases per cell and month to hot spots, emerging patterns and risk grades (pure).

The job (analysis.job) reads the inputs from the database and stores what this returns; the
benchmark and the predictive check call the same functions, so what is measured and what is
checked is what runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .emerging import Pattern, category
from .gi_star import Reason, gi_star, with_self
from .mann_kendall import Trend, mann_kendall
from .risk import CellFacts, Grade, RiskConfig, grade, score


@dataclass(frozen=True)
class HotSpots:
    """Gi* of every slice (cells × months) and, per cell, the trend of its z-scores and its
    emerging pattern over all the slices."""

    z: np.ndarray
    p: np.ndarray
    q: np.ndarray
    klass: np.ndarray  # int, cells × months
    reason: list[Reason]  # of the final slice, per cell
    trends: list[Trend]
    patterns: list[Pattern]
    sides: np.ndarray  # +1 hot-spot pattern, −1 cold, 0 none


@dataclass(frozen=True)
class Facts:
    """What the month's cases say about each cell beyond their number (analysis.facts)."""

    repeats: np.ndarray
    escalated: np.ndarray
    rebounded: np.ndarray
    urgent: np.ndarray
    cases: np.ndarray | None = None  # the month's own cases (None: not known, counted as some)

    @classmethod
    def none(cls, n: int) -> Facts:
        zero = np.zeros(n, dtype=int)
        return cls(zero, zero.copy(), zero.copy(), zero.copy())


@dataclass(frozen=True)
class Risk:
    scores: np.ndarray
    grades: list[Grade]


def hot_spots(counts: np.ndarray, adjacency: sparse.spmatrix) -> HotSpots:
    """`counts`: cells × months (oldest first); `adjacency`: cells × cells, 0/1."""
    n, months = counts.shape
    weights = with_self(adjacency)  # built once for every slice
    z = np.full((n, months), np.nan)
    p, q = z.copy(), z.copy()
    klass = np.zeros((n, months), dtype=int)
    reason = [Reason.too_few] * n
    for t in range(months):
        result = gi_star(counts[:, t], weights)
        z[:, t], p[:, t], q[:, t], klass[:, t] = result.z, result.p, result.q, result.klass
        reason = result.reason
    trends = [mann_kendall(z[i]) for i in range(n)]
    found = [category(klass[i], trends[i]) for i in range(n)]
    return HotSpots(z, p, q, klass, reason, trends, [f[0] for f in found],
                    np.array([f[1] for f in found], dtype=int))


def risk(spots: HotSpots, facts: Facts, config: RiskConfig) -> Risk:
    """Score and grade of every cell for the final slice."""
    final = spots.klass[:, -1]
    scores = np.array([
        score(CellFacts(hot_level=int(final[i]), pattern=spots.patterns[i],
                        pattern_side=int(spots.sides[i]), repeats=int(facts.repeats[i]),
                        escalated=int(facts.escalated[i]), rebounded=int(facts.rebounded[i]),
                        urgent=int(facts.urgent[i]),
                        has_cases=facts.cases is None or bool(facts.cases[i] > 0)), config)
        for i in range(final.size)], dtype=float)
    return Risk(scores, [grade(value, config) for value in scores])
