"""Emerging hot-spot categories of one cell from its Gi* results over monthly slices (pure),
following the definitions of Esri's Emerging Hot Spot Analysis.

Input: the cell's class per time step, oldest first (+1..+3 hot, −1..−3 cold, 0 neither;
only the sign matters here) and the Mann–Kendall trend of its Gi* z-scores. "Hot" below means
a statistically significant hot spot (any confidence); "90 %" means at least 90 % of the
time steps. Rules for hot spots, tried in this order (cold spots mirror them):

- new: hot in the final step, never hot before.
- consecutive: a single uninterrupted run of at least two hot steps ending in the final step,
  never hot before that run, and hot in less than 90 % of the steps.
- intensifying: hot in 90 % of the steps including the final one, and the z-scores rise
  significantly (Mann–Kendall, α = 0.05).
- persistent: hot in 90 % of the steps including the final one, with no significant trend.
- diminishing: hot in 90 % of the steps including the final one, and the z-scores fall
  significantly.
- sporadic: hot in the final step, hot in less than 90 % of the steps, never cold.
- oscillating: hot in the final step, hot in less than 90 % of the steps, cold at least once.
- historical: not hot in the final step, but hot in at least 90 % of the steps.
- none: no pattern detected.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from .mann_kendall import Trend

SHARE = 0.9
TREND_ALPHA = 0.05


class Pattern(enum.StrEnum):
    new = "new"
    consecutive = "consecutive"
    intensifying = "intensifying"
    persistent = "persistent"
    diminishing = "diminishing"
    sporadic = "sporadic"
    oscillating = "oscillating"
    historical = "historical"
    none = "none"


def category(classes: Sequence[int], trend: Trend) -> tuple[Pattern, int]:
    """(pattern, +1 for a hot-spot pattern / −1 cold / 0 none)."""
    hot = _pattern([c > 0 for c in classes], [c < 0 for c in classes], trend.significant(
        TREND_ALPHA))
    if hot is not Pattern.none:
        return hot, 1
    cold = _pattern([c < 0 for c in classes], [c > 0 for c in classes],
                    -trend.significant(TREND_ALPHA))
    if cold is not Pattern.none:
        return cold, -1
    return Pattern.none, 0


def _pattern(spot: list[bool], opposite: list[bool], rising: int) -> Pattern:
    """The rules for one side: `spot` (hot for hot spots), `opposite` (cold), `rising` the
    trend's sign in that side's direction (+1 intensifying)."""
    steps = len(spot)
    if steps == 0:
        return Pattern.none
    share = sum(spot) / steps
    final = spot[-1]
    run = 0
    while run < steps and spot[steps - 1 - run]:
        run += 1
    before_run = spot[: steps - run]
    if final and not any(spot[:-1]):
        return Pattern.new
    if final and run >= 2 and not any(before_run) and share < SHARE:
        return Pattern.consecutive
    if final and share >= SHARE:
        if rising > 0:
            return Pattern.intensifying
        if rising < 0:
            return Pattern.diminishing
        return Pattern.persistent
    if final and share < SHARE:
        return Pattern.oscillating if any(opposite) else Pattern.sporadic
    if not final and share >= SHARE:
        return Pattern.historical
    return Pattern.none
