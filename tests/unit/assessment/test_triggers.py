"""Each rule on crafted facts of one township for May 2024: what it proposes, with which
evidence and factors, in which order."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from govgrid.assessment.ladder import Action, Sanction, transition
from govgrid.assessment.scheme import DEFAULT_SCHEME
from govgrid.assessment.scoring import Event, IndicatorValue, Lapse, Period, ReportLapse
from govgrid.assessment.triggers import Evidence, UnitFacts, evaluate, overdue_proposals
from govgrid.assessment.vocabulary import EventKind, EventSeverity, Factor, SanctionState, Step

K, S, F = EventKind, EventSeverity, Factor
MAY = Period(date(2024, 5, 1), date(2024, 5, 31))
LENIENT = replace(DEFAULT_SCHEME, pass_score=40)  # to see one rule at a time


def rate(value: float | None, numerator: int = 0, denominator: int = 0) -> IndicatorValue:
    return IndicatorValue(value, numerator, denominator)


GOOD = {"resolution_rate": rate(0.97, 97, 100), "on_time_rate": rate(0.96, 24, 25),
        "village_share": rate(0.75, 15, 20), "township_share": rate(1.0, 20, 20),
        "satisfaction_rate": rate(1.0, 10, 10), "rebound_rate": rate(0.0, 0, 20)}
FAILING = GOOD | {"resolution_rate": rate(0.5, 5, 10), "on_time_rate": rate(0.5, 5, 10)}


def facts(**kw: object) -> UnitFacts:
    return UnitFacts(**({"unit_id": 7, "period": MAY, "values": GOOD} | kw))  # type: ignore[arg-type]


def summary(proposals: list) -> list[tuple[str, Step, Step, bool]]:
    return [(p.trigger, p.step, p.base_step, p.aggravated) for p in proposals]


def test_a_unit_in_good_order_gets_nothing() -> None:
    assert evaluate(facts(), DEFAULT_SCHEME) == []


def test_failing_the_assessment_proposes_a_notice() -> None:
    [p] = evaluate(facts(values=FAILING), DEFAULT_SCHEME)
    assert (p.unit_id, p.trigger, p.step, p.factors) == (7, "failed_assessment", Step.notice, ())
    assert p.params == {"total": 55.0, "pass_score": 60}  # 100 − 25 − 20
    assert p.evidence.figures["missed"] == {"resolution_rate": 0.5, "on_time_rate": 0.5}


def test_an_especially_serious_event_proposes_the_veto() -> None:
    events = (Event(3, K.mass_incident, S.especially_serious, date(2024, 5, 9), 301),)
    proposals = evaluate(facts(events=events), DEFAULT_SCHEME)
    assert summary(proposals) == [("especially_serious_event", Step.veto, Step.veto, False)]
    assert proposals[0].evidence == Evidence(event_ids=(3,), case_ids=(301,))
    assert proposals[0].params == {"count": 1, "within_days": None}


@pytest.mark.parametrize("first,fires", [(date(2024, 2, 12), True), (date(2024, 2, 11), False)])
def test_several_serious_events_within_the_window_propose_an_interview(
        first: date, fires: bool) -> None:
    events = (Event(1, K.public_safety_accident, S.serious, first, 11),
              Event(2, K.major_crime, S.serious, date(2024, 5, 11)),
              Event(3, K.homicide, S.ordinary, date(2024, 5, 12)))  # below the severity
    proposals = evaluate(facts(events=events), LENIENT)
    if not fires:  # 12 Feb … 11 May is 90 days, included; 11 Feb is one too many
        assert proposals == []
        return
    [p] = proposals
    assert (p.trigger, p.step, p.params) == ("serious_events_cluster", Step.interview,
                                             {"count": 2, "within_days": 90})
    assert p.evidence == Evidence(event_ids=(1, 2), case_ids=(11,))


def test_late_reports_propose_a_notice_not_aggravated_by_themselves() -> None:
    lapses = (ReportLapse(52, Lapse.late), ReportLapse(51, Lapse.late))
    [p] = evaluate(facts(lapses=lapses), DEFAULT_SCHEME)
    assert summary([p]) == [("late_report", Step.notice, Step.notice, False)]
    assert (p.evidence.case_ids, p.params, p.factors) == ((51, 52), {"count": 2},
                                                          (F.late_report,))


def test_a_late_report_aggravates_the_other_proposals() -> None:
    lapses = (ReportLapse(51, Lapse.late),)
    proposals = evaluate(facts(values=FAILING, lapses=lapses), DEFAULT_SCHEME)
    assert summary(proposals) == [
        ("failed_assessment", Step.interview, Step.notice, True),  # 从重: one step up
        ("late_report", Step.notice, Step.notice, False)]


def test_concealment() -> None:
    lapses = (ReportLapse(60, Lapse.concealed),)
    proposals = evaluate(facts(lapses=lapses), DEFAULT_SCHEME)
    # 100 − 10 for the concealed report passes; the veto trigger fires all the same.
    assert summary(proposals) == [("concealment", Step.veto, Step.veto, False),
                                  ("concealed_report", Step.notice, Step.notice, False)]
    assert proposals[0].evidence == Evidence(case_ids=(60,))
    assert all(p.factors == (F.concealment,) for p in proposals)


def test_obstruction_recorded_by_staff_aggravates() -> None:
    proposals = evaluate(facts(values=FAILING, factors=frozenset({F.obstruction})),
                         DEFAULT_SCHEME)
    assert summary(proposals) == [("failed_assessment", Step.interview, Step.notice, True)]


def test_mitigation_is_carried_for_the_deadline() -> None:
    [p] = evaluate(facts(values=FAILING, factors=frozenset({F.prompt_remedy})), DEFAULT_SCHEME)
    assert (p.step, p.mitigated, p.factors) == (Step.notice, True, (F.prompt_remedy,))


@pytest.mark.parametrize("now,before,fires", [
    (0.25, 0.20, True),  # worse
    (0.25, 0.25, True),  # no improvement
    (0.25, None, True),  # nothing to compare with is no improvement
    (0.25, 0.30, False),  # improving
    (0.15, 0.10, False),  # at the limit is not above it
    (None, 0.30, False),  # no figure
])
def test_rebound_above_the_limit_without_improvement(now: float | None, before: float | None,
                                                     fires: bool) -> None:
    values = GOOD | {"rebound_rate": rate(now, 5, 20)}
    previous = {"rebound_rate": rate(before, 3, 10)}
    proposals = evaluate(facts(values=values, previous_values=previous), LENIENT)
    assert summary(proposals) == ([("rebound", Step.notice, Step.notice, False)]
                                  if fires else [])
    if fires:
        assert proposals[0].evidence.figures == {"value": now, "previous": before,
                                                 "limit": 0.15, "numerator": 5,
                                                 "denominator": 20}
    assert evaluate(facts(values=values, previous_values=previous),
                    replace(LENIENT, rebound_limit=None)) == []


def test_failing_twice_running_proposes_the_veto() -> None:
    proposals = evaluate(facts(values=FAILING, previous_passed=(False,)), DEFAULT_SCHEME)
    assert summary(proposals) == [("failed_twice", Step.veto, Step.veto, False),
                                  ("failed_assessment", Step.notice, Step.notice, False)]
    assert proposals[0].evidence.figures == {"total": 55.0, "pass_score": 60}


def test_everything_at_once_in_a_fixed_order() -> None:
    events = (Event(1, K.mass_incident, S.serious, date(2024, 4, 20)),
              Event(2, K.mass_incident, S.especially_serious, date(2024, 5, 2)))
    lapses = (ReportLapse(9, Lapse.late), ReportLapse(8, Lapse.concealed))
    values = FAILING | {"rebound_rate": rate(0.3, 6, 20)}
    unit = facts(values=values, events=events, lapses=lapses, previous_passed=(False,))
    proposals = evaluate(unit, DEFAULT_SCHEME)
    assert [(p.trigger, p.step) for p in proposals] == [
        ("especially_serious_event", Step.veto), ("concealment", Step.veto),
        ("failed_twice", Step.veto), ("serious_events_cluster", Step.supervision),
        ("failed_assessment", Step.interview), ("late_report", Step.interview),
        ("concealed_report", Step.interview), ("rebound", Step.interview)]
    assert evaluate(unit, DEFAULT_SCHEME) == proposals
    assert proposals[3].evidence.to_data() == {"event_ids": [1, 2], "case_ids": [],
                                               "sanction_ids": [], "figures": {}}


def test_an_unrectified_step_proposes_the_next() -> None:
    notice = transition(Sanction(4, Step.notice, SanctionState.proposed,
                                 factors=frozenset({F.late_report})),
                        Action.confirm, date(2024, 5, 1), DEFAULT_SCHEME)
    assert isinstance(notice, Sanction)
    assert overdue_proposals(7, [notice], date(2024, 5, 31)) == []
    [p] = overdue_proposals(7, [notice], date(2024, 6, 1))
    assert (p.trigger, p.step, p.base_step, p.aggravated) == (
        "not_rectified", Step.interview, Step.interview, False)  # not aggravated twice
    assert p.params == {"sanction_id": 4, "step": "notice", "deadline": "2024-05-31"}
    assert p.evidence == Evidence(sanction_ids=(4,))
    [p] = overdue_proposals(7, [notice], date(2024, 6, 1), [F.obstruction])
    assert (p.step, p.aggravated) == (Step.supervision, True)
