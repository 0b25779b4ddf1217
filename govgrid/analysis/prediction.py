"""Does the map predict? (pure)

For a month, cells are ranked by a score (our risk score, or the kernel-density baseline) and
flagged from the top until the flagged cells cover the target share of the county's area
(1 %, 5 %, 10 %). Against the next month's cases:

    hit rate = cases in flagged cells / all cases
    PAI      = hit rate / area share actually flagged   (Predictive Accuracy Index)

A PAI of 1 is no better than flagging at random; ties in score are broken by area (smaller
first, so the flagged area stays closest to the target) and then by position, so the answer
is reproducible. The kernel-density baseline is the classic one: a Gaussian kernel of the
previous period's case points, evaluated at each cell's centroid (coordinates in metres).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TARGETS = (0.01, 0.05, 0.10)


@dataclass(frozen=True)
class Check:
    target: float  # share of area asked for
    area_share: float  # share actually flagged (whole cells: at least the target)
    cells: int
    hits: int
    total: int
    hit_rate: float | None  # None when the next month had no cases
    pai: float | None


def flag(scores: np.ndarray, areas: np.ndarray, target: float) -> np.ndarray:
    """Indices of the cells flagged: best score first until their area reaches the target
    share (at least one cell when any area is asked for)."""
    order = np.lexsort((np.arange(scores.size), areas, -scores))
    cumulative = np.cumsum(areas[order]) / areas.sum()
    count = int(np.searchsorted(cumulative, target - 1e-12) + 1)
    return order[:min(count, scores.size)]


def check(scores: np.ndarray, areas: np.ndarray, next_counts: np.ndarray,
          target: float) -> Check:
    chosen = flag(np.asarray(scores, float), np.asarray(areas, float), target)
    share = float(areas[chosen].sum() / areas.sum())
    hits = int(next_counts[chosen].sum())
    total = int(next_counts.sum())
    rate = hits / total if total else None
    return Check(target, share, int(chosen.size), hits, total, rate,
                 rate / share if rate is not None and share > 0 else None)


def kernel_density(centroids: np.ndarray, points: np.ndarray, bandwidth_m: float) -> np.ndarray:
    """Gaussian kernel density of `points` (k×2, metres) at `centroids` (n×2, metres),
    in points per square kilometre. No points: zero everywhere."""
    if points.size == 0:
        return np.zeros(len(centroids))
    d2 = ((centroids[:, None, :] - points[None, :, :]) ** 2).sum(axis=2)
    kernel = np.exp(-d2 / (2 * bandwidth_m**2)) / (2 * np.pi * bandwidth_m**2)
    return kernel.sum(axis=1) * 1e6
