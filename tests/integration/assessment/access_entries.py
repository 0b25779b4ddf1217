"""Jurisdiction checks of the assessment API for the access-matrix test
(tests/integration/auth/test_access_matrix.py walks every /api/v1 route), registered there
with `ROUTES.update(ASSESSMENT_ROUTES)`.

Events and sanctions are read like their unit (own and below; sideways and up are 404);
schemes county-wide. Rows are inserted as the system in the target unit; each check then
acts as the matrix's user and says what that user's role and reach must get."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, insert, select

from govgrid.assessment.models import (
    AssessmentScheme,
    MajorEvent,
    RectificationReport,
    Sanction,
)
from govgrid.assessment.scheme import to_data
from govgrid.assessment.schemes_store import default_for
from govgrid.auth.permissions import GRANTS, Permission
from govgrid.auth.roles import CENTRE_STAFF
from govgrid.auth.scope import unscoped
from govgrid.geo.models import Unit

WHEN = dt.datetime(2026, 3, 1, 2, tzinfo=dt.UTC)
EVENT = {"kind": "homicide", "severity": "major", "occurred_at": "2026-03-01T10:00:00+08:00",
         "title": "矩阵事件"}


def _unit(db: Any, code: str) -> Any:
    return db.execute(select(Unit.id, Unit.county_id, Unit.path, Unit.level)
                      .where(Unit.code == code).execution_options(**unscoped())).one()


def _may(ctx: Any, permission: Permission) -> bool:
    return ctx.role in GRANTS[permission]


def _ladder_level(db: Any, code: str) -> bool:
    return _unit(db, code).level.value in ("township", "village")


def _event_in(db: Any, code: str) -> int:
    unit = _unit(db, code)
    return db.execute(insert(MajorEvent).values(
        county_id=unit.county_id, unit_id=unit.id, path=unit.path, kind="homicide",
        severity="major", occurred_at=WHEN, title="矩阵事件", summary="", deaths=1,
        injuries=0, people_involved=0, reported_late=False, concealed=False, version=1)
        .returning(MajorEvent.id)).scalar_one()


def _scheme_in(db: Any, code: str) -> int:
    county = _unit(db, code).county_id
    number = db.execute(select(func.coalesce(func.max(AssessmentScheme.version), 0) + 1)
                        .where(AssessmentScheme.county_id == county,
                               AssessmentScheme.year == 2026)
                        .execution_options(**unscoped())).scalar_one()
    return db.execute(insert(AssessmentScheme).values(
        county_id=county, year=2026, version=number, revision=1,
        data=to_data(default_for(2026)), status="draft").returning(AssessmentScheme.id)
    ).scalar_one()


def _sanction_in(db: Any, code: str, state: str = "proposed") -> int:
    unit = _unit(db, code)
    confirmed = state == "confirmed"
    return db.execute(insert(Sanction).values(
        county_id=unit.county_id, unit_id=unit.id, path=unit.path, step="notice",
        state=state, trigger="manual", params={}, evidence={}, factors=[], proposed_at=WHEN,
        confirmed_at=WHEN if confirmed else None,
        deadline=WHEN + dt.timedelta(days=30) if confirmed else None, version=1)
        .returning(Sanction.id)).scalar_one()


def _report_in(db: Any, code: str) -> int:
    sanction_id = _sanction_in(db, code, "confirmed")
    county = _unit(db, code).county_id
    return db.execute(insert(RectificationReport).values(
        county_id=county, sanction_id=sanction_id, submitted_at=WHEN, text="整改",
        attachments=[], version=1).returning(RectificationReport.id)).scalar_one()


def _in_county(ctx: Any) -> bool:
    return ctx.target.startswith(ctx.own[:6])


def _write_expected(ctx: Any, db: Any, visible: bool, permission: Permission,
                    done: int) -> int:
    if not _may(ctx, permission):
        return 403
    if not visible:
        return 404
    return done if _ladder_level(db, ctx.target) else 422


def _decider_expects(ctx: Any, visible: bool) -> int:
    if not _may(ctx, Permission.decide_sanctions):
        return 403
    return 200 if visible else 404


def _list_events(ctx: Any, db: Any, visible: bool) -> None:
    event_id = _event_in(db, ctx.target)
    response = ctx.client.get("/api/v1/assessment/events?page_size=100")
    assert response.status_code == 200
    assert (event_id in {e["id"] for e in response.json}) == visible


def _record_event(ctx: Any, db: Any, visible: bool) -> None:
    response = ctx.client.post("/api/v1/assessment/events", json={**EVENT, "unit": ctx.target})
    expected = _write_expected(ctx, db, visible, Permission.record_major_events, 201)
    assert response.status_code == expected, (ctx.username, ctx.target, response.json)


def _get_event(ctx: Any, db: Any, visible: bool) -> None:
    response = ctx.client.get(f"/api/v1/assessment/events/{_event_in(db, ctx.target)}")
    assert response.status_code == (200 if visible else 404)


def _edit_event(ctx: Any, db: Any, visible: bool) -> None:
    event_id = _event_in(db, ctx.target)
    response = ctx.client.put(f"/api/v1/assessment/events/{event_id}",
                              json={**EVENT, "unit": ctx.target, "version": 1})
    expected = _write_expected(ctx, db, visible, Permission.record_major_events, 200)
    assert response.status_code == expected, (ctx.username, ctx.target, response.json)


def _event_from_case(ctx: Any, db: Any, visible: bool) -> None:
    from tests.integration.auth.test_access_matrix import _case_in, _may_read_cases

    case = _case_in(db, ctx.target)
    response = ctx.client.post("/api/v1/assessment/events/from-case", json={
        "case_id": str(case.id), "kind": "homicide", "severity": "major"})
    if not _may(ctx, Permission.record_major_events):
        expected = 403
    elif not (visible and _may_read_cases(ctx)):
        expected = 404
    else:
        expected = 201 if _ladder_level(db, ctx.target) else 422
    assert response.status_code == expected, (ctx.username, ctx.target, response.json)


def _list_schemes(ctx: Any, db: Any, visible: bool) -> None:
    scheme_id = _scheme_in(db, ctx.target)
    response = ctx.client.get("/api/v1/assessment/schemes?year=2026")
    assert response.status_code == 200
    assert (scheme_id in {s["id"] for s in response.json}) == _in_county(ctx)


def _create_scheme(ctx: Any, db: Any, visible: bool) -> None:
    response = ctx.client.post("/api/v1/assessment/schemes", json={"year": 2026})
    expected = 201 if _may(ctx, Permission.manage_assessment) else 403
    assert response.status_code == expected, response.json


def _get_scheme(ctx: Any, db: Any, visible: bool) -> None:
    response = ctx.client.get(f"/api/v1/assessment/schemes/{_scheme_in(db, ctx.target)}")
    assert response.status_code == (200 if _in_county(ctx) else 404)


def _scheme_write(action: str) -> Any:
    def check(ctx: Any, db: Any, visible: bool) -> None:
        scheme_id = _scheme_in(db, ctx.target)
        if action == "edit":
            response = ctx.client.put(f"/api/v1/assessment/schemes/{scheme_id}", json={
                "revision": 1, "data": to_data(default_for(2026))})
        else:
            response = ctx.client.post(f"/api/v1/assessment/schemes/{scheme_id}/activate",
                                       json={"revision": 1})
        if not _may(ctx, Permission.manage_assessment):
            expected = 403
        else:
            expected = 200 if _in_county(ctx) else 404
        assert response.status_code == expected, (ctx.username, ctx.target, response.json)
    return check


def _list_sanctions(ctx: Any, db: Any, visible: bool) -> None:
    sanction_id = _sanction_in(db, ctx.target)
    response = ctx.client.get("/api/v1/assessment/sanctions?page_size=100")
    assert response.status_code == 200
    assert (sanction_id in {s["id"] for s in response.json}) == visible


def _raise_step(ctx: Any, db: Any, visible: bool) -> None:
    response = ctx.client.post("/api/v1/assessment/sanctions", json={
        "unit": ctx.target, "step": "interview", "reason": "矩阵"})
    expected = _write_expected(ctx, db, visible, Permission.decide_sanctions, 201)
    assert response.status_code == expected, (ctx.username, ctx.target, response.json)


def _get_sanction(ctx: Any, db: Any, visible: bool) -> None:
    response = ctx.client.get(f"/api/v1/assessment/sanctions/{_sanction_in(db, ctx.target)}")
    assert response.status_code == (200 if visible else 404)


def _decide(action: str) -> Any:
    def check(ctx: Any, db: Any, visible: bool) -> None:
        sanction_id = _sanction_in(db, ctx.target)
        response = ctx.client.post(f"/api/v1/assessment/sanctions/{sanction_id}/{action}",
                                   json={"version": 1, "reason": "矩阵"})
        expected = _decider_expects(ctx, visible)
        assert response.status_code == expected, (ctx.username, ctx.target, response.json)
    return check


def _rectify(ctx: Any, db: Any, visible: bool) -> None:
    sanction_id = _sanction_in(db, ctx.target, "confirmed")
    response = ctx.client.post(f"/api/v1/assessment/sanctions/{sanction_id}/rectifications",
                               json={"text": "已整改"})
    own_centre = ctx.target == ctx.own and ctx.role in CENTRE_STAFF
    if not visible:
        expected = 404
    else:
        expected = 201 if own_centre or _may(ctx, Permission.manage_assessment) else 403
    assert response.status_code == expected, (ctx.username, ctx.target, response.json)


def _review(ctx: Any, db: Any, visible: bool) -> None:
    report_id = _report_in(db, ctx.target)
    response = ctx.client.post(f"/api/v1/assessment/rectifications/{report_id}/review",
                               json={"version": 1, "accept": True})
    expected = _decider_expects(ctx, visible)
    assert response.status_code == expected, (ctx.username, ctx.target, response.json)


PREFIX = "/api/v1/assessment"
ASSESSMENT_ROUTES = {
    ("GET", f"{PREFIX}/events"): _list_events,
    ("POST", f"{PREFIX}/events"): _record_event,
    ("GET", f"{PREFIX}/events/<int:event_id>"): _get_event,
    ("PUT", f"{PREFIX}/events/<int:event_id>"): _edit_event,
    ("POST", f"{PREFIX}/events/from-case"): _event_from_case,
    ("GET", f"{PREFIX}/schemes"): _list_schemes,
    ("POST", f"{PREFIX}/schemes"): _create_scheme,
    ("GET", f"{PREFIX}/schemes/<int:scheme_id>"): _get_scheme,
    ("PUT", f"{PREFIX}/schemes/<int:scheme_id>"): _scheme_write("edit"),
    ("POST", f"{PREFIX}/schemes/<int:scheme_id>/activate"): _scheme_write("activate"),
    ("GET", f"{PREFIX}/sanctions"): _list_sanctions,
    ("POST", f"{PREFIX}/sanctions"): _raise_step,
    ("GET", f"{PREFIX}/sanctions/<int:sanction_id>"): _get_sanction,
    ("POST", f"{PREFIX}/sanctions/<int:sanction_id>/confirm"): _decide("confirm"),
    ("POST", f"{PREFIX}/sanctions/<int:sanction_id>/dismiss"): _decide("dismiss"),
    ("POST", f"{PREFIX}/sanctions/<int:sanction_id>/rectifications"): _rectify,
    ("POST", f"{PREFIX}/rectifications/<int:rectification_id>/review"): _review,
}
