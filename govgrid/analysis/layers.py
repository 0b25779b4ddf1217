"""Reading stored analysis results (no computing here: runs are the worker's).

- `cells`: the grid cells under a place with their result in the month's latest finished
  hot-spot run, as GeoJSON assembled in PostgreSQL (like stats/choropleth.py);
- `prediction`: the latest backtest's checks, month by month, with the averages per method
  and target (`averages`, pure);
- `run_answer`: a run as the API shows it (category by code, stage in words).

Everything goes through the ORM, so the jurisdiction rules apply: a township reads its own
cells' results, never another county's runs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Numeric, cast, func, literal, select

from ..auth.principal import Principal
from ..cases.models import Category
from ..errors import NotFound, Unprocessable
from ..extensions import db
from ..geo.ltree import LTree
from ..geo.models import GridCell, Unit
from ..geo.services import feature_collection, feature_json
from ..stats.places import find_place
from .labels import stage_label
from .models import AnalysisRun, CellResult, PredictionCheck, RunKind
from .runs import current_run
from .settings import county_of


def month_text(month: dt.date) -> str:
    return f"{month:%Y-%m}"


def category_group(code: str | None) -> int | None:
    """The id of a category group (a top-level category) by its code; None for all cases."""
    if code is None:
        return None
    found = db.session.execute(select(Category.id).where(
        Category.code == code, Category.parent_id.is_(None))).scalar_one_or_none()
    if found is None:
        raise Unprocessable(_l("%(code)s is not a category group (a top-level category).",
                               code=code))
    return found


def _category_code(category_id: int | None) -> str | None:
    if category_id is None:
        return None
    return db.session.execute(select(Category.code).where(
        Category.id == category_id)).scalar_one_or_none()


def run_answer(run: AnalysisRun) -> dict[str, Any]:
    return {
        "id": run.id, "kind": run.kind.value, "month": month_text(run.month),
        "category": _category_code(run.category_id), "distance_m": run.distance_m,
        "window_months": run.window_months, "status": run.status.value,
        "progress": run.progress, "stage": run.stage,
        "stage_label": stage_label(run.status.value, run.stage), "error": run.error,
        "summary": run.summary or {}, "settings": run.settings or {},
        "created_at": run.created_at, "started_at": run.started_at,
        "finished_at": run.finished_at,
    }


def _rounded(column: Any, digits: int) -> Any:
    return func.round(cast(column, Numeric), digits)


def cells(principal: Principal, month: dt.date, category: str | None, unit: str | None,
          tolerance: float) -> dict[str, Any]:
    """GeoJSON of the cells under `unit` (the reader's own unit when None) with their result
    in the latest finished hot-spot run of the month; 404 when there is none."""
    place = find_place(unit, principal)
    run = current_run(county_of(principal), RunKind.hotspots, month, category_group(category))
    if run is None:
        raise NotFound(_l("No finished hot-spot analysis for %(month)s yet: run it on the "
                          "analysis page.", month=month_text(month)))
    r = CellResult
    props = {
        "code": GridCell.code, "name": GridCell.name, "village": Unit.name,
        "cases": r.cases, "z": _rounded(r.z, 2), "p": _rounded(r.p, 4), "q": _rounded(r.q, 4),
        "hot_class": r.hot_class, "reason": r.reason, "hot_months": r.hot_months,
        "trend_z": _rounded(r.trend_z, 2), "trend_p": _rounded(r.trend_p, 4),
        "pattern": r.pattern, "pattern_side": r.pattern_side, "repeats": r.repeats,
        "escalated": r.escalated, "rebounded": r.rebounded, "urgent": r.urgent,
        "score": _rounded(r.score, 1), "grade": r.grade,
    }
    query = (select(feature_json(GridCell, tolerance, props).label("feature"))
             .join(r, (r.grid_cell_id == GridCell.id) & (r.run_id == run.id))
             .join(Unit, Unit.id == GridCell.village_id)
             .where(GridCell.path.descendant_of(literal(place.path, LTree())))
             .order_by(GridCell.code))
    collection = feature_collection(query)
    collection["run"] = {"id": run.id, "month": month_text(run.month),
                         "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                         "settings": run.settings or {}}
    collection["place"] = place.as_dict()
    return collection


def averages(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per method and target, over the months whose next month had cases: the mean hit rate,
    the mean PAI, the mean share of area flagged, and the pooled hit rate (all hits ÷ all
    cases). Months with nothing to hit (total 0) are left out, not counted as misses."""
    groups: dict[tuple[str, float], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["method"], row["target"])].append(row)
    answer = []
    for (method, target), members in sorted(groups.items()):
        counted = [m for m in members if m["total"] > 0 and m["hit_rate"] is not None]
        pais = [m["pai"] for m in counted if m["pai"] is not None]
        hits, total = sum(m["hits"] for m in counted), sum(m["total"] for m in counted)
        answer.append({
            "method": method, "target": target, "months": len(counted),
            "hit_rate": sum(m["hit_rate"] for m in counted) / len(counted) if counted else None,
            "pai": sum(pais) / len(pais) if pais else None,
            "area_share": (sum(m["area_share"] for m in counted) / len(counted)
                           if counted else None),
            "hits": hits, "total": total,
            "pooled_hit_rate": hits / total if total else None,
        })
    return answer


def prediction(principal: Principal, category: str | None) -> dict[str, Any]:
    """The latest finished backtest of the reader's county: each month's checks and the
    averages; 404 when no backtest has finished."""
    run = current_run(county_of(principal), RunKind.backtest, None, category_group(category))
    if run is None:
        raise NotFound(_l("No predictive check has finished yet: run one on the analysis "
                          "page."))
    checks = db.session.execute(select(PredictionCheck).where(PredictionCheck.run_id == run.id)
                                .order_by(PredictionCheck.month, PredictionCheck.method,
                                          PredictionCheck.target)).scalars()
    rows = [{"month": month_text(c.month), "method": c.method, "target": c.target,
             "area_share": c.area_share, "cells": c.cells, "hits": c.hits, "total": c.total,
             "hit_rate": c.hit_rate, "pai": c.pai} for c in checks]
    return {"run": run_answer(run), "rows": rows, "averages": averages(rows)}
