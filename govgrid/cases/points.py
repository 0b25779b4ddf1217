"""Where the cases of a list are, as a GeoJSON FeatureCollection built by PostgreSQL (the
consoles' clustered markers, the county dashboard's heat and cluster layers).

One statement: the filtered list of `queries.filtered` (the same filters as GET
/api/v1/cases, scoped by the jurisdiction hook like every ORM select), each row turned into
a Feature by json_build_object, the first `limit` in the list's order gathered by json_agg,
and the number of all matching cases counted alongside by a window function, so a client
can say "showing N of M".

A case reported without a GPS point is placed at a point inside the smallest unit it is
located in (its grid cell, village, township or county) and marked `approximate`. Those
boundaries are read from the tables (unscoped, as dispatch does for distances): only a
coordinate of the case's own place comes out of them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, cast, func, literal_column, over, select, text
from sqlalchemy import case as sql_case

from ..extensions import db
from ..geo.models import GridCell, Unit
from ..timestamps import utcnow
from .deadlines import CLOCKED_STATES
from .models import Case
from .queries import ORDERS, filtered

MAX_POINTS = 5000
COORDINATE_DECIMALS = 6  # about 0.1 m: finer than any phone's GPS

_units = Unit.__table__
_cells = GridCell.__table__


def _deadline_state(now: Any) -> Any:
    """normal / due_soon / overdue now, or NULL with no running clock: the rule of
    deadlines.deadline_state, in SQL."""
    running = Case.state.in_(CLOCKED_STATES) & Case.due_at.is_not(None)
    return sql_case(
        (~running, None),
        (Case.due_at <= now, "overdue"),
        (Case.due_soon_at <= now, "due_soon"),
        else_="normal")


def _json_object(**pairs: Any) -> Any:
    args: list[Any] = []
    for key, value in pairs.items():
        args += [literal_column(f"'{key}'"), value]
    return func.json_build_object(*args)


def case_points(args: dict[str, Any], limit: int = MAX_POINTS) -> dict[str, Any]:
    """The filtered cases as point Features (id, title, state, severity, deadline_state,
    is_urgent, approximate), at most `limit` of them in the list's order, with `total` the
    number of all that match."""
    cell = _cells.alias("place_cell")
    village, township, county = (_units.alias(f"place_{n}")
                                 for n in ("village", "township", "county"))
    # COALESCE stops at the first value: boundaries are only touched for cases with no point.
    anchor = func.coalesce(
        Case.point, func.ST_PointOnSurface(cell.c.boundary),
        func.ST_PointOnSurface(village.c.boundary), func.ST_PointOnSurface(township.c.boundary),
        func.ST_PointOnSurface(county.c.boundary))
    feature = _json_object(
        type=literal_column("'Feature'"),
        id=Case.id,
        geometry=cast(func.ST_AsGeoJSON(anchor, COORDINATE_DECIMALS), JSON),
        properties=_json_object(
            id=Case.id, title=Case.title, state=Case.state, severity=Case.severity,
            deadline_state=_deadline_state(utcnow()), is_urgent=Case.is_urgent,
            approximate=Case.point.is_(None)))
    rows = (
        filtered(args)
        .with_only_columns(feature.label("feature"), over(func.count()).label("total"),
                           maintain_column_froms=True)
        .outerjoin(cell, cell.c.id == Case.grid_cell_id)
        .outerjoin(village, village.c.id == Case.village_id)
        .outerjoin(township, township.c.id == Case.township_id)
        .outerjoin(county, county.c.id == Case.county_id)
        .order_by(*ORDERS[args.get("sort", "-reported_at")])
        .limit(limit)
        .subquery())
    features, total = db.session.execute(select(
        func.coalesce(func.json_agg(rows.c.feature), text("'[]'::json")),
        func.coalesce(func.max(rows.c.total), 0))).one()
    return {"type": "FeatureCollection", "features": features, "total": total,
            "truncated": total > len(features)}
