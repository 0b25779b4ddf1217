"""Deadline arithmetic for cases (pure): each stage's time limit under a county's policy and
working-day calendar, and the deadline state (正常 / 将到期 / 超期) at a moment.

A stage's clock is three moments stored on the case: when it started (`due_started_at`),
when it becomes 将到期 (`due_soon_at`, the last share of the time given by the policy) and
when it is due (`due_at`). Suspension stops the clock (all three cleared); closing ends it.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from ..sla.calendar import WorkCalendar
from ..sla.policy import DEFAULT_POLICY, DeadlinePolicy
from .vocabulary import Severity
from .workflow import CaseState, Level

# The states in which a case has a running clock: 受理, 办理 (mediation) and 回访 (follow-up).
CLOCKED_STATES = (CaseState.reported, CaseState.accepted, CaseState.mediating,
                  CaseState.resolved)


class DeadlineState(enum.StrEnum):
    normal = "normal"  # 正常
    due_soon = "due_soon"  # 将到期
    overdue = "overdue"  # 超期


class Stage(enum.StrEnum):
    accept = "accept"  # 受理时限
    resolve = "resolve"  # 办理时限
    follow_up = "follow_up"  # 回访时限


def stage_of(state: CaseState) -> Stage | None:
    return {CaseState.reported: Stage.accept, CaseState.accepted: Stage.resolve,
            CaseState.mediating: Stage.resolve, CaseState.resolved: Stage.follow_up
            }.get(state)


def deadline_state(now: dt.datetime, state: CaseState, due_soon_at: dt.datetime | None,
                   due_at: dt.datetime | None) -> DeadlineState | None:
    """None when the case has no running clock (suspended, finished, a draft)."""
    if due_at is None or state not in CLOCKED_STATES:
        return None
    if now >= due_at:
        return DeadlineState.overdue
    if due_soon_at is not None and now >= due_soon_at:
        return DeadlineState.due_soon
    return DeadlineState.normal


@dataclass(frozen=True)
class Due:
    started_at: dt.datetime
    due_soon_at: dt.datetime
    due_at: dt.datetime

    def columns(self) -> dict[str, Any]:
        return {"due_started_at": self.started_at, "due_soon_at": self.due_soon_at,
                "due_at": self.due_at}


NO_CLOCK: dict[str, Any] = {"due_started_at": None, "due_soon_at": None, "due_at": None}


class Deadlines:
    """Stage deadlines under one county's policy and calendar."""

    def __init__(self, policy: DeadlinePolicy = DEFAULT_POLICY,
                 calendar: WorkCalendar | None = None) -> None:
        self.policy = policy
        self.calendar = calendar or WorkCalendar()

    def _due(self, start: dt.datetime, due: dt.datetime) -> Due:
        return Due(start, self.policy.due_soon_at(start, due), due)

    def _after_days(self, start: dt.datetime, days: int) -> dt.datetime:
        return self.calendar.add_days(start, days, self.policy.day_kind)

    def accept(self, start: dt.datetime) -> Due:
        """受理: clock hours, whatever the county counts days in."""
        return self._due(start, start + dt.timedelta(hours=self.policy.accept_hours))

    def resolve_limit(self, level: Level, category_code: str, severity: Severity,
                      category_days: int | None) -> int:
        return self.policy.resolve_limit(level, category_code, severity, category_days)

    def resolve(self, start: dt.datetime, level: Level, category_code: str,
                severity: Severity, category_days: int | None) -> Due:
        days = self.resolve_limit(level, category_code, severity, category_days)
        return self._due(start, self._after_days(start, days))

    def follow_up(self, start: dt.datetime) -> Due:
        return self._due(start, self._after_days(start, self.policy.follow_up_days))

    def extend(self, started_at: dt.datetime, due_at: dt.datetime, days: int) -> Due:
        """The same stage, due `days` (natural or working) days later than it was."""
        return self._due(started_at, self._after_days(due_at, days))

    def resume(self, now: dt.datetime, remaining_s: float) -> Due:
        """After a suspension: the time that was left when it stopped."""
        return self._due(now, now + dt.timedelta(seconds=max(0.0, remaining_s)))
