"""The rules that propose a ladder step for a unit (pure), county rules art. 26:

| trigger | fires when | proposes |
|---|---|---|
| a veto trigger's code | a scheme veto trigger fires (scoring.py) | veto |
| an event trigger's code | its cluster of major events, the latest in the period | its step |
| `failed_assessment` | the period's total is below the pass score | notice |
| `late_report` | urgent reports made late in the period (迟报) | notice |
| `concealed_report` | urgent reports concealed in the period (瞒报) | notice |
| `rebound` | 反弹率 above the scheme's limit and not lower than the period before | notice |
| `not_rectified` | a confirmed step's deadline passed unrectified (`overdue_proposals`) | next |

Every proposal names its evidence (event ids, case ids, sanction ids, figures) and the
period's factors; 从重 raises the step (ladder.propose), a factor that is the trigger itself
excepted. Proposals come highest step first, then in the table's order (deterministic: the
same facts give the same list); ladder.folds_into says which of them are folded into a
sanction the unit already has.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .ladder import Sanction, overdue, propose
from .scheme import Scheme, TriggerBasis
from .scoring import Event, IndicatorValue, Lapse, Period, ReportLapse, Scorecard, cluster, score
from .vocabulary import Factor, Step

REBOUND = "rebound_rate"


@dataclass(frozen=True)
class Evidence:
    event_ids: tuple[int, ...] = ()
    case_ids: tuple[int, ...] = ()
    sanction_ids: tuple[int, ...] = ()
    figures: Mapping[str, Any] = field(default_factory=dict)

    def to_data(self) -> dict[str, Any]:
        return {"event_ids": list(self.event_ids), "case_ids": list(self.case_ids),
                "sanction_ids": list(self.sanction_ids), "figures": dict(self.figures)}


@dataclass(frozen=True)
class Proposal:
    unit_id: int | str  # passed through from the facts
    step: Step  # after 从重
    base_step: Step  # what the trigger calls for
    trigger: str
    params: Mapping[str, Any]
    evidence: Evidence
    factors: tuple[Factor, ...]  # every factor recorded for the period, sorted
    aggravated: bool
    mitigated: bool  # the deadline is extended when confirmed


@dataclass(frozen=True)
class UnitFacts:
    unit_id: int | str
    period: Period
    values: Mapping[str, IndicatorValue]
    events: tuple[Event, ...] = ()  # the unit's events up to the period's end
    lapses: tuple[ReportLapse, ...] = ()  # the period's late and concealed urgent reports
    factors: frozenset[Factor] = frozenset()  # recorded by county staff (obstruction, …)
    previous_values: Mapping[str, IndicatorValue] = field(default_factory=dict)
    previous_passed: tuple[bool, ...] = ()  # the preceding periods, most recent first
    scorecard: Scorecard | None = None  # computed from the above when None


def period_factors(facts: UnitFacts) -> frozenset[Factor]:
    """The recorded factors, plus 迟报 / 瞒报 when the period has such reports."""
    lapses = {r.lapse for r in facts.lapses}
    return facts.factors | {f for lapse, f in ((Lapse.late, Factor.late_report),
                                               (Lapse.concealed, Factor.concealment))
                            if lapse in lapses}


def evaluate(facts: UnitFacts, scheme: Scheme) -> list[Proposal]:
    card = facts.scorecard or score(facts.values, facts.events, facts.lapses, scheme,
                                    period=facts.period, previous_passed=facts.previous_passed)
    factors = period_factors(facts)
    out: list[Proposal] = []

    def add(step: Step, trigger: str, evidence: Evidence, params: Mapping[str, Any] | None = None,
            ignore: Iterable[Factor] = ()) -> None:
        decision = propose(step, factors, ignore)
        out.append(Proposal(facts.unit_id, decision.step, step, trigger, dict(params or {}),
                            evidence, tuple(sorted(factors)), decision.aggravated,
                            decision.mitigated))

    for hit in card.vetoes:
        if hit.basis is TriggerBasis.events:
            evidence = Evidence(event_ids=hit.evidence, case_ids=_cases(facts.events, hit.evidence))
        elif hit.basis is TriggerBasis.concealment:
            evidence = Evidence(case_ids=hit.evidence)
        else:
            evidence = Evidence(figures={"total": card.total, "pass_score": card.pass_score})
        add(Step.veto, hit.code, evidence, hit.params,
            ignore=(Factor.concealment,) if hit.basis is TriggerBasis.concealment else ())
    for trigger in scheme.event_triggers:
        found = cluster(facts.events, trigger, facts.period)
        if found:
            ids = tuple(e.id for e in found)
            add(trigger.step, trigger.code,
                Evidence(event_ids=ids, case_ids=_cases(facts.events, ids)),
                {"count": len(found), "within_days": trigger.within_days})
    if not card.passed:
        missed = {s.key: s.value for s in card.indicators if s.met is False}
        add(Step.notice, "failed_assessment",
            Evidence(figures={"total": card.total, "pass_score": card.pass_score,
                              "missed": missed}),
            {"total": card.total, "pass_score": card.pass_score})
    for lapse, code, factor in ((Lapse.late, "late_report", Factor.late_report),
                                (Lapse.concealed, "concealed_report", Factor.concealment)):
        ids = tuple(sorted(r.id for r in facts.lapses if r.lapse is lapse))
        if ids:
            add(Step.notice, code, Evidence(case_ids=ids), {"count": len(ids)}, ignore=(factor,))
    rebound = _rebound(facts, scheme)
    if rebound is not None:
        add(Step.notice, "rebound", Evidence(figures=rebound), rebound)
    return sorted(out, key=lambda p: -p.step.rank)  # stable: the table's order within a step


def _cases(events: Iterable[Event], ids: Iterable[int]) -> tuple[int, ...]:
    wanted = set(ids)
    return tuple(sorted({e.case_id for e in events if e.id in wanted and e.case_id is not None}))


def _rebound(facts: UnitFacts, scheme: Scheme) -> dict[str, Any] | None:
    """The figures when 反弹率 is above the limit with no improvement on the period before
    (a period without a figure is no improvement)."""
    now = facts.values.get(REBOUND)
    if scheme.rebound_limit is None or now is None or now.value is None:
        return None
    before = facts.previous_values.get(REBOUND)
    previous = before.value if before is not None else None
    if now.value <= scheme.rebound_limit or (previous is not None and now.value < previous):
        return None
    return {"value": now.value, "previous": previous, "limit": scheme.rebound_limit,
            "numerator": now.numerator, "denominator": now.denominator}


def overdue_proposals(unit_id: int | str, history: Iterable[Sanction], now: date,
                      factors: Iterable[Factor] = ()) -> list[Proposal]:
    """What `rq cron` proposes: for each confirmed step past its deadline unrectified, the
    next step (art. 29–31), with the overdue sanction as evidence. Not aggravated again by
    the factors the overdue sanction already carried; new `factors` do aggravate."""
    out = []
    for item in overdue(history, now):
        decision = propose(item.next_step, factors, ignore=item.sanction.factors)
        deadline = item.sanction.deadline
        out.append(Proposal(
            unit_id, decision.step, item.next_step, "not_rectified",
            {"sanction_id": item.sanction.id, "step": str(item.sanction.step),
             "deadline": deadline.isoformat() if deadline else None},
            Evidence(sanction_ids=(item.sanction.id,)), tuple(sorted(set(factors))),
            decision.aggravated, decision.mitigated))
    return sorted(out, key=lambda p: -p.step.rank)
