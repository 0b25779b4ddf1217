"""Load the synthetic demo county into the database (once)."""

from __future__ import annotations

from dataclasses import dataclass

from geoalchemy2.shape import from_shape
from sqlalchemy import insert, select

from ..audit.recorder import record
from ..extensions import db
from ..geo.ltree import child_path
from ..geo.models import CellKind, GridCell, Unit, UnitLevel
from ..geo.paths import next_unit_id
from .boundaries import SynthCounty


@dataclass(frozen=True)
class LoadResult:
    loaded: bool
    units: int
    cells: int


def demo_loaded(county_code: str) -> bool:
    return db.session.execute(select(Unit.id).where(Unit.code == county_code)).first() is not None


def load_county(county: SynthCounty) -> LoadResult:
    """Insert units and cells of a generated county in one transaction; a no-op if present."""
    root = county.units[0]
    if demo_loaded(root.code):
        return LoadResult(False, 0, 0)
    session = db.session
    try:
        county_id = next_unit_id(session)
        ids: dict[str, int] = {}
        paths: dict[str, str] = {}
        # Parents come before children in `units`, so one pass can resolve parent ids; rows
        # are inserted level by level to keep the statement count small.
        for level in (UnitLevel.county, UnitLevel.township, UnitLevel.village):
            rows = []
            for unit in county.units:
                if unit.level != level.value:
                    continue
                parent_path = paths.get(unit.parent_code) if unit.parent_code else None
                paths[unit.code] = child_path(parent_path, unit.code)
                row = {
                    "county_id": county_id,
                    "parent_id": ids[unit.parent_code] if unit.parent_code else None,
                    "level": level, "code": unit.code, "name": unit.name,
                    "path": paths[unit.code],
                    "boundary": from_shape(unit.boundary, srid=4326),
                    "population": unit.population, "households": unit.households,
                }
                if level is UnitLevel.county:
                    row["id"] = county_id
                rows.append(row)
            for unit_id, code in session.execute(
                insert(Unit).returning(Unit.id, Unit.code, sort_by_parameter_order=True), rows
            ):
                ids[code] = unit_id
        cell_rows = [
            {
                "county_id": county_id, "village_id": ids[cell.village_code],
                "code": cell.code, "name": cell.name, "kind": CellKind(cell.kind),
                "path": child_path(paths[cell.village_code], cell.code),
                "boundary": from_shape(cell.boundary, srid=4326),
                "households": cell.households, "population": cell.population,
            }
            for cell in county.cells
        ]
        session.execute(insert(GridCell), cell_rows)
        record("demo.load", object_type="units", object_id=root.code, county_id=county_id,
               summary={"units": len(county.units), "cells": len(county.cells)})
        session.commit()
    except Exception:
        session.rollback()
        raise
    return LoadResult(True, len(county.units), len(county.cells))
