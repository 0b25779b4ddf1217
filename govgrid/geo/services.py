"""Read-side geography services: point location, the unit tree, boundaries as GeoJSON.

GeoJSON is assembled inside PostgreSQL (json_agg over ST_AsGeoJSON) so a map request costs one
query and no per-feature Python work.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Float,
    Numeric,
    Select,
    bindparam,
    cast,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import aliased

from ..auth.scope import unscoped
from ..errors import NotFound, Unprocessable
from ..extensions import db
from .models import GridCell, Unit, UnitLevel

GEOJSON_DECIMALS = 6  # about 0.1 m: finer than any survey we will be given
MAX_FEATURES = 5000


@dataclass(frozen=True)
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def envelope(self) -> Any:
        return func.ST_MakeEnvelope(self.min_lon, self.min_lat, self.max_lon, self.max_lat, 4326)


def _point(lon: float, lat: float) -> Any:
    return func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)


def _ref(row: Any, prefix: str) -> dict[str, object] | None:
    if getattr(row, f"{prefix}_id") is None:
        return None
    return {
        "id": getattr(row, f"{prefix}_id"),
        "code": getattr(row, f"{prefix}_code"),
        "name": getattr(row, f"{prefix}_name"),
    }


@functools.cache
def locate_statement() -> Select:
    """Cell, village, township and county for a point: one GiST probe on grid cells, then
    three primary-key joins up the tree. Built once: constructing aliased joins costs more
    than running the query, so the point arrives as bound parameters `lon` and `lat`."""
    village, township, county = aliased(Unit), aliased(Unit), aliased(Unit)
    cols = []
    for prefix, table in (("cell", GridCell), ("village", village), ("township", township),
                          ("county", county)):
        cols += [table.id.label(f"{prefix}_id"), table.code.label(f"{prefix}_code"),
                 table.name.label(f"{prefix}_name")]
    point = func.ST_SetSRID(
        func.ST_MakePoint(bindparam("lon", type_=Float), bindparam("lat", type_=Float)), 4326
    )
    return (
        select(*cols)
        .select_from(GridCell)
        # Outer joins: ancestors above the reader's jurisdiction are filtered out by the
        # scoping rules and come back as nulls (nobody reads up), the cell still answers.
        .outerjoin(village, village.id == GridCell.village_id)
        .outerjoin(township, township.id == village.parent_id)
        .outerjoin(county, county.id == township.parent_id)
        .where(func.ST_Intersects(GridCell.boundary, point))
        .order_by(GridCell.code)  # a point on a shared edge belongs to the lower code
        .limit(1)
    )


def _units_at(lon: float, lat: float) -> dict[str, dict[str, object]]:
    """Fallback for areas not divided into grid cells (possible with imported real data)."""
    rows = db.session.execute(
        select(Unit.level, Unit.id, Unit.code, Unit.name)
        .where(func.ST_Intersects(Unit.boundary, _point(lon, lat)))
        .order_by(Unit.code)
    ).all()
    found: dict[str, dict[str, object]] = {}
    for row in rows:
        found.setdefault(row.level.value, {"id": row.id, "code": row.code, "name": row.name})
    return found


def locate(lon: float, lat: float) -> dict[str, object]:
    """Which grid cell, village, township and county contain this point."""
    row = db.session.execute(locate_statement(), {"lon": lon, "lat": lat}).first()
    if row is not None:
        return {
            "lon": lon, "lat": lat,
            "grid_cell": _ref(row, "cell"), "village": _ref(row, "village"),
            "township": _ref(row, "township"), "county": _ref(row, "county"),
        }
    units = _units_at(lon, lat)
    if not units:
        raise _outside(lon, lat)
    return {
        "lon": lon, "lat": lat, "grid_cell": None,
        "village": units.get("village"), "township": units.get("township"),
        "county": units.get("county"),
    }


def _outside(lon: float, lat: float) -> Unprocessable:
    """Nothing the reader may see contains the point: say whether it is outside the county
    altogether or only outside the reader's jurisdiction (which reveals nothing more)."""
    in_some_county = db.session.execute(
        select(Unit.id).where(
            Unit.level == UnitLevel.county, func.ST_Intersects(Unit.boundary, _point(lon, lat))
        ).execution_options(**unscoped()).limit(1)
    ).first()
    if in_some_county:
        return Unprocessable(
            _l("This location (%(lon)s, %(lat)s) lies outside your jurisdiction.",
               lon=lon, lat=lat)
        )
    return Unprocessable(
        _l("This location (%(lon)s, %(lat)s) lies outside the county.", lon=lon, lat=lat)
    )


def unit_tree(root_code: str | None = None, depth: int | None = None) -> list[dict[str, object]]:
    """Units as nested nodes (no geometry), from the root(s) down to `depth` levels."""
    query = select(
        Unit.id, Unit.code, Unit.name, Unit.level, Unit.parent_id, Unit.population,
        Unit.households, func.nlevel(Unit.path).label("depth"),
    ).order_by(Unit.path)
    root_depth = 1
    if root_code is not None:
        root = db.session.execute(
            select(Unit.path, func.nlevel(Unit.path)).where(Unit.code == root_code)
        ).first()
        if root is None:
            raise NotFound(_l("No unit with code %(code)s.", code=root_code))
        query = query.where(Unit.path.descendant_of(root[0]))
        root_depth = root[1]
    if depth is not None:
        query = query.where(func.nlevel(Unit.path) < root_depth + depth)
    nodes: dict[int, dict[str, object]] = {}
    roots: list[dict[str, object]] = []
    for row in db.session.execute(query):
        node = {
            "id": row.id, "code": row.code, "name": row.name, "level": row.level.value,
            "population": row.population, "households": row.households, "children": [],
        }
        nodes[row.id] = node
        parent = nodes.get(row.parent_id) if row.parent_id is not None else None
        if parent is None:
            roots.append(node)
        else:
            parent["children"].append(node)  # type: ignore[union-attr]
    return roots


def feature_json(table: Any, tolerance: float, properties: dict[str, Any]) -> Any:
    geometry = table.boundary
    if tolerance > 0:
        geometry = func.ST_SimplifyPreserveTopology(geometry, tolerance)
    props: list[Any] = []
    for key, column in properties.items():
        props += [literal_column(f"'{key}'"), column]
    return func.json_build_object(
        literal_column("'type'"), literal_column("'Feature'"),
        literal_column("'id'"), table.code,
        literal_column("'geometry'"),
        cast(func.ST_AsGeoJSON(geometry, GEOJSON_DECIMALS), JSON),
        literal_column("'properties'"), func.json_build_object(*props),
    )


def feature_collection(rows: Select) -> dict[str, object]:
    sub = rows.limit(MAX_FEATURES + 1).subquery()
    features = db.session.execute(
        select(func.coalesce(func.json_agg(sub.c.feature), text("'[]'::json")))
    ).scalar_one()
    truncated = len(features) > MAX_FEATURES
    return {"type": "FeatureCollection", "features": features[:MAX_FEATURES],
            "truncated": truncated}


def _unit_properties() -> dict[str, Any]:
    parent = aliased(Unit)
    return {
        "code": Unit.code, "name": Unit.name, "level": Unit.level,
        "population": Unit.population, "households": Unit.households,
        "parent_code": select(parent.code).where(parent.id == Unit.parent_id).scalar_subquery(),
        # Area on the spheroid (geography), never in a projected CRS.
        "area_km2": func.round(cast(func.ST_Area(func.geography(Unit.boundary)) / 1e6, Numeric), 2),
    }


def unit_feature(code: str, tolerance: float) -> dict[str, object]:
    """One unit with its boundary as a GeoJSON Feature."""
    feature = db.session.execute(
        select(feature_json(Unit, tolerance, _unit_properties())).where(Unit.code == code)
    ).scalar_one_or_none()
    if feature is None:
        raise NotFound(_l("No unit with code %(code)s.", code=code))
    return feature


def unit_features(
    level: UnitLevel, tolerance: float, bbox: BBox | None = None, parent_code: str | None = None
) -> dict[str, object]:
    """Boundaries of the units of one level, optionally within a bbox or under a parent."""
    query = select(feature_json(Unit, tolerance, _unit_properties()).label("feature")).where(
        Unit.level == level
    )
    if bbox is not None:
        query = query.where(Unit.boundary.intersects(bbox.envelope()))
    if parent_code is not None:
        parent_path = select(Unit.path).where(Unit.code == parent_code).scalar_subquery()
        query = query.where(Unit.path.descendant_of(parent_path))
    return feature_collection(query.order_by(Unit.code))


def cell_features(
    tolerance: float, bbox: BBox | None = None, village_code: str | None = None
) -> dict[str, object]:
    """Grid-cell boundaries within a bbox and/or in one village."""
    village = aliased(Unit)
    props = {
        "code": GridCell.code, "name": GridCell.name, "kind": GridCell.kind,
        "households": GridCell.households, "population": GridCell.population,
        "village_code": village.code, "village_name": village.name,
    }
    query = select(feature_json(GridCell, tolerance, props).label("feature")).join(
        village, village.id == GridCell.village_id
    )
    if bbox is not None:
        query = query.where(GridCell.boundary.intersects(bbox.envelope()))
    if village_code is not None:
        query = query.where(village.code == village_code)
    return feature_collection(query.order_by(GridCell.code))


def locate_cells(points: list[tuple[float, float]]) -> list[str | None]:
    """Grid-cell codes for many (lon, lat) points in one set-based statement (None outside).

    For bulk work (imports, generated history): one round trip instead of one per point.
    """
    if not points:
        return []
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    rows = db.session.execute(
        text("""
            SELECT pts.i, cell.code
            FROM unnest(CAST(:lons AS float8[]), CAST(:lats AS float8[]))
                 WITH ORDINALITY AS pts(lon, lat, i)
            LEFT JOIN LATERAL (
                SELECT c.code FROM grid_cells c
                WHERE ST_Intersects(c.boundary, ST_SetSRID(ST_MakePoint(pts.lon, pts.lat), 4326))
                ORDER BY c.code LIMIT 1
            ) cell ON true
            ORDER BY pts.i"""),
        {"lons": lons, "lats": lats},
    )
    return [code for _, code in rows]
