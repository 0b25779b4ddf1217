"""What a month's cases say about each grid cell beyond their number, for the risk grade
(analysis/risk.py): repeat places, escalations, rebounds and urgent incidents. Two
statements, each aggregated per cell in PostgreSQL; run by the job as the platform.

- repeats: cases reported in the month at a place where a case of the same category was
  reported in the 90 days before, within REPEAT_RADIUS_M (geodesic, through the GiST index
  on geography(point));
- escalated: escalations in the month (上交, 提级, 超期自动提级) of cases in the cell;
- rebounded: rebounds in the month (反弹重启, or a dissatisfied follow-up reopening a case);
- urgent: 重大紧急事件 reported in the month.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, func, literal_column, or_, select
from sqlalchemy.orm import aliased

from ..cases.models import Case, CaseEvent
from ..cases.workflow import Action, CaseState
from ..extensions import db
from ..stats.period import local_midnight, next_month
from .inputs import NOT_INCIDENTS, Cells, in_group
from .pipeline import Facts

REPEAT_RADIUS_M = 200.0
REPEAT_DAYS = 90
ESCALATIONS = (Action.escalate, Action.pull_up, Action.auto_escalate)
EVENTS = CaseEvent.__table__  # read as a table: the job is unscoped and joins its cases


def cell_facts(cells: Cells, county_id: int, month: dt.date,
               category_ids: list[int] | None = None) -> Facts:
    start, end = local_midnight(month), local_midnight(next_month(month))
    earlier = aliased(Case)
    repeat = (select(literal_column("1")).where(
        earlier.category_id == Case.category_id, earlier.id != Case.id,
        earlier.state.not_in(NOT_INCIDENTS), earlier.point.is_not(None),
        earlier.reported_at < Case.reported_at,
        earlier.reported_at >= Case.reported_at - dt.timedelta(days=REPEAT_DAYS),
        func.ST_DWithin(func.geography(earlier.point), func.geography(Case.point),
                        REPEAT_RADIUS_M)).exists())
    per_case = db.session.execute(
        select(Case.grid_cell_id, func.count().filter(and_(Case.point.is_not(None), repeat)),
               func.count().filter(Case.is_urgent.is_(True)))
        .where(Case.county_id == county_id, Case.grid_cell_id.is_not(None),
               Case.state.not_in(NOT_INCIDENTS), *in_group(category_ids),
               Case.reported_at >= start, Case.reported_at < end)
        .group_by(Case.grid_cell_id)).all()
    rebound = or_(EVENTS.c.action == Action.reopen,
                  and_(EVENTS.c.action == Action.follow_up,
                       EVENTS.c.to_state == CaseState.accepted))
    per_event = db.session.execute(
        select(Case.grid_cell_id,
               func.count().filter(EVENTS.c.action.in_([a.value for a in ESCALATIONS])),
               func.count().filter(rebound))
        .select_from(EVENTS.join(Case.__table__, Case.id == EVENTS.c.case_id))
        .where(EVENTS.c.county_id == county_id, EVENTS.c.at >= start, EVENTS.c.at < end,
               Case.grid_cell_id.is_not(None), *in_group(category_ids))
        .group_by(Case.grid_cell_id)).all()
    index = cells.index()
    facts = Facts.none(len(cells.ids))
    for cell_id, repeats, urgent in per_case:
        if cell_id in index:
            facts.repeats[index[cell_id]] = repeats
            facts.urgent[index[cell_id]] = urgent
    for cell_id, escalated, rebounded in per_event:
        if cell_id in index:
            facts.escalated[index[cell_id]] = escalated
            facts.rebounded[index[cell_id]] = rebounded
    return facts
