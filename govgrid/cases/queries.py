"""Reading cases: list with filters, one case with its parties and timeline. Jurisdiction
is applied by the scoping hook to every statement here."""

from __future__ import annotations

import uuid
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, Select, and_, bindparam, false, func, not_, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import selectinload

from ..auth.principal import current_principal
from ..auth.scope import unscoped
from ..errors import NotFound
from ..extensions import db
from ..geo.models import GridCell, Unit
from ..stats.places import CELL_CODE_LENGTH
from ..stats.predicates import case_filter
from ..timestamps import utcnow
from .deadlines import CLOCKED_STATES, DeadlineState
from .dispatch import ACTIVE_STATES
from .handling import handled_by
from .models import Case, CaseAssignment, CaseEvent, Category, Party
from .workflow import OPEN_STATES, CaseState


def get_case(case_id: uuid.UUID) -> Case:
    case = db.session.execute(
        select(Case).where(Case.id == case_id)
        .options(selectinload(Case.parties), selectinload(Case.category))
    ).scalar_one_or_none()
    if case is None:
        raise NotFound(_l("No such case."))
    return case


def timeline(case_id: uuid.UUID) -> list[CaseEvent]:
    return list(db.session.execute(
        select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.at, CaseEvent.id)
    ).scalars())


def active_assignments(case_id: uuid.UUID) -> list[Any]:
    """(user_id, kind) of every active assignment of the case, whoever reads: the workflow's
    facts are about the case, not about what the reader may see of it."""
    return list(db.session.execute(
        select(CaseAssignment.user_id, CaseAssignment.kind)
        .where(CaseAssignment.case_id == case_id, CaseAssignment.active.is_(True))
        .execution_options(**unscoped())
    ).all())


def assignee_ids(case_id: uuid.UUID) -> set[int]:
    return set(db.session.execute(
        select(CaseAssignment.user_id).where(CaseAssignment.case_id == case_id,
                                             CaseAssignment.active.is_(True))
    ).scalars())


def get_party(case: Case, party_id: int) -> Party:
    for party in case.parties:
        if party.id == party_id:
            return party
    raise NotFound(_l("No such party."))


def filtered(args: dict[str, Any]) -> Select:
    query = select(Case)
    if args.get("mine"):
        # Still within jurisdiction (the scoping hook applies as to every list). The system
        # is nobody: it reported nothing (reporter_id NULL is not "mine").
        user_id = current_principal().user_id
        query = query.where(Case.reporter_id == user_id if user_id is not None else false())
    for key in ("state", "severity", "source"):
        if key in args:
            query = query.where(getattr(Case, key) == args[key])
    if "level" in args:
        query = query.where(Case.owner_level == args["level"])
    if "urgent" in args:
        query = query.where(Case.is_urgent.is_(args["urgent"]))
    now = utcnow()  # never SQL now(): the clock must be the one deadlines are reckoned by
    if "overdue" in args:
        late = and_(Case.due_at <= now, Case.state.in_(CLOCKED_STATES))
        query = query.where(late if args["overdue"] else not_(late))
    if "deadline_state" in args:
        running = and_(Case.due_at.is_not(None), Case.state.in_(CLOCKED_STATES))
        query = query.where(running, {
            DeadlineState.overdue: Case.due_at <= now,
            DeadlineState.due_soon: and_(Case.due_soon_at <= now, Case.due_at > now),
            DeadlineState.normal: and_(Case.due_at > now, or_(Case.due_soon_at.is_(None),
                                                               Case.due_soon_at > now)),
        }[args["deadline_state"]])
    if "category" in args:
        query = query.join(Category, Category.id == Case.category_id).where(
            Category.code.startswith(args["category"]))
    if "unit" in args:
        code = args["unit"]
        place = GridCell if len(code) == CELL_CODE_LENGTH else Unit
        place_path = select(place.path).where(place.code == code).scalar_subquery()
        query = query.where(Case.location_path.descendant_of(place_path))
    if "metric" in args:
        # The same condition the statistics count by (stats/predicates.py), so the list
        # behind a dashboard number holds exactly the cases it counted.
        query = query.where(case_filter(args["metric"], now, args.get("visits_from"),
                                        args.get("visits_to")))
    if "reported_from" in args:
        query = query.where(Case.reported_at >= args["reported_from"])
    if "reported_to" in args:
        query = query.where(Case.reported_at < args["reported_to"])
    if "bbox" in args:
        query = query.where(Case.point.intersects(args["bbox"].envelope()))
    if "handler" in args:
        query = query.where(handled_by(args["handler"]))
    if "open" in args:
        still_open = Case.state.in_(OPEN_STATES)
        query = query.where(still_open if args["open"] else not_(still_open))
    if "active" in args:
        in_hand = Case.state.in_(ACTIVE_STATES)  # a mediator's caseload (dispatch)
        query = query.where(in_hand if args["active"] else not_(in_hand))
    if "resolved_from" in args:
        query = query.where(Case.resolved_at >= args["resolved_from"])
    if "q" in args:
        pattern = "%" + args["q"].replace("%", r"\%").replace("_", r"\_") + "%"
        query = query.where(or_(Case.title.ilike(pattern), Case.description.ilike(pattern)))
    return query


# The due time of a running clock only: a case that left the clocked states (rejected,
# merged, referred, a draft again) may still carry the last one it had.
RUNNING_DUE_AT = sql_case((Case.state.in_(CLOCKED_STATES), Case.due_at))

# The centre console's queue, "new and overdue first": overdue, then reported and not yet
# accepted, then due soon, then the rest; soonest due first within each. The moment is bound
# when the statement runs (utcnow, the deadline clock), not when this module is imported.
_NOW = bindparam("queue_now", callable_=utcnow, type_=DateTime(timezone=True))
_CLOCKED = and_(Case.state.in_(CLOCKED_STATES), Case.due_at.is_not(None))
QUEUE_RANK = sql_case(
    (and_(_CLOCKED, Case.due_at <= _NOW), 0),
    (Case.state == CaseState.reported, 1),
    (and_(_CLOCKED, Case.due_soon_at <= _NOW), 2),
    else_=3)

ORDERS = {
    "queue": (QUEUE_RANK, RUNNING_DUE_AT.asc().nulls_last(),
              Case.reported_at.desc().nulls_last(), Case.id),
    "-reported_at": (Case.reported_at.desc().nulls_last(), Case.id),
    "reported_at": (Case.reported_at.asc().nulls_last(), Case.id),
    # Cases with no running clock (suspended, finished) have no due time: last either way.
    "due_at": (RUNNING_DUE_AT.asc().nulls_last(), Case.id),
    "-due_at": (RUNNING_DUE_AT.desc().nulls_last(), Case.id),
}


def list_cases(args: dict[str, Any], page: int, page_size: int) -> tuple[list[Case], int]:
    query = filtered(args)
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(
        query.options(selectinload(Case.category))
        .order_by(*ORDERS[args.get("sort", "-reported_at")])
        .limit(page_size).offset((page - 1) * page_size)
    ).scalars().all()
    return list(rows), total
