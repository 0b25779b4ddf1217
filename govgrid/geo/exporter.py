"""Export boundaries as an RFC 7946 GeoJSON FeatureCollection, built in one SQL statement.

RFC 7946: WGS 84 lon/lat with no `crs` member, exterior rings counter-clockwise. Seven
decimals (about 1 cm) is the grid the boundaries are stored on, so what is exported imports
back unchanged (`flask geo import` of an export reports nothing).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import text

from ..errors import NotFound
from ..extensions import db
from .counties import find_county_id

EXPORT_DECIMALS = 7
LEVELS = ("township", "village", "grid")

_FEATURE = """json_build_object(
    'type', 'Feature', 'id', e.code,
    'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(e.boundary), {decimals}, 0)::json,
    'properties', json_build_object(
        'code', e.code, 'name', e.name, 'level', {level}, 'parent_code', p.code,
        'population', e.population, 'households', e.households{extra}))"""


def _feature_sql(level: str) -> str:
    if level == "grid":
        return _FEATURE.format(decimals=EXPORT_DECIMALS, level="'grid'",
                               extra=", 'kind', e.kind")
    return _FEATURE.format(decimals=EXPORT_DECIMALS, level="e.level", extra="")


def export_geojson(level: str, county_code: str, parent_code: str | None = None
                   ) -> dict[str, Any]:
    """Units of `level` (township / village) or grid cells of the county, optionally only
    those under `parent_code` (any ancestor: a township's villages or cells, a village's
    cells), ordered by code."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    session = db.session
    county_id = find_county_id(session, county_code)
    params: dict[str, Any] = {"cid": county_id}
    where = "e.county_id = :cid"
    if level != "grid":
        where += " AND e.level = CAST(:level AS unit_level)"
        params["level"] = level
    if parent_code is not None:
        parent_path = session.execute(
            text("SELECT path::text FROM units WHERE code = :code AND county_id = :cid"),
            {"code": parent_code, "cid": county_id},
        ).scalar_one_or_none()
        if parent_path is None:
            raise NotFound(_l("No unit with code %(code)s.", code=parent_code))
        # A proper descendant: exporting under a village at village level yields nothing.
        where += " AND e.path <@ CAST(:path AS ltree) AND e.code <> :parent"
        params.update(path=parent_path, parent=parent_code)
    table, fk = ("grid_cells", "village_id") if level == "grid" else ("units", "parent_id")
    features = session.execute(text(f"""
        SELECT COALESCE(json_agg({_feature_sql(level)} ORDER BY e.code), '[]'::json)
        FROM {table} e LEFT JOIN units p ON p.id = e.{fk}
        WHERE {where}"""), params).scalar_one()
    return {"type": "FeatureCollection", "features": features}
