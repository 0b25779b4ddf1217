"""Reporting clocks of urgent incidents (重大紧急事件 迟报), pure: which cases start clocks,
which clocks, when each is due, and a clock's status at a moment.

County rules (DESIGN §5): a major emergency (重大/特别重大) must reach the county within
`county_hours` of occurring and the level above the county (the city) within `upper_hours`;
any other urgent incident (一般突发事件) must reach the county within `general_hours`.
Missing a clock is 迟报, which feeds the township assessment.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from dataclasses import dataclass

from ..cases.vocabulary import Severity
from .policy import UrgentLimits

# 重大 and 特别重大: these start the county and upper clocks, and start clocks on their own
# (without the urgent mark) in the public-safety and mass-incident category groups.
GRAVE = frozenset({Severity.serious, Severity.especially_serious})


class ClockKind(enum.StrEnum):
    county = "county"  # 重大: reach the county centre
    upper = "upper"  # 重大: reach the level above the county (市委政法委)
    general = "general"  # 一般突发事件: reach the county centre


# Clocks met by a report to the county centre (the platform report of a county-held case is
# one); the upper clock needs the county's own report to the city.
TO_COUNTY = frozenset({ClockKind.county, ClockKind.general})


class ClockStatus(enum.StrEnum):
    running = "running"  # 计时中
    alarm = "alarm"  # 即将超时: at most alarm_share of its time left
    met = "met"  # 按时报告
    late = "late"  # 迟报: reported after due, or not reported and due passed


@dataclass(frozen=True)
class ClockPlan:
    """One clock a case should have: when it started, alarms and is due."""

    kind: ClockKind
    started_at: dt.datetime
    alarm_at: dt.datetime
    due_at: dt.datetime


def starts_clocks(is_urgent: bool, severity: Severity, category_code: str,
                  limits: UrgentLimits) -> bool:
    """Marked urgent, or grave in a category group the county watches (治安隐患, 校园安全,
    安全生产, 群体性事件苗头) — a 重大 mass incident is urgent whether or not the reporter
    ticked the box."""
    if is_urgent:
        return True
    return severity in GRAVE and category_code.startswith(tuple(limits.categories))


def clock_kinds(is_urgent: bool, severity: Severity, category_code: str,
                limits: UrgentLimits) -> tuple[ClockKind, ...]:
    if not starts_clocks(is_urgent, severity, category_code, limits):
        return ()
    if severity in GRAVE:
        return (ClockKind.county, ClockKind.upper)
    return (ClockKind.general,)


def hours_of(kind: ClockKind, limits: UrgentLimits) -> float:
    return {ClockKind.county: limits.county_hours, ClockKind.upper: limits.upper_hours,
            ClockKind.general: limits.general_hours}[kind]


def clock_start(occurred_at: dt.datetime | None, reported_at: dt.datetime) -> dt.datetime:
    """The occurrence, or the report when the occurrence is unknown. An occurrence after
    the report is a typing error (nothing is reported before it happens): the clock then
    starts at the report, never later."""
    if occurred_at is None:
        return reported_at
    return min(occurred_at, reported_at)


def plan(is_urgent: bool, severity: Severity, category_code: str,
         occurred_at: dt.datetime | None, reported_at: dt.datetime,
         limits: UrgentLimits) -> list[ClockPlan]:
    """The clocks a case should have (none for an ordinary case)."""
    start = clock_start(occurred_at, reported_at)
    plans = []
    for kind in clock_kinds(is_urgent, severity, category_code, limits):
        length = dt.timedelta(hours=hours_of(kind, limits))
        due = start + length
        plans.append(ClockPlan(kind, start, due - length * limits.alarm_share, due))
    return plans


def status_at(now: dt.datetime, alarm_at: dt.datetime, due_at: dt.datetime,
              met_at: dt.datetime | None) -> ClockStatus:
    """A report at or before the due moment is on time; without one, the clock is late
    only once the due moment has passed (a report at that very moment would still count)."""
    if met_at is not None:
        return ClockStatus.met if met_at <= due_at else ClockStatus.late
    if now > due_at:
        return ClockStatus.late
    if now >= alarm_at:
        return ClockStatus.alarm
    return ClockStatus.running


def seconds_left(now: dt.datetime, due_at: dt.datetime) -> int:
    """Whole seconds until due (negative once past), rounded towards the past so that a
    countdown never shows time that is not there."""
    return math.floor((due_at - now).total_seconds())
