"""Administrative units (county / township / village) and grid cells.

Both carry `county_id` (DESIGN §3: every tenant table does, so the schema can later be
distributed by county) and an ltree `path` for subtree queries. Boundaries are MultiPolygons
in SRID 4326; areas and distances are computed on `geography`.
"""

from __future__ import annotations

import enum

from geoalchemy2 import Geometry
from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .ltree import LTree


class UnitLevel(enum.StrEnum):
    county = "county"
    township = "township"
    village = "village"


class CellKind(enum.StrEnum):
    comprehensive = "comprehensive"  # 综合网格
    dedicated = "dedicated"  # 专属网格: school, hospital, industrial park


# The level below each level; grid cells sit below villages.
CHILD_LEVEL = {UnitLevel.county: UnitLevel.township, UnitLevel.township: UnitLevel.village}


class Unit(db.Model):
    __tablename__ = "units"
    __table_args__ = (
        CheckConstraint("code ~ '^[0-9]{12}$'", name="code_12_digits"),
        CheckConstraint(
            "(level = 'county') = (parent_id IS NULL)", name="only_county_is_root"
        ),
        # The database refuses invalid geometry, whatever path it arrives by.
        CheckConstraint("ST_IsValid(boundary)", name="boundary_valid"),
        Index("ix_units_path_gist", "path", postgresql_using="gist"),
        Index("ix_units_county_level", "county_id", "level"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # For the county row itself this is its own id.
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id", deferrable=True), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    level: Mapped[UnitLevel] = mapped_column(Enum(UnitLevel, name="unit_level"))
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    path: Mapped[str] = mapped_column(LTree(), unique=True)
    boundary = mapped_column(
        Geometry("MULTIPOLYGON", srid=4326, spatial_index=True), nullable=False
    )
    population: Mapped[int] = mapped_column(Integer, default=0)
    households: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], foreign_keys=[parent_id])

    def __repr__(self) -> str:
        return f"<Unit {self.code} {self.name}>"


class GridCell(db.Model):
    __tablename__ = "grid_cells"
    __table_args__ = (
        CheckConstraint("code ~ '^[0-9]{15}$'", name="code_15_digits"),
        CheckConstraint("ST_IsValid(boundary)", name="boundary_valid"),
        Index("ix_grid_cells_path_gist", "path", postgresql_using="gist"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    code: Mapped[str] = mapped_column(String(15), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[CellKind] = mapped_column(Enum(CellKind, name="cell_kind"))
    path: Mapped[str] = mapped_column(LTree(), unique=True)
    boundary = mapped_column(
        Geometry("MULTIPOLYGON", srid=4326, spatial_index=True), nullable=False
    )
    households: Mapped[int] = mapped_column(Integer, default=0)
    population: Mapped[int] = mapped_column(Integer, default=0)

    village: Mapped[Unit] = relationship(foreign_keys=[village_id])

    def __repr__(self) -> str:
        return f"<GridCell {self.code} {self.name}>"
