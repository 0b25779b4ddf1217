"""The cases a report names: overdue now, reopened (反弹) in the month, urgent incidents
reported in the month — each a count and its first rows, without personal data (no parties,
no description, no address: the report is printed and passed around)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, and_, cast, func, literal, or_, select

from ..cases.models import Case, CaseEvent, Category
from ..cases.workflow import Action, CaseState
from ..extensions import db
from ..geo.ltree import LTree
from ..geo.models import Unit
from ..stats.indicators import Count
from ..stats.period import Period
from ..stats.places import Place
from ..stats.predicates import case_predicates, in_period
from ..stats.service import list_filter

MAX_ROWS = 15  # in the printed report; the xlsx appendix lists up to APPENDIX_ROWS
APPENDIX_ROWS = 2000
EVENTS = CaseEvent.__table__


@dataclass
class CaseList:
    total: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)  # up to APPENDIX_ROWS
    list_filter: dict[str, str] | None = None  # the console's filter for all of them

    @property
    def shown(self) -> list[dict[str, Any]]:
        return self.rows[:MAX_ROWS]


def _listing(condition: Any, order: Any) -> CaseList:
    village = Unit.__table__.alias("list_village")
    category = Category.__table__.alias("list_category")
    total = db.session.execute(select(func.count()).select_from(Case).where(condition)
                               ).scalar_one()
    rows = db.session.execute(
        select(cast(Case.id, String).label("id"), Case.title, Case.state, Case.severity,
               Case.is_urgent, Case.reported_at, Case.due_at, Case.rebound_count,
               category.c.name.label("category"), village.c.name.label("village"))
        .select_from(Case)
        .outerjoin(village, village.c.id == Case.village_id)
        .outerjoin(category, category.c.id == Case.category_id)
        .where(condition).order_by(*order).limit(APPENDIX_ROWS)).mappings().all()
    return CaseList(total=int(total), rows=[dict(r) for r in rows])


def _under(path: str) -> Any:
    return Case.location_path.descendant_of(literal(path, LTree()))


def overdue(place: Place, now: dt.datetime, period: Period) -> CaseList:
    """Open cases past their time limit now (the 当前超期 indicator's cases), most overdue
    first."""
    found = _listing(and_(_under(place.path), case_predicates(now)[Count.overdue_now]),
                     (Case.due_at, Case.id))
    found.list_filter = list_filter(Count.overdue_now, place, period)
    return found


def rebounds(place: Place, period: Period) -> CaseList:
    """Cases reopened in the month (反弹: 重新启动, or a dissatisfied follow-up visit),
    whenever reported."""
    reopened = select(EVENTS.c.case_id).where(
        or_(EVENTS.c.action == Action.reopen.value,
            and_(EVENTS.c.action == Action.follow_up.value,
                 EVENTS.c.to_state == CaseState.accepted.value)),
        in_period(EVENTS.c.at, period.start, period.end))
    return _listing(and_(_under(place.path), Case.id.in_(reopened)),
                    (Case.reported_at.desc(), Case.id))


def urgent(place: Place, period: Period) -> CaseList:
    """重大紧急事件 reported in the month."""
    found = _listing(and_(_under(place.path), Case.is_urgent.is_(True),
                          Case.state != CaseState.draft,
                          in_period(Case.reported_at, period.start, period.end)),
                     (Case.reported_at.desc(), Case.id))
    found.list_filter = {**list_filter(Count.reported, place, period), "urgent": "true"}
    return found
