"""The deadline policy as data: defaults, the most specific rule wins, round trip."""

from __future__ import annotations

import datetime as dt

from govgrid.cases.deadlines import Deadlines, DeadlineState, deadline_state
from govgrid.cases.vocabulary import Severity
from govgrid.cases.workflow import CaseState, Level
from govgrid.sla.calendar import LOCAL_TZ, DayKind
from govgrid.sla.policy import DEFAULT_POLICY, from_data, to_data

T0 = dt.datetime(2025, 11, 3, 9, tzinfo=LOCAL_TZ)  # a Monday


def test_defaults_are_design_section_5():
    p = DEFAULT_POLICY
    assert (p.accept_hours, p.follow_up_days, p.day_kind) == (24, 15, DayKind.natural)
    assert [p.resolve_days[s] for s in (Severity.general, Severity.major, Severity.serious)] \
        == [7, 15, 30]
    assert (p.urgent.county_hours, p.urgent.upper_hours, p.urgent.general_hours) == (1, 3, 6)


def test_category_limit_beats_severity_and_rules_beat_both():
    policy = from_data({"rules": [
        {"days": 10, "category": "02"},
        {"days": 5, "category": "0201", "level": "village"},
        {"days": 3, "category": "02", "level": "village", "severity": "general"},
    ]})
    assert DEFAULT_POLICY.resolve_limit(Level.village, "0201", Severity.major, 7) == 7
    assert DEFAULT_POLICY.resolve_limit(Level.village, "0201", Severity.major, None) == 15
    # three fields given beats two, even with the longer code prefix on the other side
    assert policy.resolve_limit(Level.village, "0201", Severity.general, 7) == 3
    assert policy.resolve_limit(Level.village, "0201", Severity.major, 7) == 5
    assert policy.resolve_limit(Level.township, "0205", Severity.major, 7) == 10
    assert policy.resolve_limit(Level.township, "0301", Severity.major, None) == 15


def test_round_trip_keeps_everything():
    data = {"day_kind": "working", "resolve_days": {"general": 5}, "escalate_after_days":
            {"village": 5}, "rules": [{"days": 4, "category": "16"}], "urgent":
            {"county_hours": 2}}
    policy = from_data(data)
    assert from_data(to_data(policy)) == policy
    assert policy.resolve_days[Severity.major] == 15  # untouched keys keep their default
    assert policy.escalate_after_days == {Level.village: 5}


def test_stage_clock_and_its_states():
    clock = Deadlines()
    due = clock.accept(T0)
    assert due.due_at == T0 + dt.timedelta(hours=24)
    assert due.due_soon_at == T0 + dt.timedelta(hours=24 * 0.8)
    at = lambda hours: T0 + dt.timedelta(hours=hours)  # noqa: E731
    state = CaseState.reported
    assert deadline_state(at(1), state, due.due_soon_at, due.due_at) is DeadlineState.normal
    assert deadline_state(at(20), state, due.due_soon_at, due.due_at) is DeadlineState.due_soon
    assert deadline_state(at(24), state, due.due_soon_at, due.due_at) is DeadlineState.overdue
    assert deadline_state(at(30), CaseState.suspended, None, None) is None
    assert deadline_state(at(30), CaseState.closed, due.due_soon_at, due.due_at) is None


def test_working_day_policy_and_extension():
    clock = Deadlines(from_data({"day_kind": "working"}))
    due = clock.resolve(dt.datetime(2025, 9, 26, 10, tzinfo=LOCAL_TZ), Level.village, "0201",
                        Severity.general, 7)
    assert due.due_at == dt.datetime(2025, 10, 13, 10, tzinfo=LOCAL_TZ)
    longer = clock.extend(due.started_at, due.due_at, 2)
    assert longer.due_at == dt.datetime(2025, 10, 15, 10, tzinfo=LOCAL_TZ)
    assert longer.started_at == due.started_at and longer.due_soon_at > due.due_soon_at
