"""The mediator workload board (调解员工作量): every mediator of the reader's jurisdiction with
their cases in hand by state, how many are overdue or due soon, the sessions they held and
the cases they resolved in the last 30 days.

One statement for the whole board, whatever the number of mediators: a LATERAL subquery per
mediator counts their cases with FILTER aggregates; sessions and the caseload are scalar
subqueries. The caseload is `dispatch.caseload`, the figure dispatch suggestions weigh: it
counts the mediator's cases anywhere in the county (busy elsewhere is still busy). The other
figures count through the ORM and so only what the reader may read (the scoping hook applies
to every Case and MediationSession here), which is what the queue shows behind each number:
the links filter the queue by `handler` with the same definition (cases.handling).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select, true

from ..auth.models import User
from ..auth.roles import Role
from ..cases.dispatch import ACTIVE_STATES, caseload
from ..cases.handling import handled_by
from ..cases.models import Case
from ..cases.records import MediationSession, MediatorProfile
from ..cases.workflow import CaseState
from ..extensions import db
from ..geo.models import Unit
from ..stats.period import local_midnight
from ..timestamps import local, utcnow

WINDOW_DAYS = 30

# Sort keys of the board: the column and whether the largest comes first.
SORTS = {
    "name": ("display_name", False),
    "unit": ("unit_code", False),
    "active": ("active_cases", True),
    "accepted": ("accepted", True),
    "mediating": ("mediating", True),
    "suspended": ("suspended", True),
    "overdue": ("overdue", True),
    "due_soon": ("due_soon", True),
    "sessions": ("sessions", True),
    "resolved": ("resolved", True),
}
DEFAULT_SORT = "overdue"


@dataclass(frozen=True)
class WorkloadRow:
    user_id: int
    username: str
    display_name: str
    role: Role
    unit_code: str
    unit_name: str
    max_active_cases: int | None  # None: not in the mediator registry
    active_cases: int
    accepted: int
    mediating: int
    suspended: int
    overdue: int
    due_soon: int
    sessions: int
    resolved: int


def window_start(now: dt.datetime) -> dt.datetime:
    """The start of the last 30 days: local midnight 29 days before today, so that the days
    counted are whole calendar days (today included) and a link can name the first one."""
    today = local(now).date()  # type: ignore[union-attr]
    return local_midnight(today - dt.timedelta(days=WINDOW_DAYS - 1))


def statement(now: dt.datetime, since: dt.datetime, sort: str = DEFAULT_SORT) -> Any:
    in_hand = Case.state.in_(ACTIVE_STATES)
    running = and_(in_hand, Case.due_at.is_not(None))  # suspended cases have no clock
    count = func.count(Case.id)
    work = (
        select(
            count.filter(Case.state == CaseState.accepted).label("accepted"),
            count.filter(Case.state == CaseState.mediating).label("mediating"),
            count.filter(Case.state == CaseState.suspended).label("suspended"),
            count.filter(running, Case.due_at <= now).label("overdue"),
            count.filter(running, Case.due_soon_at <= now, Case.due_at > now)
            .label("due_soon"),
            count.filter(Case.resolved_at >= since).label("resolved"),
        )
        .where(handled_by(User.id))
        .lateral("work"))
    sessions = (
        select(func.count(MediationSession.id))
        .where(MediationSession.mediator_id == User.id, MediationSession.held_at >= since,
               MediationSession.held_at <= now)
        .scalar_subquery())
    column, descending = SORTS[sort]
    query = (
        select(User.id.label("user_id"), User.username, User.display_name, User.role,
               Unit.code.label("unit_code"), Unit.name.label("unit_name"),
               MediatorProfile.max_active_cases,
               caseload(User.id).label("active_cases"),
               work.c.accepted, work.c.mediating, work.c.suspended, work.c.overdue,
               work.c.due_soon, work.c.resolved, sessions.label("sessions"))
        .join(Unit, Unit.id == User.unit_id)
        .outerjoin(MediatorProfile, MediatorProfile.user_id == User.id)
        .join(work, true())
        .where(User.role == Role.mediator, User.is_active.is_(True)))
    key = query.selected_columns[column]
    return query.order_by(key.desc() if descending else key.asc(), Unit.code, User.username)


def board(sort: str = DEFAULT_SORT) -> tuple[list[WorkloadRow], dt.datetime]:
    """The board's rows (active users with the mediator role, whether or not they are in
    the registry yet) and the start of its 30-day window."""
    now = utcnow()
    since = window_start(now)
    rows = db.session.execute(statement(now, since, sort)).all()
    return [WorkloadRow(**row._mapping) for row in rows], since
