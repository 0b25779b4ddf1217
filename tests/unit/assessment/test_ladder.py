"""The ladder with a controllable clock: every date is an argument. Steps, transitions and
their refusals, 从重/从轻, deadlines, disqualification ending at exactly six months / one
year (calendar months, clamped to the month's end), overdue steps and folding."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from govgrid.assessment.ladder import (
    Action,
    Refusal,
    Sanction,
    add_months,
    folds_into,
    in_force,
    overdue,
    propose,
    standing,
    terms,
    to_expire,
    transition,
)
from govgrid.assessment.scheme import DEFAULT_SCHEME
from govgrid.assessment.vocabulary import Factor, SanctionState, Step

F, St = Factor, SanctionState
D = DEFAULT_SCHEME


def proposed(id: int, step: Step, *factors: Factor) -> Sanction:
    return Sanction(id, step, St.proposed, factors=frozenset(factors))


def confirmed(id: int, step: Step, on: date, *factors: Factor) -> Sanction:
    out = transition(proposed(id, step, *factors), Action.confirm, on, D)
    assert isinstance(out, Sanction)
    return out


@pytest.mark.parametrize("day,months,expected", [
    (date(2024, 3, 10), 6, date(2024, 9, 10)),
    (date(2024, 8, 31), 6, date(2025, 2, 28)),  # clamped to the month's end
    (date(2023, 8, 31), 6, date(2024, 2, 29)),  # … in a leap year
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2024, 12, 15), 1, date(2025, 1, 15)),
    (date(2024, 7, 15), 6, date(2025, 1, 15)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2024, 3, 31), 12, date(2025, 3, 31)),
    (date(2024, 5, 31), 0, date(2024, 5, 31)),
])
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_add_months_keeps_the_time() -> None:
    assert add_months(datetime(2024, 8, 31, 9, 30), 6) == datetime(2025, 2, 28, 9, 30)


@pytest.mark.parametrize("step,factors,ignore,expected,aggravated,mitigated", [
    (Step.notice, (), (), Step.notice, False, False),
    (Step.notice, (F.late_report,), (), Step.interview, True, False),  # 从重
    (Step.interview, (F.concealment,), (), Step.supervision, True, False),
    (Step.supervision, (F.obstruction,), (), Step.veto, True, False),
    (Step.veto, (F.concealment, F.obstruction), (), Step.veto, True, False),  # never beyond
    (Step.notice, (F.prompt_remedy,), (), Step.notice, False, True),  # 从轻: same step
    (Step.interview, (F.prompt_remedy, F.cooperation), (), Step.interview, False, True),
    (Step.notice, (F.cooperation, F.obstruction), (), Step.interview, True, False),
    (Step.notice, (F.late_report,), (F.late_report,), Step.notice, False, False),
    (Step.notice, (F.late_report, F.obstruction), (F.late_report,), Step.interview, True, False),
    (Step.notice, (F.late_report, F.cooperation), (F.late_report,), Step.notice, False, True),
])
def test_propose(step: Step, factors: tuple[Factor, ...], ignore: tuple[Factor, ...],
                 expected: Step, aggravated: bool, mitigated: bool) -> None:
    decision = propose(step, factors, ignore)
    assert (decision.step, decision.base, decision.aggravated, decision.mitigated) == (
        expected, step, aggravated, mitigated)


@pytest.mark.parametrize("step,factors,deadline,until", [
    (Step.notice, (), date(2024, 5, 31), None),
    (Step.notice, (F.prompt_remedy,), date(2024, 6, 15), None),  # + 15 days
    (Step.notice, (F.prompt_remedy, F.late_report), date(2024, 5, 31), None),
    (Step.interview, (), date(2024, 5, 31), None),
    (Step.supervision, (), date(2024, 6, 30), date(2024, 11, 1)),
    (Step.veto, (), None, date(2025, 5, 1)),
    (Step.veto, (F.cooperation,), None, date(2025, 5, 1)),  # nothing to extend
])
def test_terms(step: Step, factors: tuple[Factor, ...], deadline: date | None,
               until: date | None) -> None:
    assert terms(step, date(2024, 5, 1), D, factors) == (deadline, until)


def test_confirm_sets_the_clock() -> None:
    out = transition(proposed(1, Step.supervision, F.cooperation), Action.confirm,
                     date(2024, 3, 10), D)
    assert out == Sanction(1, Step.supervision, St.confirmed, date(2024, 3, 10),
                           date(2024, 5, 24), None, frozenset({F.cooperation}),
                           date(2024, 9, 10))


def test_every_transition_and_refusal() -> None:
    day = date(2024, 5, 1)
    p = proposed(1, Step.notice)
    assert transition(p, Action.dismiss, day, D, reason="  ") == Refusal("reason_required")
    assert transition(p, Action.dismiss, day, D) == Refusal("reason_required")
    dismissed = transition(p, Action.dismiss, day, D, reason="duplicate of the May notice")
    assert isinstance(dismissed, Sanction) and dismissed.state is St.dismissed
    assert transition(p, Action.rectify, day, D, report=7) == Refusal(
        "wrong_state", {"state": "proposed", "action": "rectify"})
    assert transition(dismissed, Action.confirm, day, D).code == "wrong_state"  # type: ignore[union-attr]
    c = confirmed(1, Step.notice, day)
    assert transition(c, Action.confirm, day, D).code == "wrong_state"  # type: ignore[union-attr]
    assert transition(c, Action.rectify, day, D) == Refusal("report_required")
    rectified = transition(c, Action.rectify, date(2024, 5, 20), D, report=42)
    assert isinstance(rectified, Sanction)
    assert (rectified.state, rectified.rectified_at) == (St.rectified, date(2024, 5, 20))
    superseded = transition(c, Action.supersede, date(2024, 6, 2), D)
    assert isinstance(superseded, Sanction) and superseded.state is St.superseded
    assert transition(rectified, Action.supersede, day, D).code == "wrong_state"  # type: ignore[union-attr]
    assert transition(c, Action.expire, date(2030, 1, 1), D) == Refusal(
        "does_not_expire", {"step": "notice"})


@pytest.mark.parametrize("step,on,last_day,first_free", [
    (Step.supervision, date(2024, 3, 10), date(2024, 9, 9), date(2024, 9, 10)),
    (Step.supervision, date(2024, 8, 31), date(2025, 2, 27), date(2025, 2, 28)),
    (Step.veto, date(2024, 3, 10), date(2025, 3, 9), date(2025, 3, 10)),
    (Step.veto, date(2024, 2, 29), date(2025, 2, 27), date(2025, 2, 28)),
])
def test_disqualification_ends_exactly(step: Step, on: date, last_day: date,
                                       first_free: date) -> None:
    c = confirmed(1, step, on)
    assert c.disqualified_until == first_free
    for s in (c, replace(c, state=St.rectified, rectified_at=on)):  # rectifying: still runs
        assert standing([s], last_day).step is step
        assert standing([s], last_day).disqualified_until == first_free
        assert standing([s], first_free).step is None
        assert to_expire([s], last_day) == [] and to_expire([s], first_free) == [s]
        assert transition(s, Action.expire, last_day, D) == Refusal(
            "not_yet", {"until": first_free.isoformat()})
        expired = transition(s, Action.expire, first_free, D)
        assert isinstance(expired, Sanction) and expired.state is St.expired
        assert standing([expired], last_day).step is None


def test_standing_is_the_highest_step_in_force() -> None:
    day = date(2024, 5, 1)
    history = [confirmed(1, Step.notice, day), confirmed(2, Step.supervision, day),
               confirmed(3, Step.interview, day), proposed(4, Step.veto),
               replace(confirmed(5, Step.notice, day), state=St.rectified)]
    now = date(2024, 5, 10)
    s = standing(history, now)
    assert (s.step, s.sanction_id, s.in_force, s.disqualified_until) == (
        Step.supervision, 2, (1, 2, 3), date(2024, 11, 1))
    assert standing([], now).step is None
    assert standing([proposed(1, Step.veto)], now).in_force == ()


def test_overdue_proposes_the_next_step() -> None:
    notice = confirmed(1, Step.notice, date(2024, 5, 1))  # deadline 31 May, included
    assert overdue([notice], date(2024, 5, 31)) == []
    [item] = overdue([notice], date(2024, 6, 1))
    assert (item.sanction, item.next_step) == (notice, Step.interview)
    rectified = replace(notice, state=St.rectified, rectified_at=date(2024, 5, 30))
    assert overdue([rectified], date(2024, 6, 1)) == []
    veto = confirmed(2, Step.veto, date(2024, 5, 1))
    assert overdue([veto], date(2025, 1, 1)) == []  # the top has no next step
    supervision = confirmed(3, Step.supervision, date(2024, 5, 1))  # deadline 30 June
    assert [o.next_step for o in overdue([supervision], date(2024, 7, 1))] == [Step.veto]
    assert overdue([supervision], date(2024, 11, 1)) == []  # no longer in force


def test_the_whole_ladder_with_a_clock() -> None:
    """通报 → not rectified → 约谈 → not rectified → 挂牌督办 → not rectified → 一票否决."""
    day, history = date(2024, 1, 2), [confirmed(1, Step.notice, date(2024, 1, 2))]
    for id, step in ((2, Step.interview), (3, Step.supervision), (4, Step.veto)):
        late = history[-1].deadline + timedelta(days=1)  # type: ignore[operator]
        [item] = overdue(history, late)
        assert item.next_step is step and item.sanction is history[-1]
        superseded = transition(history[-1], Action.supersede, late, D)
        assert isinstance(superseded, Sanction)
        history = [*history[:-1], superseded, confirmed(id, step, late)]
        day = late
        assert standing(history, day).step is step
    # 2 Jan + 31 (notice) → 2 Feb + 31 (interview) → 4 Mar + 61 (supervision) → 4 May:
    # each deadline day is still in time, the day after it is not.
    assert day == date(2024, 5, 4)
    assert standing(history, date(2025, 5, 3)).step is Step.veto
    assert standing(history, date(2025, 5, 4)).step is None


def test_folding() -> None:
    day, now = date(2024, 5, 1), date(2024, 5, 10)
    interview = confirmed(1, Step.interview, day)
    assert folds_into(Step.notice, [interview], now) == interview
    assert folds_into(Step.interview, [interview], now) == interview
    assert folds_into(Step.supervision, [interview], now) is None
    pending = proposed(2, Step.supervision)
    assert folds_into(Step.supervision, [interview, pending], now) == pending
    assert folds_into(Step.notice, [pending], now) is None  # only the same step when pending
    rectified = replace(interview, state=St.rectified)
    assert folds_into(Step.notice, [rectified], now) is None
    assert in_force(interview, now) and not in_force(rectified, now)


def test_datetimes_work_as_well() -> None:
    at = datetime(2024, 8, 31, 10, 0)
    c = confirmed(1, Step.supervision, at)
    assert (c.deadline, c.disqualified_until) == (datetime(2024, 10, 30, 10, 0),
                                                  datetime(2025, 2, 28, 10, 0))
    assert standing([c], datetime(2025, 2, 28, 9, 59)).step is Step.supervision
    assert standing([c], datetime(2025, 2, 28, 10, 0)).step is None
