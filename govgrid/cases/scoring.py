"""Ranking mediators for a case (pure: no Flask, no database).

Every score is a sum of named parts, each `weight × value` (value in [0, 1]) plus, for one
part, a penalty; the parts are shown to the dispatcher with a reason, so a suggestion can be
argued with rather than taken on trust. The weights of each severity add up to 100, so the
total reads as points out of 100 (clamped to [0, 100] because of the penalty).

| part | general case | 较大 and graver | value |
|---|---|---|---|
| specialty | 40 | 35 | 1.0 exact 4-digit category, 0.6 same first-level group, 0 none |
| legal_training | 5 (a bonus) | 20, and −20 without | 1.0 trained, 0 not |
| load | 25 | 20 | 1 − active / max_active_cases; 0 and flagged "full" at capacity |
| distance | 20 | 15 | exp(−km / 15); 0.5 when unknown |
| unit | 10 | 10 | 1.0 the unit holding the case, 0.5 a unit above it, 0 elsewhere |

Ordering (`rank`): candidates at or over capacity come after all others whatever their score
(a full mediator cannot take the case today, however well they fit); then by total, higher
first; then by user id, so equal scores always list in the same order.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .vocabulary import Severity

# 较大, 重大, 特别重大: cases where a mediator without legal training is a real risk (the
# agreement may need judicial confirmation, or the dispute may turn criminal).
GRAVE = frozenset({Severity.major, Severity.serious, Severity.especially_serious})

WEIGHTS_GENERAL: Mapping[str, float] = {
    "specialty": 40, "legal_training": 5, "load": 25, "distance": 20, "unit": 10}
WEIGHTS_GRAVE: Mapping[str, float] = {
    "specialty": 35, "legal_training": 20, "load": 20, "distance": 15, "unit": 10}
UNTRAINED_PENALTY = 20.0  # grave cases: an untrained mediator loses this on top of the weight

EXACT_MATCH = 1.0
GROUP_MATCH = 0.6
DISTANCE_SCALE_KM = 15.0  # value 1/e at 15 km: a township's width, about an hour's round trip
UNKNOWN_DISTANCE = 0.5  # neutral: neither rewards nor punishes a missing location
ANCESTOR_UNIT = 0.5

FULL = "full"
UNTRAINED = "untrained"  # flagged only where training is expected (grave cases)


class Reason(enum.StrEnum):
    """Why a part has its value; the API turns each into a sentence in the user's language."""

    specialty_exact = "specialty_exact"
    specialty_group = "specialty_group"
    specialty_none = "specialty_none"
    legal_trained_required = "legal_trained_required"
    legal_untrained_required = "legal_untrained_required"
    legal_trained_bonus = "legal_trained_bonus"
    legal_untrained_general = "legal_untrained_general"
    load = "load"
    load_full = "load_full"
    distance = "distance"
    distance_approximate = "distance_approximate"
    distance_unknown = "distance_unknown"
    unit_same = "unit_same"
    unit_ancestor = "unit_ancestor"
    unit_other = "unit_other"


@dataclass(frozen=True)
class Candidate:
    """A mediator as the score sees them; `distance_km` is computed by the caller (PostGIS,
    on the spheroid) and None when the mediator or the case has no location."""

    user_id: int
    specialties: tuple[str, ...]
    legal_training: bool
    active_cases: int
    max_active_cases: int
    distance_km: float | None
    unit_path: str | None


@dataclass(frozen=True)
class CaseFacts:
    category_code: str  # the 4-digit leaf category
    severity: Severity
    owner_unit_path: str | None
    # True when the case has no GPS point and distances are measured to the unit where it
    # happened: still useful for ranking, but the dispatcher should know.
    distance_approximate: bool = False


@dataclass(frozen=True)
class Part:
    name: str
    weight: float
    value: float
    contribution: float
    reason: Reason
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    user_id: int
    total: float
    parts: tuple[Part, ...]
    flags: frozenset[str]

    @property
    def is_full(self) -> bool:
        return FULL in self.flags


def _part(name: str, weight: float, value: float, reason: Reason, penalty: float = 0.0,
          **params: object) -> Part:
    return Part(name, weight, round(value, 4), round(weight * value - penalty, 2), reason,
                params)


def specialty_part(specialties: Iterable[str], category_code: str, weight: float) -> Part:
    codes = set(specialties)
    if category_code in codes:
        return _part("specialty", weight, EXACT_MATCH, Reason.specialty_exact, code=category_code)
    group = category_code[:2]
    # A 2-digit specialty ("02") and a sibling leaf ("0202" for a "0201" case) both mean
    # experience with this kind of dispute, not with this exact one.
    match = sorted(c for c in codes if c[:2] == group)
    if match:
        return _part("specialty", weight, GROUP_MATCH, Reason.specialty_group, code=match[0])
    return _part("specialty", weight, 0.0, Reason.specialty_none)


def legal_part(trained: bool, severity: Severity, weight: float) -> Part:
    if severity in GRAVE:
        if trained:
            return _part("legal_training", weight, 1.0, Reason.legal_trained_required)
        return _part("legal_training", weight, 0.0, Reason.legal_untrained_required,
                     penalty=UNTRAINED_PENALTY)
    if trained:
        return _part("legal_training", weight, 1.0, Reason.legal_trained_bonus)
    return _part("legal_training", weight, 0.0, Reason.legal_untrained_general)


def load_part(active: int, capacity: int, weight: float) -> Part:
    if capacity <= 0 or active >= capacity:
        return _part("load", weight, 0.0, Reason.load_full, active=active, max=capacity)
    return _part("load", weight, 1.0 - active / capacity, Reason.load, active=active,
                 max=capacity)


def distance_part(km: float | None, approximate: bool, weight: float) -> Part:
    if km is None:
        return _part("distance", weight, UNKNOWN_DISTANCE, Reason.distance_unknown)
    km = max(km, 0.0)
    reason = Reason.distance_approximate if approximate else Reason.distance
    return _part("distance", weight, math.exp(-km / DISTANCE_SCALE_KM), reason,
                 km=round(km, 1))


def unit_part(mediator_path: str | None, owner_path: str | None, weight: float) -> Part:
    if mediator_path and owner_path:
        if mediator_path == owner_path:
            return _part("unit", weight, 1.0, Reason.unit_same)
        if owner_path.startswith(mediator_path + "."):
            return _part("unit", weight, ANCESTOR_UNIT, Reason.unit_ancestor)
    return _part("unit", weight, 0.0, Reason.unit_other)


def weights_for(severity: Severity) -> Mapping[str, float]:
    return WEIGHTS_GRAVE if severity in GRAVE else WEIGHTS_GENERAL


def score(candidate: Candidate, case: CaseFacts) -> Suggestion:
    weights = weights_for(case.severity)
    parts = (
        specialty_part(candidate.specialties, case.category_code, weights["specialty"]),
        legal_part(candidate.legal_training, case.severity, weights["legal_training"]),
        load_part(candidate.active_cases, candidate.max_active_cases, weights["load"]),
        distance_part(candidate.distance_km, case.distance_approximate, weights["distance"]),
        unit_part(candidate.unit_path, case.owner_unit_path, weights["unit"]),
    )
    flags = set()
    if parts[2].reason is Reason.load_full:
        flags.add(FULL)
    if parts[1].reason is Reason.legal_untrained_required:
        flags.add(UNTRAINED)
    total = min(100.0, max(0.0, sum(p.contribution for p in parts)))
    return Suggestion(candidate.user_id, round(total, 1), parts, frozenset(flags))


def sort_key(suggestion: Suggestion) -> tuple[bool, float, int]:
    return (suggestion.is_full, -suggestion.total, suggestion.user_id)


def rank(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    return sorted(suggestions, key=sort_key)
