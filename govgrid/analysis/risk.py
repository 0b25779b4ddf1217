"""Risk grade of a grid cell (red / orange / yellow / blue), pure.

A cell's score is a weighted sum of what the month's cases say about it:

    score = w_hot · hot-spot level (Gi* class 0..3; cold and none count 0)
          + w_emerging · 1 if its emerging pattern is new, consecutive or intensifying
          + w_repeat · repeat places (cases within the repeat radius of an earlier case of
                       the same category, 90 days)
          + w_escalated · cases escalated (上交/提级) + w_rebound · cases reopened (反弹)
          + w_urgent · 重大紧急事件

and its grade the first threshold it reaches: red ≥ 12, orange ≥ 7, yellow ≥ 3, else blue.
The two hot-spot terms count only for a cell with cases of its own in the month: Gi* also
marks the quiet neighbours of a cluster (their neighbourhood holds its cases), and those are
shown as hot spots on the map but graded on their own facts.
Weights and thresholds are the county's to change (`RiskConfig`, stored per county). With the
defaults a 99 % hot spot (9) is orange, and red once it is also new, consecutive or
intensifying (12); a single ordinary dispute or repeat never colours a cell.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .emerging import Pattern


class Grade(enum.StrEnum):
    red = "red"  # 红
    orange = "orange"  # 橙
    yellow = "yellow"  # 黄
    blue = "blue"  # 蓝


RISING = frozenset({Pattern.new, Pattern.consecutive, Pattern.intensifying})


@dataclass(frozen=True)
class CellFacts:
    hot_level: int = 0  # Gi* class of the month: +3/+2/+1 hot, negative cold, 0 neither
    pattern: Pattern = Pattern.none
    pattern_side: int = 0  # +1 hot-spot pattern, -1 cold, 0 none
    repeats: int = 0
    escalated: int = 0
    rebounded: int = 0
    urgent: int = 0
    has_cases: bool = True  # cases of its own in the month (else the hot-spot terms are 0)


@dataclass(frozen=True)
class RiskConfig:
    weights: Mapping[str, float] = field(default_factory=lambda: {
        "hot": 3.0, "emerging": 3.0, "repeat": 1.0, "escalated": 1.0, "rebound": 2.0,
        "urgent": 5.0})
    # Lowest score of each grade, strictest first.
    thresholds: tuple[tuple[Grade, float], ...] = (
        (Grade.red, 12.0), (Grade.orange, 7.0), (Grade.yellow, 3.0))

    def __post_init__(self) -> None:
        missing = {"hot", "emerging", "repeat", "escalated", "rebound", "urgent"} - set(
            self.weights)
        if missing:
            raise ValueError(f"risk weights missing: {sorted(missing)}")
        if any(w < 0 for w in self.weights.values()):
            raise ValueError("risk weights cannot be negative")
        values = [t for _, t in self.thresholds]
        if values != sorted(values, reverse=True):
            raise ValueError("risk thresholds must fall from red to yellow")


def score(facts: CellFacts, config: RiskConfig) -> float:
    w = config.weights
    rising = facts.has_cases and facts.pattern_side > 0 and facts.pattern in RISING
    hot = max(facts.hot_level, 0) if facts.has_cases else 0
    return (w["hot"] * hot + w["emerging"] * rising
            + w["repeat"] * facts.repeats + w["escalated"] * facts.escalated
            + w["rebound"] * facts.rebounded + w["urgent"] * facts.urgent)


def grade(value: float, config: RiskConfig) -> Grade:
    for level, threshold in config.thresholds:
        if value >= threshold:
            return level
    return Grade.blue


WEIGHT_KEYS = ("hot", "emerging", "repeat", "escalated", "rebound", "urgent")


def to_data(config: RiskConfig) -> dict[str, Any]:
    """The JSON a county stores and the API shows: every weight and threshold."""
    return {"weights": {key: float(config.weights[key]) for key in WEIGHT_KEYS},
            "thresholds": {level.value: float(value) for level, value in config.thresholds}}


def from_data(data: Mapping[str, Any]) -> RiskConfig:
    """A stored or submitted configuration over the defaults (ValueError if unusable)."""
    default = RiskConfig()
    weights = {**default.weights, **dict(data.get("weights") or {})}
    thresholds = {level.value: value for level, value in default.thresholds}
    thresholds.update(dict(data.get("thresholds") or {}))
    unknown = (set(weights) - set(WEIGHT_KEYS)) | (set(thresholds) - {"red", "orange", "yellow"})
    if unknown:
        raise ValueError(f"unknown risk settings: {sorted(unknown)}")
    return RiskConfig(
        weights={key: float(value) for key, value in weights.items()},
        thresholds=tuple((Grade(level), float(thresholds[level]))
                         for level in ("red", "orange", "yellow")))
