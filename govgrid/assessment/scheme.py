"""The assessment scheme (考核方案) as data, pure: what is scored, the negative list, the veto
triggers and the ladder's timings of one county and year. `from_data` reads the stored JSON
(refusing anything unusable with a `SchemeError` naming a code and the offending path),
`to_data` writes it back with every key explicit. docs/ASSESSMENT.md explains each field;
scoring.py how an indicator's target, floor and weight give its points.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from govgrid.stats.indicators import BY_KEY, Kind

from .vocabulary import LADDER, EventKind, EventSeverity, Step

ALL_KINDS = tuple(EventKind)
SEVERITY_ORDER = tuple(EventSeverity)  # lowest first
T = TypeVar("T")
E = TypeVar("E", bound=enum.StrEnum)


class SchemeError(ValueError):
    """An unusable scheme: `code` for the message catalogue, `path` to the offending field."""

    def __init__(self, code: str, path: str, **params: Any) -> None:
        super().__init__(f"{path}: {code} {params or ''}".rstrip())
        self.code, self.path, self.params = code, path, params


class Direction(enum.StrEnum):
    higher_is_better = "higher_is_better"
    lower_is_better = "lower_is_better"


class DeductionBasis(enum.StrEnum):
    major_event = "major_event"  # per registered event of the kinds, at or above the severity
    late_report = "late_report"  # per urgent report made late (迟报)
    concealed_report = "concealed_report"  # per urgent report concealed or falsified (瞒报/谎报)


class TriggerBasis(enum.StrEnum):
    events = "events"  # `count` events of the kinds at or above the severity within the window
    concealment = "concealment"  # any concealed urgent report in the period
    failed_periods = "failed_periods"  # below the pass score `count` periods running


@dataclass(frozen=True)
class IndicatorRule:
    key: str  # a key of govgrid.stats.indicators.INDICATORS
    target: float  # a fraction 0..1 for a rate, a number for a count
    floor: float  # points reach zero here (below the target, above it if lower is better)
    weight: float  # points at or beyond the target
    direction: Direction


@dataclass(frozen=True)
class Deduction:
    code: str
    basis: DeductionBasis
    points: float  # deducted per occurrence
    kinds: tuple[EventKind, ...] = ()  # major_event only
    min_severity: EventSeverity = EventSeverity.ordinary  # major_event only
    cap: float | None = None  # at most this many points from this line


@dataclass(frozen=True)
class Trigger:
    """A rule proposing `step`. For `events`: `count` events of the kinds at or above
    `min_severity` whose dates fit in `within_days` consecutive days (None: no window; with
    count 1, a single event), the latest of them in the period."""

    code: str
    basis: TriggerBasis
    step: Step = Step.veto
    kinds: tuple[EventKind, ...] = ()
    min_severity: EventSeverity = EventSeverity.especially_serious
    count: int = 1
    within_days: int | None = None


@dataclass(frozen=True)
class Scheme:
    year: int
    indicators: tuple[IndicatorRule, ...]
    deductions: tuple[Deduction, ...]
    veto_triggers: tuple[Trigger, ...]  # step veto
    event_triggers: tuple[Trigger, ...]  # basis events, a step below the veto
    pass_score: float
    rebound_limit: float | None  # 反弹率 above it with no improvement proposes a 通报
    rectification_days: Mapping[Step, int]  # notice, interview, supervision
    mitigation_days: int  # 从轻: added to the rectification deadline
    disqualification_months: Mapping[Step, int]  # supervision, veto

    def rule(self, key: str) -> IndicatorRule | None:
        return next((r for r in self.indicators if r.key == key), None)


_SERIOUS, _EVENT = EventSeverity.serious, DeductionBasis.major_event
_MASS, _ACCIDENT = EventKind.mass_incident, EventKind.public_safety_accident
DEFAULT_SCHEME = Scheme(
    year=2024,
    indicators=(
        IndicatorRule("resolution_rate", 0.95, 0.75, 25, Direction.higher_is_better),
        IndicatorRule("on_time_rate", 0.95, 0.75, 20, Direction.higher_is_better),
        IndicatorRule("village_share", 0.70, 0.40, 15, Direction.higher_is_better),
        IndicatorRule("township_share", 0.95, 0.80, 15, Direction.higher_is_better),
        IndicatorRule("satisfaction_rate", 0.95, 0.70, 15, Direction.higher_is_better),
        IndicatorRule("rebound_rate", 0.05, 0.20, 10, Direction.lower_is_better),
    ),
    deductions=(  # an event is deducted by the first line it matches
        Deduction("homicide", _EVENT, 5, (EventKind.homicide,)),
        Deduction("mass_incident_major", _EVENT, 10, (_MASS,), EventSeverity.major),
        Deduction("mass_incident", _EVENT, 4, (_MASS,)),
        Deduction("major_crime", _EVENT, 3, (EventKind.major_crime,)),
        Deduction("public_safety_accident_serious", _EVENT, 5, (_ACCIDENT,), _SERIOUS),
        Deduction("public_safety_accident", _EVENT, 2, (_ACCIDENT,), cap=10),
        Deduction("late_report", DeductionBasis.late_report, 2, cap=10),
        Deduction("concealed_report", DeductionBasis.concealed_report, 10),
    ),
    veto_triggers=(
        Trigger("especially_serious_event", TriggerBasis.events, kinds=ALL_KINDS),
        Trigger("major_events_cluster", TriggerBasis.events, kinds=ALL_KINDS,
                min_severity=EventSeverity.major, count=3, within_days=90),
        Trigger("concealment", TriggerBasis.concealment),
        Trigger("failed_twice", TriggerBasis.failed_periods, count=2),
    ),
    event_triggers=(
        Trigger("serious_events_cluster", TriggerBasis.events, Step.interview, ALL_KINDS,
                _SERIOUS, count=2, within_days=90),
    ),
    pass_score=60,
    rebound_limit=0.15,
    rectification_days={Step.notice: 30, Step.interview: 30, Step.supervision: 60},
    mitigation_days=15,
    disqualification_months={Step.supervision: 6, Step.veto: 12},
)


def to_data(scheme: Scheme) -> dict[str, Any]:
    """JSON-ready, every key explicit (the stored form of a scheme version)."""
    return _plain(scheme)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value.value if isinstance(value, enum.Enum) else value


def from_data(data: Any) -> Scheme:
    """Read and check a stored scheme; the first problem raises SchemeError. Every key of
    to_data is required and no other is allowed."""
    _keys(data, "", Scheme)
    rules = _items(data, "indicators", _indicator, "key")
    if not rules:
        raise SchemeError("indicators_required", "indicators")
    total = sum(r.weight for r in rules)
    if abs(total - 100) > 1e-9:
        raise SchemeError("weights_must_sum_to_100", f"indicators[{len(rules) - 1}].weight",
                          total=total)
    limit = data["rebound_limit"]
    return Scheme(
        year=int(_num(data["year"], "year", 2000, 2100, integer=True)),
        indicators=rules,
        deductions=_items(data, "deductions", _deduction, "code"),
        veto_triggers=_items(data, "veto_triggers", partial(_trigger, veto=True), "code"),
        event_triggers=_items(data, "event_triggers", partial(_trigger, veto=False), "code"),
        pass_score=_num(data["pass_score"], "pass_score", 0, 100, positive=True),
        rebound_limit=None if limit is None else _num(limit, "rebound_limit", 0, 1),
        rectification_days=_per_step(data, "rectification_days", LADDER[:3]),
        mitigation_days=int(_num(data["mitigation_days"], "mitigation_days", 0, 365,
                                 integer=True)),
        disqualification_months=_per_step(data, "disqualification_months", LADDER[2:]),
    )


def _indicator(item: Any, path: str) -> IndicatorRule:
    _keys(item, path, IndicatorRule)
    indicator = BY_KEY.get(item["key"]) if isinstance(item["key"], str) else None
    if indicator is None:
        raise SchemeError("unknown_indicator", f"{path}.key", key=item["key"])
    direction = _enum(Direction, item["direction"], f"{path}.direction")
    if (direction is Direction.higher_is_better) != indicator.higher_is_better:
        raise SchemeError("direction_contradicts_indicator", f"{path}.direction")
    high = 1.0 if indicator.kind is Kind.rate else None
    target = _num(item["target"], f"{path}.target", 0, high)
    floor = _num(item["floor"], f"{path}.floor", 0, high)
    if (floor >= target) if direction is Direction.higher_is_better else (floor <= target):
        raise SchemeError("floor_on_wrong_side", f"{path}.floor", target=target)
    weight = _num(item["weight"], f"{path}.weight", 0, 100, positive=True)
    return IndicatorRule(indicator.key, target, floor, weight, direction)


def _deduction(item: Any, path: str) -> Deduction:
    _keys(item, path, Deduction)
    basis = _enum(DeductionBasis, item["basis"], f"{path}.basis")
    points = _num(item["points"], f"{path}.points", 0, 100, positive=True)
    cap = None if item["cap"] is None else _num(item["cap"], f"{path}.cap", points, None)
    return Deduction(_code(item, path), basis, points,
                     _kinds(item, path, basis is DeductionBasis.major_event),
                     _enum(EventSeverity, item["min_severity"], f"{path}.min_severity"), cap)


def _trigger(item: Any, path: str, *, veto: bool) -> Trigger:
    _keys(item, path, Trigger)
    basis = _enum(TriggerBasis, item["basis"], f"{path}.basis")
    step = _enum(Step, item["step"], f"{path}.step")
    if veto != (step is Step.veto):
        raise SchemeError("step_must_be_veto" if veto else "step_below_veto_required",
                          f"{path}.step")
    if not veto and basis is not TriggerBasis.events:
        raise SchemeError("basis_not_allowed", f"{path}.basis")
    is_events = basis is TriggerBasis.events
    low, high = {TriggerBasis.events: (1, 100), TriggerBasis.failed_periods: (2, 12)}.get(
        basis, (1, 1))
    count = int(_num(item["count"], f"{path}.count", low, high, integer=True))
    window = item["within_days"]
    if window is not None:
        window = int(_num(window, f"{path}.within_days", 1, 3660, integer=True))
    if is_events and count > 1 and window is None:
        raise SchemeError("window_required", f"{path}.within_days")
    if not is_events and window is not None:
        raise SchemeError("not_allowed", f"{path}.within_days")
    return Trigger(_code(item, path), basis, step, _kinds(item, path, is_events),
                   _enum(EventSeverity, item["min_severity"], f"{path}.min_severity"), count,
                   window)


def _per_step(data: Any, name: str, steps: tuple[Step, ...]) -> dict[Step, int]:
    _keys(data[name], name, tuple(str(s) for s in steps))
    return {s: int(_num(data[name][s], f"{name}.{s}", 1, 3660, integer=True)) for s in steps}


def _keys(data: Any, path: str, keys: type | tuple[str, ...]) -> None:
    if not isinstance(data, Mapping):
        raise SchemeError("must_be_object", path or "$")
    if isinstance(keys, type):
        keys = tuple(f.name for f in dataclasses.fields(keys))
    prefix = f"{path}." if path else ""
    for key in [k for k in data if k not in keys] + [k for k in keys if k not in data]:
        raise SchemeError("unknown_key" if key in data else "missing_key", f"{prefix}{key}")


def _items(data: Mapping[str, Any], name: str, read: Callable[[Any, str], T],
           unique: str) -> tuple[T, ...]:
    items = tuple(read(item, f"{name}[{i}]") for i, item in enumerate(_list(data[name], name)))
    seen = [getattr(item, unique) for item in items]
    for i, value in enumerate(seen):
        if value in seen[:i]:
            raise SchemeError("duplicate", f"{name}[{i}].{unique}", value=value)
    return items


def _list(data: Any, path: str) -> list[Any]:
    if isinstance(data, list):
        return data
    raise SchemeError("must_be_list", path)


def _num(value: Any, path: str, low: float, high: float | None, *, positive: bool = False,
         integer: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value \
            or abs(value) == float("inf"):
        raise SchemeError("must_be_number", path)
    if integer and not isinstance(value, int):
        raise SchemeError("must_be_integer", path)
    if positive and value <= 0:
        raise SchemeError("must_be_positive", path)
    if value < low or (high is not None and value > high):
        raise SchemeError("out_of_range", path, low=low, high=high)
    return value


def _enum(cls: type[E], value: Any, path: str) -> E:
    try:
        return cls(value)
    except ValueError:
        raise SchemeError("unknown_value", path, value=value) from None


def _kinds(item: Mapping[str, Any], path: str, wanted: bool) -> tuple[EventKind, ...]:
    path = f"{path}.kinds"
    kinds = tuple(_enum(EventKind, k, f"{path}[{i}]")
                  for i, k in enumerate(_list(item["kinds"], path)))
    if wanted != bool(kinds):
        raise SchemeError("kinds_required" if wanted else "not_allowed", path)
    if len(set(kinds)) != len(kinds):
        raise SchemeError("duplicate", path)
    return kinds


def _code(item: Mapping[str, Any], path: str) -> str:
    value = item["code"]
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        raise SchemeError("code_required", f"{path}.code")
    return value
