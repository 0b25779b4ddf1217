"""Getis-Ord Gi* hot spots over grid cells (pure: numpy and scipy, no Flask, no database).

For cell i with values x (one per cell) and spatial weights w (binary contiguity, or a
distance band), the cell itself included (w_ii = 1):

    Gi* = (Σ_j w_ij x_j − x̄ Σ_j w_ij) / (S √((n Σ_j w_ij² − (Σ_j w_ij)²) / (n − 1)))

with x̄ the mean of x and S = √(Σ_j x_j² / n − x̄²) (Ord & Getis 1995, as Esri's Hot Spot
Analysis computes it). Gi* is itself a z-score; p-values are two-sided from the standard
normal. Significance is judged after the Benjamini–Hochberg false-discovery-rate correction
over all evaluated cells; classes are ±3 / ±2 / ±1 for 99 / 95 / 90 % confidence.

Cases that have no answer are said so, never given a made-up one:
- fewer than two cells, or all values equal (all zero included): S = 0, nothing stands out
  — every cell `not_evaluated` with reason `constant` (or `too_few`);
- a cell with no neighbour but itself (an island): its "neighbourhood" is the cell alone and
  Gi* would only restate its own value — `not_evaluated` with reason `island`, and it is
  left out of the FDR correction.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.stats import norm

CONFIDENCE_LEVELS = ((0.01, 3), (0.05, 2), (0.10, 1))  # FDR-adjusted p below -> class


class Reason(enum.StrEnum):
    evaluated = "evaluated"
    too_few = "too_few"  # fewer than two cells
    constant = "constant"  # every value equal (all zero included)
    island = "island"  # no neighbour but itself


@dataclass(frozen=True)
class GiStar:
    z: np.ndarray  # Gi* z-scores (NaN where not evaluated)
    p: np.ndarray  # two-sided p-values (NaN where not evaluated)
    q: np.ndarray  # Benjamini–Hochberg adjusted p-values (NaN where not evaluated)
    klass: np.ndarray  # int: +3/+2/+1 hot, -3/-2/-1 cold at 99/95/90 %, 0 not significant
    reason: list[Reason]


def with_self(adjacency: sparse.spmatrix) -> sparse.csr_matrix:
    """Binary weights from a symmetric 0/1 adjacency (no self links), the cell included."""
    n = adjacency.shape[0]
    weights = sparse.csr_matrix(adjacency, dtype=float)
    weights.setdiag(0)
    weights.eliminate_zeros()
    weights.data[:] = 1.0
    return (weights + sparse.identity(n, format="csr")).tocsr()


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Adjusted p-values (q) for the false-discovery rate; NaN stays NaN."""
    q = np.full(p.shape, np.nan)
    finite = ~np.isnan(p)
    values = p[finite]
    m = values.size
    if m == 0:
        return q
    order = np.argsort(values)
    ranked = values[order] * m / np.arange(1, m + 1)
    # Monotone from the largest down: q_(i) = min over k >= i of p_(k) m / k.
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(ranked, 1.0)
    q[finite] = adjusted
    return q


def classify(z: np.ndarray, q: np.ndarray) -> np.ndarray:
    klass = np.zeros(z.shape, dtype=int)
    for alpha, level in reversed(CONFIDENCE_LEVELS):  # 90 % first, overwritten by stronger
        significant = ~np.isnan(q) & (q < alpha)
        klass[significant] = np.sign(z[significant]).astype(int) * level
    return klass


def gi_star(values: np.ndarray, adjacency: sparse.spmatrix) -> GiStar:
    """Gi* of every cell. `adjacency`: n×n, symmetric, 1 where two cells are neighbours
    (self links ignored: the cell is always included)."""
    x = np.asarray(values, dtype=float)
    n = x.size
    nan = np.full(n, np.nan)
    if n < 2:
        return GiStar(nan, nan.copy(), nan.copy(), np.zeros(n, dtype=int),
                      [Reason.too_few] * n)
    mean = x.mean()
    s = np.sqrt(max((x * x).mean() - mean * mean, 0.0))
    if s <= 1e-12 * max(1.0, abs(mean)):
        return GiStar(nan, nan.copy(), nan.copy(), np.zeros(n, dtype=int),
                      [Reason.constant] * n)
    w = with_self(adjacency)
    weight_sum = np.asarray(w.sum(axis=1)).ravel()
    weight_sq = np.asarray(w.multiply(w).sum(axis=1)).ravel()
    lag = w @ x
    island = weight_sum <= 1.0
    spread = np.sqrt(np.maximum(n * weight_sq - weight_sum**2, 0.0) / (n - 1))
    z = np.full(n, np.nan)
    ok = ~island & (spread > 0)
    z[ok] = (lag[ok] - mean * weight_sum[ok]) / (s * spread[ok])
    p = np.full(n, np.nan)
    p[ok] = 2.0 * norm.sf(np.abs(z[ok]))
    q = benjamini_hochberg(p)
    reason = [Reason.evaluated if good else Reason.island for good in ok]
    return GiStar(z, p, q, classify(z, q), reason)
