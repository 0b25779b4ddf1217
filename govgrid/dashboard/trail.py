"""The breadcrumb of a place: the units above it that the reader may see (county, township,
village), then the place itself. Through the ORM, so a township centre's trail starts at its
own township."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, literal, select

from ..extensions import db
from ..geo.ltree import LTree
from ..geo.models import Unit
from ..stats.places import CELL, Place


def trail(place: Place) -> list[dict[str, Any]]:
    """[{code, name, level}] from the highest visible unit down to the place."""
    rows = db.session.execute(
        select(Unit.code, Unit.name, Unit.level)
        .where(Unit.path.ancestor_of(literal(place.path, LTree())))
        .order_by(func.nlevel(Unit.path))).all()
    steps = [{"code": r.code, "name": r.name, "level": str(r.level.value)} for r in rows]
    if place.level == CELL:
        steps.append({"code": place.code, "name": place.name, "level": CELL})
    return steps
