"""The category dictionary: seeded from cases/data/categories.json (reference data, loaded by
`flask init-db`), looked up when a case is reported, listed for pickers (categories_api.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..sla.policy import DEFAULT_POLICY
from ..sla.store import deadlines_for
from ..sla.urgent import starts_clocks
from ..unit_of_work import committing
from .models import Category
from .vocabulary import Severity

DATA = Path(__file__).resolve().parent / "data" / "categories.json"


def read_taxonomy(path: Path = DATA) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))


def seed_categories(path: Path = DATA) -> int:
    """Insert missing platform categories and refresh existing ones; returns rows written."""
    existing = {c.code: c for c in db.session.execute(
        select(Category).where(Category.county_id.is_(None))).scalars()}
    written = 0
    with committing():
        for top in read_taxonomy(path):
            parent = _upsert(existing, top, None)
            written += 1
            for leaf in top["children"]:
                _upsert(existing, leaf, parent)
                written += 1
    return written


def _upsert(existing: dict[str, Category], item: dict[str, Any],
            parent: Category | None) -> Category:
    category = existing.get(item["code"]) or Category(code=item["code"])
    category.parent = parent
    category.name = item["name"]
    category.name_en = item["name_en"]
    category.default_severity = Severity(item["default_severity"]) if "default_severity" in item \
        else None
    category.time_limit_days = item.get("time_limit_days")
    category.departments = list(item.get("departments", []))
    category.weight = float(item.get("weight", 0.0))
    category.dedup_radius_m = int(item.get("dedup_radius_m", 300))
    db.session.add(category)
    db.session.flush()
    existing[category.code] = category
    return category


@dataclass(frozen=True)
class CategoryEntry:
    """One row of the dictionary as a picker shows it."""

    code: str
    name: str
    name_en: str
    parent_code: str | None
    default_severity: Severity | None
    urgent_clock: bool  # a 重大/特别重大 report in it starts the urgent reporting clocks


def active_categories(county_id: int | None) -> list[CategoryEntry]:
    """The active categories of the platform and of the county, top level and second level
    alike, ordered by code. `urgent_clock` follows the county's own policy (the category
    groups it watches, sla/policy.py UrgentLimits), by the same rule as a real report."""
    parent = aliased(Category)
    rows = db.session.execute(
        select(Category.code, Category.name, Category.name_en, Category.default_severity,
               parent.code.label("parent_code"))
        .outerjoin(parent, parent.id == Category.parent_id)
        .where(Category.is_active.is_(True),
               or_(Category.county_id.is_(None), Category.county_id == county_id))
        .order_by(Category.code)
    ).all()
    policy = deadlines_for(county_id).policy if county_id is not None else DEFAULT_POLICY
    return [CategoryEntry(code=row.code, name=row.name, name_en=row.name_en,
                          parent_code=row.parent_code, default_severity=row.default_severity,
                          urgent_clock=starts_clocks(False, Severity.serious, row.code,
                                                     policy.urgent))
            for row in rows]
