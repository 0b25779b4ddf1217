"""The category dictionary: seeded from cases/data/categories.json (reference data, loaded by
`flask init-db`), looked up when a case is reported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..extensions import db
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
