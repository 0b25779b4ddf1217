"""Urgent reporting clocks (pure): which cases start them, which clocks, when due, and a
clock's status at crafted moments."""

from __future__ import annotations

import datetime as dt

import pytest

from govgrid.cases.vocabulary import Severity
from govgrid.sla.policy import UrgentLimits
from govgrid.sla.urgent import (
    ClockKind,
    ClockStatus,
    clock_kinds,
    clock_start,
    plan,
    seconds_left,
    starts_clocks,
    status_at,
)

LIMITS = UrgentLimits()
T0 = dt.datetime(2026, 11, 10, 6, 0, tzinfo=dt.UTC)  # 14:00 in Tongliao
MIN = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)


@pytest.mark.parametrize(("is_urgent", "severity", "category", "expected"), [
    # Marked urgent: always, whatever the category or severity.
    (True, Severity.general, "0201", (ClockKind.general,)),
    (True, Severity.major, "0201", (ClockKind.general,)),
    (True, Severity.serious, "0201", (ClockKind.county, ClockKind.upper)),
    (True, Severity.especially_serious, "1101", (ClockKind.county, ClockKind.upper)),
    # Not marked: 重大/特别重大 in the watched groups (治安 16, 校园 20, 安全生产 21,
    # 群体性事件 23) start the county and upper clocks by themselves.
    (False, Severity.serious, "2301", (ClockKind.county, ClockKind.upper)),
    (False, Severity.especially_serious, "2104", (ClockKind.county, ClockKind.upper)),
    (False, Severity.serious, "1606", (ClockKind.county, ClockKind.upper)),
    (False, Severity.serious, "2001", (ClockKind.county, ClockKind.upper)),
    # ... but not lighter ones there, nor grave ones elsewhere.
    (False, Severity.major, "2301", ()),
    (False, Severity.general, "1601", ()),
    (False, Severity.serious, "0201", ()),
    (False, Severity.especially_serious, "0601", ()),
])
def test_which_cases_start_which_clocks(is_urgent, severity, category, expected):
    assert clock_kinds(is_urgent, severity, category, LIMITS) == expected
    assert starts_clocks(is_urgent, severity, category, LIMITS) == bool(expected)


def test_a_county_chooses_its_category_groups():
    limits = UrgentLimits(categories=("02",))
    assert clock_kinds(False, Severity.serious, "0201", limits) == (ClockKind.county,
                                                                    ClockKind.upper)
    assert clock_kinds(False, Severity.serious, "2301", limits) == ()


def test_clocks_run_from_the_occurrence():
    clocks = {c.kind: c for c in plan(False, Severity.serious, "2302", T0, T0 + 40 * MIN,
                                      LIMITS)}
    county, upper = clocks[ClockKind.county], clocks[ClockKind.upper]
    assert county.started_at == upper.started_at == T0
    assert county.due_at == T0 + HOUR and upper.due_at == T0 + 3 * HOUR
    # The alarm window is the last quarter of each clock: 15 and 45 minutes.
    assert county.alarm_at == T0 + 45 * MIN
    assert upper.alarm_at == T0 + 3 * HOUR - 45 * MIN
    [general] = plan(True, Severity.general, "0201", T0, T0 + MIN, LIMITS)
    assert general.kind is ClockKind.general and general.due_at == T0 + 6 * HOUR
    assert general.alarm_at == T0 + 4.5 * HOUR


def test_clock_start_without_or_with_an_impossible_occurrence():
    assert clock_start(None, T0) == T0  # unknown: from the report
    assert clock_start(T0 - HOUR, T0) == T0 - HOUR
    assert clock_start(T0 + HOUR, T0) == T0  # "occurred" after its report: a typo


def test_county_policy_changes_the_limits():
    limits = UrgentLimits(county_hours=0.5, upper_hours=2, alarm_share=0.5)
    county, upper = plan(True, Severity.serious, "0201", T0, T0, limits)
    assert county.due_at == T0 + 30 * MIN and county.alarm_at == T0 + 15 * MIN
    assert upper.due_at == T0 + 2 * HOUR and upper.alarm_at == T0 + HOUR


def test_ordinary_cases_get_no_clocks():
    assert plan(False, Severity.general, "0201", T0, T0, LIMITS) == []


ALARM, DUE = T0 + 45 * MIN, T0 + HOUR


@pytest.mark.parametrize(("now", "met_at", "expected"), [
    (T0, None, ClockStatus.running),
    (ALARM - dt.timedelta(seconds=1), None, ClockStatus.running),
    (ALARM, None, ClockStatus.alarm),  # a quarter of the time left: due soon
    (DUE, None, ClockStatus.alarm),  # at the very moment a report would still be on time
    (DUE + dt.timedelta(seconds=1), None, ClockStatus.late),  # 迟报: passed, no report
    (T0 + 2 * HOUR, T0 + 40 * MIN, ClockStatus.met),
    (T0 + 50 * MIN, DUE, ClockStatus.met),  # reported exactly at due: on time
    (T0 + 2 * HOUR, T0 + 80 * MIN, ClockStatus.late),  # reported after due: 迟报
    (T0 + 10 * MIN, T0 + 5 * MIN, ClockStatus.met),  # met stays met, whenever asked
])
def test_status_at(now, met_at, expected):
    assert status_at(now, ALARM, DUE, met_at) is expected


def test_seconds_left_never_shows_time_that_is_not_there():
    assert seconds_left(T0, DUE) == 3600
    assert seconds_left(DUE - dt.timedelta(milliseconds=500), DUE) == 0
    assert seconds_left(DUE + dt.timedelta(milliseconds=500), DUE) == -1
    assert seconds_left(DUE + 90 * MIN, DUE) == -5400
