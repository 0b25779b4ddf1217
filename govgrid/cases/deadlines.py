"""Deadline arithmetic for cases (pure). Natural days for now; the SLA work adds the working-
day calendar (调休 included) behind the same functions."""

from __future__ import annotations

import datetime as dt

from .vocabulary import Severity

ACCEPT_WITHIN = dt.timedelta(hours=24)
FOLLOW_UP_WITHIN = dt.timedelta(days=15)
RESOLVE_DAYS = {  # DESIGN §5: 一般 / 较大 / 重大 (特别重大 as 重大)
    Severity.general: 7, Severity.major: 15, Severity.serious: 30,
    Severity.especially_serious: 30,
}


def resolve_days(severity: Severity, category_days: int | None) -> int:
    """The category's own limit when it has one (some are shorter), else the severity's."""
    return category_days or RESOLVE_DAYS[severity]


def accept_due(reported_at: dt.datetime) -> dt.datetime:
    return reported_at + ACCEPT_WITHIN


def resolve_due(start: dt.datetime, severity: Severity, category_days: int | None) -> dt.datetime:
    return start + dt.timedelta(days=resolve_days(severity, category_days))


def follow_up_due(resolved_at: dt.datetime) -> dt.datetime:
    return resolved_at + FOLLOW_UP_WITHIN
