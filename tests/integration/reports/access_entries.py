"""Jurisdiction checks of the reports API for the access-matrix test
(tests/integration/auth/test_access_matrix.py walks every /api/v1 route). Registered there
with:

    from tests.integration.reports.access_entries import REPORT_ROUTES
    ROUTES.update(REPORT_ROUTES)

Each check gets the matrix's context (user, own unit, target unit: own, sibling or parent)
and whether the target is within the user's jurisdiction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert, select

from govgrid.auth.permissions import GRANTS, Permission
from govgrid.auth.scope import unscoped
from govgrid.dashboard.views import DASHBOARD_ROLES
from govgrid.geo.models import Unit
from govgrid.reports.models import MonthlyReport


def _report_in(db: Any, code: str) -> int:
    unit = db.execute(select(Unit.id, Unit.county_id, Unit.path).where(Unit.code == code)
                      .execution_options(**unscoped())).one()
    return db.execute(insert(MonthlyReport).values(
        county_id=unit.county_id, unit_id=unit.id, path=unit.path, month=dt.date(2026, 1, 1),
        status="queued", progress=0).returning(MonthlyReport.id)).scalar_one()


def _list(ctx: Any, db: Any, visible: bool) -> None:
    report_id = _report_in(db, ctx.target)
    response = ctx.client.get("/api/v1/reports?page_size=100")
    if ctx.role not in DASHBOARD_ROLES:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert (report_id in {r["id"] for r in response.json}) == visible


def _get(ctx: Any, db: Any, visible: bool) -> None:
    report_id = _report_in(db, ctx.target)
    response = ctx.client.get(f"/api/v1/reports/{report_id}")
    if ctx.role not in DASHBOARD_ROLES:
        assert response.status_code == 403
    else:
        assert response.status_code == (200 if visible else 404), response.json


def _request(ctx: Any, db: Any, visible: bool) -> None:
    level = db.execute(select(Unit.level).where(Unit.code == ctx.target)
                       .execution_options(**unscoped())).scalar_one()
    response = ctx.client.post("/api/v1/reports", json={"unit": ctx.target, "month": "2026-01"})
    if ctx.role not in GRANTS[Permission.run_analysis]:
        expected = 403
    elif not visible:
        expected = 404
    else:
        expected = 202 if level.value in ("county", "township") else 422
    assert response.status_code == expected, (ctx.username, ctx.target, response.json)


REPORT_ROUTES = {
    ("GET", "/api/v1/reports"): _list,
    ("POST", "/api/v1/reports"): _request,
    ("GET", "/api/v1/reports/<int:report_id>"): _get,
}
