"""The place an indicator is about: a unit (county, township, village) or a grid cell, found
by its code within the reader's jurisdiction, and the places one level below it (the rows of
a ranking, the next step of a drill-down)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, literal, select

from ..auth.principal import Principal
from ..cases.models import Case
from ..errors import NotFound
from ..extensions import db
from ..geo.models import GridCell, Unit

CELL = "cell"
CELL_CODE_LENGTH = 15


@dataclass(frozen=True)
class Place:
    id: int
    code: str
    name: str
    level: str  # county, township, village or cell
    path: str
    households: int
    parent_code: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "level": self.level,
                "households": self.households, "parent_code": self.parent_code}


# Where each level's cases are grouped one level down: the column of Case naming the child.
CHILD_COLUMN: dict[str, ColumnElement[Any]] = {
    "county": Case.township_id,
    "township": Case.village_id,
    "village": Case.grid_cell_id,
}


def find_place(code: str | None, principal: Principal) -> Place:
    """The unit or cell with this code (the reader's own unit when None). Through the ORM, so
    a place outside the jurisdiction is simply not found."""
    if code is None:
        query = _unit_query().where(Unit.id == principal.unit_id)
    elif len(code) == CELL_CODE_LENGTH:
        query = _cell_query().where(GridCell.code == code)
    else:
        query = _unit_query().where(Unit.code == code)
    row = db.session.execute(query).first()
    if row is None:
        raise NotFound(_l("No unit or grid cell with code %(code)s in your jurisdiction.",
                          code=code or "-"))
    return Place(**row._mapping)


def children(place: Place) -> list[Place]:
    """The places one level below, in code order (none below a grid cell)."""
    if place.level == CELL:
        return []
    if place.level == "village":
        query = _cell_query().where(GridCell.village_id == place.id)
    else:
        query = _unit_query().where(Unit.parent_id == place.id)
    return [Place(**row._mapping) for row in db.session.execute(query.order_by("code"))]


def _unit_query() -> Any:
    parent = Unit.__table__.alias("parent_unit")
    return (select(Unit.id, Unit.code, Unit.name, Unit.level, Unit.path, Unit.households,
                   parent.c.code.label("parent_code"))
            .outerjoin(parent, parent.c.id == Unit.parent_id))


def _cell_query() -> Any:
    village = Unit.__table__.alias("cell_village")
    return (select(GridCell.id, GridCell.code, GridCell.name, literal(CELL).label("level"),
                   GridCell.path, GridCell.households, village.c.code.label("parent_code"))
            .join(village, village.c.id == GridCell.village_id))

