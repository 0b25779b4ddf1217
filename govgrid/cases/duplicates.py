"""Duplicate detection: open cases of the same category reported nearby, recently.

"Nearby" is the category's own radius (a neighbour quarrel is one house, a grassland dispute
a whole pasture); "recently" is DEDUP_DAYS. Without a GPS point the case's own village (or
unit) stands in for the distance. The reader only sees candidates within their
jurisdiction, like everything else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from .models import Case
from .workflow import CaseState

OPEN_STATES = (CaseState.reported, CaseState.accepted, CaseState.mediating,
               CaseState.suspended)
MAX_CANDIDATES = 10


def possible_duplicates(case: Case) -> list[dict[str, Any]]:
    days = int(current_app.config.get("DEDUP_DAYS", 30))
    since = (case.reported_at or case.created_at) - dt.timedelta(days=days)
    query = select(Case.id, Case.title, Case.state, Case.reported_at).where(
        Case.id != case.id, Case.category_id == case.category_id, Case.state.in_(OPEN_STATES),
        Case.reported_at >= since)
    if case.point is not None:
        here = func.geography(select(Case.point).where(Case.id == case.id).scalar_subquery())
        distance = func.ST_Distance(func.geography(Case.point), here)
        query = query.add_columns(distance.label("distance_m")).where(
            func.ST_DWithin(func.geography(Case.point), here, case.category.dedup_radius_m)
        ).order_by(distance)
    else:
        place = case.location_path.rsplit(".", 1)[0] if case.grid_cell_id else case.location_path
        query = query.add_columns(func.cast(None, db.Float).label("distance_m")).where(
            Case.location_path.descendant_of(place)).order_by(Case.reported_at.desc())
    rows = db.session.execute(query.limit(MAX_CANDIDATES)).all()
    return [{"id": r.id, "title": r.title, "state": r.state.value, "reported_at": r.reported_at,
             "distance_m": None if r.distance_m is None else round(r.distance_m, 1)}
            for r in rows]
