"""The map by ladder status: the townships of a county (or the villages of a township) as
GeoJSON with each unit's highest step in force, the end of its disqualification and its
pending proposals — one statement, the GeoJSON assembled in PostgreSQL like the grid-cell
choropleth (stats/choropleth.py). Scoped: units and sanctions are read through the ORM.

"In force" is the ladder's own rule (ladder.in_force) written in SQL: a confirmed 通报 or
约谈; a confirmed or rectified 挂牌督办 or 一票否决 whose disqualification has not ended. The
steps are a PostgreSQL enum declared lowest first, so max() is the highest step.
tests/integration/assessment/test_scorecards.py checks the map against ladder.standing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, or_, select

from ..geo.models import Unit
from ..geo.services import feature_collection, feature_json
from ..timestamps import DISPLAY_TZ
from .models import Sanction
from .vocabulary import SanctionState, Step


def in_force(now: dt.datetime) -> Any:
    lasting = (Step.supervision, Step.veto)
    return or_(
        and_(Sanction.step.not_in(lasting), Sanction.state == SanctionState.confirmed),
        and_(Sanction.step.in_(lasting),
             Sanction.state.in_((SanctionState.confirmed, SanctionState.rectified)),
             Sanction.disqualified_until.is_not(None), Sanction.disqualified_until > now))


def standing_map(parent: Unit, now: dt.datetime, tolerance: float) -> dict[str, Any]:
    live = in_force(now)
    per_unit = (select(Sanction.unit_id.label("unit_id"),
                       func.max(Sanction.step).filter(live).label("step"),
                       func.max(Sanction.disqualified_until).filter(live).label("until"),
                       func.count().filter(Sanction.state == SanctionState.proposed)
                       .label("proposed"))
                .where(Sanction.path.descendant_of(parent.path))
                .group_by(Sanction.unit_id)
                .cte("per_unit").prefix_with("MATERIALIZED", dialect="postgresql"))
    until = func.to_char(func.timezone(str(DISPLAY_TZ), per_unit.c.until), "YYYY-MM-DD")
    props = {
        "code": Unit.code, "name": Unit.name, "level": Unit.level,
        "step": per_unit.c.step, "disqualified_until": until,
        "proposed": func.coalesce(per_unit.c.proposed, 0),
        "unit_page": func.concat("/assessment/units/", Unit.code),
    }
    query = (select(feature_json(Unit, tolerance, props).label("feature"))
             .outerjoin(per_unit, per_unit.c.unit_id == Unit.id)
             .where(Unit.parent_id == parent.id))
    collection = feature_collection(query.order_by(Unit.code))
    collection["place"] = {"code": parent.code, "name": parent.name,
                           "level": parent.level.value}
    collection["as_of"] = now.isoformat()
    return collection
