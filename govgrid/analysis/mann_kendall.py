"""The Mann–Kendall trend test of one series (pure).

S = Σ_{i<j} sign(x_j − x_i); under no trend S has mean 0 and variance
    Var(S) = [n(n−1)(2n+5) − Σ_t t(t−1)(2t+5)] / 18
(t: the size of each group of tied values). With the continuity correction
    Z = (S − 1)/√Var if S > 0,  0 if S = 0,  (S + 1)/√Var if S < 0,
and the two-sided p-value from the standard normal. Kendall's τ = S / (n(n−1)/2).
NaN values (time steps not evaluated) are left out; fewer than three values give no trend.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

MIN_VALUES = 3


@dataclass(frozen=True)
class Trend:
    s: int
    variance: float
    z: float
    p: float  # two-sided; 1.0 when there is no trend to test
    tau: float
    n: int

    def significant(self, alpha: float = 0.05) -> int:
        """+1 significantly rising, −1 falling, 0 neither."""
        if self.p < alpha:
            return 1 if self.z > 0 else -1
        return 0


def mann_kendall(series: np.ndarray) -> Trend:
    x = np.asarray(series, dtype=float)
    x = x[~np.isnan(x)]
    n = x.size
    if n < MIN_VALUES:
        return Trend(0, 0.0, 0.0, 1.0, 0.0, n)
    differences = np.sign(x[None, :] - x[:, None])
    s = int(np.triu(differences, k=1).sum())
    _, counts = np.unique(x, return_counts=True)
    ties = counts[counts > 1]
    variance = (n * (n - 1) * (2 * n + 5)
                - float(np.sum(ties * (ties - 1) * (2 * ties + 5)))) / 18.0
    if variance <= 0:
        return Trend(s, 0.0, 0.0, 1.0, 0.0, n)
    if s > 0:
        z = (s - 1) / np.sqrt(variance)
    elif s < 0:
        z = (s + 1) / np.sqrt(variance)
    else:
        z = 0.0
    p = float(2.0 * norm.sf(abs(z)))
    return Trend(s, float(variance), float(z), p, s / (n * (n - 1) / 2), n)
