"""A unit's scorecard for one period under a scheme (pure). docs/ASSESSMENT.md has the formula.

- Each indicator earns `weight × clamp((value − floor) / (target − floor), 0, 1)` (the same
  with the signs turned for lower-is-better): full points at or beyond the target, zero at or
  beyond the floor, linear in between.
- An indicator without a figure (its denominator is 0: nothing to judge) is left out and the
  others are scaled up to the full weight (`scale = Σ weights / Σ weights with a figure`), so a
  unit is judged on what it had. With no figure at all the indicator part is the full weight.
- Deductions (the negative list): every event in the period, late and concealed report is
  deducted by the *first* line it matches (lines go from specific to general), each line at
  most its cap.
- total = max(0, scale × Σ points − Σ deductions). Each indicator's points and each
  deduction line are rounded half up to 0.01 first, and so is the scaled sum; without a
  missing figure (scale 1) the total is the sum of the printed parts.
- passed: total ≥ pass_score. A veto trigger that fires is reported whatever the total.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from govgrid.stats.indicators import Figure

from .scheme import (
    SEVERITY_ORDER,
    DeductionBasis,
    Direction,
    IndicatorRule,
    Scheme,
    Trigger,
    TriggerBasis,
)
from .vocabulary import EventKind, EventSeverity


@dataclass(frozen=True)
class IndicatorValue:
    value: float | None  # None: no figure (the denominator is 0)
    numerator: int
    denominator: int | None = None  # None for a count

    @classmethod
    def of(cls, figure: Figure) -> IndicatorValue:
        return cls(figure.value, figure.numerator, figure.denominator)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Event:
    """A registered major event (重大事件登记)."""

    id: int
    kind: EventKind
    severity: EventSeverity
    occurred_on: date
    case_id: int | None = None


class Lapse(enum.StrEnum):
    late = "late"  # 迟报
    concealed = "concealed"  # 瞒报 / 谎报 (counts as concealed only, not also late)


@dataclass(frozen=True)
class ReportLapse:
    """An urgent report of the period made late or concealed; `id` is the case's."""

    id: int
    lapse: Lapse


@dataclass(frozen=True)
class IndicatorScore:
    key: str
    value: float | None
    numerator: int
    denominator: int | None
    target: float
    floor: float
    weight: float
    met: bool | None  # None without a figure
    points: float | None  # on its own weight; None without a figure (left out)
    scaled: float  # counted in the total (0 without a figure)


@dataclass(frozen=True)
class DeductionLine:
    code: str
    basis: DeductionBasis
    count: int
    each: float
    points: float  # count × each, at most the cap
    capped: bool
    evidence: tuple[int, ...]  # event ids, or case ids of the reports


@dataclass(frozen=True)
class VetoHit:
    code: str
    basis: TriggerBasis
    evidence: tuple[int, ...]  # event ids, or case ids of concealed reports
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Scorecard:
    indicators: tuple[IndicatorScore, ...]
    deductions: tuple[DeductionLine, ...]
    scale: float
    indicator_points: float
    deducted: float
    total: float
    pass_score: float
    passed: bool
    vetoes: tuple[VetoHit, ...]  # every veto trigger that fired, in scheme order

    @property
    def veto(self) -> VetoHit | None:
        return self.vetoes[0] if self.vetoes else None

    @property
    def qualified(self) -> bool:
        """合格: passed and not vetoed."""
        return self.passed and not self.vetoes


def round2(x: float) -> float:
    return float(Decimal(str(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def indicator_points(rule: IndicatorRule, value: float) -> float:
    """weight × the share of the way from the floor to the target, within 0..1."""
    if rule.direction is Direction.higher_is_better:
        share = (value - rule.floor) / (rule.target - rule.floor)
    else:
        share = (rule.floor - value) / (rule.floor - rule.target)
    return rule.weight * min(1.0, max(0.0, round(share, 9)))  # 9 places: no float dust


def met(rule: IndicatorRule, value: float) -> bool:
    higher = rule.direction is Direction.higher_is_better
    return value >= rule.target if higher else value <= rule.target


def matches(event: Event, kinds: Iterable[EventKind], min_severity: EventSeverity) -> bool:
    return event.kind in kinds and (
        SEVERITY_ORDER.index(event.severity) >= SEVERITY_ORDER.index(min_severity))


def cluster(events: Iterable[Event], trigger: Trigger,
            period: Period | None = None) -> tuple[Event, ...] | None:
    """The first `count` (or more) matching events whose dates fit in `within_days`
    consecutive days, the latest of them in the period (so a cluster is not raised again in
    every later period); None if there is none. Events after the period are ignored."""
    found = sorted((e for e in events if matches(e, trigger.kinds, trigger.min_severity)
                    and (period is None or e.occurred_on <= period.end)),
                   key=lambda e: (e.occurred_on, e.id))
    for last in found:
        if period is not None and last.occurred_on not in period:
            continue
        first_day = (date.min if trigger.within_days is None
                     else last.occurred_on - timedelta(days=trigger.within_days - 1))
        window = tuple(e for e in found if first_day <= e.occurred_on <= last.occurred_on)
        if len(window) >= trigger.count:
            return window
    return None


def score(values: Mapping[str, IndicatorValue], events: Iterable[Event],
          late_reports: Iterable[ReportLapse], scheme: Scheme, *,
          period: Period | None = None, previous_passed: Sequence[bool] = ()) -> Scorecard:
    """`events`: the unit's registered events up to the end of the period (earlier ones only
    feed the veto windows); `late_reports`: the period's lapses; `previous_passed`: whether
    the preceding periods passed, most recent first (for `failed_periods`)."""
    events = tuple(events)
    lapses = tuple(sorted(late_reports, key=lambda r: (r.lapse, r.id)))
    raw: list[tuple[IndicatorRule, IndicatorValue, float | None]] = []
    for rule in scheme.indicators:
        value = values.get(rule.key, IndicatorValue(None, 0, 0))
        raw.append((rule, value, None if value.value is None
                    else round2(indicator_points(rule, value.value))))
    counted = sum(rule.weight for rule, _, points in raw if points is not None)
    full = sum(rule.weight for rule in scheme.indicators)
    scale = full / counted if counted else 1.0
    scores = tuple(IndicatorScore(
        rule.key, v.value, v.numerator, v.denominator, rule.target, rule.floor, rule.weight,
        None if v.value is None else met(rule, v.value), points,
        round2(points * scale) if points is not None else 0.0) for rule, v, points in raw)
    indicator_total = round2(sum(p for _, _, p in raw if p is not None) * scale
                             if counted else full)
    lines = _deductions(
        [e for e in sorted(events, key=lambda e: (e.occurred_on, e.id))
         if period is None or e.occurred_on in period], lapses, scheme)
    deducted = round2(sum(line.points for line in lines))
    total = max(0.0, round2(indicator_total - deducted))
    passed = total >= scheme.pass_score
    return Scorecard(scores, lines, scale, indicator_total, deducted, total, scheme.pass_score,
                     passed, _vetoes(events, lapses, passed, previous_passed, scheme, period))


def _deductions(events: Sequence[Event], lapses: Sequence[ReportLapse],
                scheme: Scheme) -> tuple[DeductionLine, ...]:
    hits: dict[str, list[int]] = {d.code: [] for d in scheme.deductions}
    for event in events:
        line = next((d for d in scheme.deductions if d.basis is DeductionBasis.major_event
                     and matches(event, d.kinds, d.min_severity)), None)
        if line is not None:
            hits[line.code].append(event.id)
    for lapse in lapses:
        basis = (DeductionBasis.late_report if lapse.lapse is Lapse.late
                 else DeductionBasis.concealed_report)
        line = next((d for d in scheme.deductions if d.basis is basis), None)
        if line is not None:
            hits[line.code].append(lapse.id)
    out = []
    for d in scheme.deductions:
        if hits[d.code]:
            points = round2(len(hits[d.code]) * d.points)
            capped = d.cap is not None and points > d.cap
            out.append(DeductionLine(d.code, d.basis, len(hits[d.code]), d.points,
                                     round2(d.cap) if capped and d.cap is not None else points,
                                     capped, tuple(hits[d.code])))
    return tuple(out)


def _vetoes(events: Sequence[Event], lapses: Sequence[ReportLapse], passed: bool,
            previous_passed: Sequence[bool], scheme: Scheme,
            period: Period | None) -> tuple[VetoHit, ...]:
    out = []
    for t in scheme.veto_triggers:
        if t.basis is TriggerBasis.events:
            found = cluster(events, t, period)
            if found:
                out.append(VetoHit(t.code, t.basis, tuple(e.id for e in found),
                                   {"count": len(found), "within_days": t.within_days}))
        elif t.basis is TriggerBasis.concealment:
            concealed = tuple(r.id for r in lapses if r.lapse is Lapse.concealed)
            if concealed:
                out.append(VetoHit(t.code, t.basis, concealed, {"count": len(concealed)}))
        else:
            earlier = list(previous_passed[:t.count - 1])
            if not passed and len(earlier) == t.count - 1 and not any(earlier):
                out.append(VetoHit(t.code, t.basis, (), {"periods": t.count}))
    return tuple(out)


@dataclass(frozen=True)
class Ranked:
    unit_id: int
    rank: int
    scorecard: Scorecard


def rank(scorecards: Mapping[int, Scorecard]) -> list[Ranked]:
    """Units without a veto first, then by total, highest first. Equal totals share a rank and
    the next rank skips (1, 2, 2, 4), listed by unit id; vetoed units follow, ranked the same
    way among themselves after every unit without one."""
    order = sorted(scorecards.items(), key=lambda kv: (bool(kv[1].vetoes), -kv[1].total, kv[0]))
    out: list[Ranked] = []
    for i, (unit_id, card) in enumerate(order):
        prev = out[-1] if out else None
        same = prev is not None and (bool(prev.scorecard.vetoes), prev.scorecard.total) == (
            bool(card.vetoes), card.total)
        out.append(Ranked(unit_id, prev.rank if same and prev else i + 1, card))
    return out
