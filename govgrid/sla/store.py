"""Reading a county's policy and calendar from the database (cached for the request or job).

Services that set a deadline ask `deadlines_for(county_id)`; it costs two small queries the
first time in a request (or app context of a job) and nothing after.
"""

from __future__ import annotations

from flask import g, has_app_context
from sqlalchemy import select

from ..auth.scope import unscoped
from ..cases.deadlines import Deadlines
from ..extensions import db
from .calendar import WorkCalendar
from .models import CalendarDay, DeadlinePolicyRecord
from .policy import DEFAULT_POLICY, DeadlinePolicy, from_data


def policy_for(county_id: int) -> DeadlinePolicy:
    data = db.session.execute(
        select(DeadlinePolicyRecord.data).where(DeadlinePolicyRecord.county_id == county_id)
        .execution_options(**unscoped())
    ).scalar_one_or_none()
    return DEFAULT_POLICY if data is None else from_data(data)


def calendar_for(county_id: int) -> WorkCalendar:
    rows = db.session.execute(
        select(CalendarDay.day, CalendarDay.is_workday).where(CalendarDay.county_id == county_id)
        .execution_options(**unscoped())
    ).all()
    return WorkCalendar({day: workday for day, workday in rows})


def deadlines_for(county_id: int) -> Deadlines:
    cache: dict[int, Deadlines] = g.setdefault("sla_deadlines", {}) if has_app_context() else {}
    if county_id not in cache:
        cache[county_id] = Deadlines(policy_for(county_id), calendar_for(county_id))
    return cache[county_id]


def forget_cached() -> None:
    """After the policy or calendar changed in this request."""
    if has_app_context():
        g.pop("sla_deadlines", None)
