"""Scheme versions on real PostgreSQL: a draft copied from the one in force (or the
default), edited under its revision, validated with the path of the problem, activated with
the previous version retired in the same transaction; the computation reads the version."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from govgrid.assessment import schemes_store
from govgrid.auth.scope import unscoped
from govgrid.geo.models import Unit
from tests.integration.assessment.helpers import COUNTY, audit_count

YEAR = 2026


@pytest.fixture
def county_id(db_session):
    return db_session.execute(select(Unit.id).where(Unit.code == COUNTY)
                              .execution_options(**unscoped())).scalar_one()


def draft(client, year=YEAR):
    response = client.post("/api/v1/assessment/schemes", json={"year": year, "note": "征求意见稿"})
    assert response.status_code == 201, response.json
    return response.json


def edit(client, scheme, data, revision=None):
    return client.put(f"/api/v1/assessment/schemes/{scheme['id']}", json={
        "revision": scheme["revision"] if revision is None else revision, "data": data})


def activate(client, scheme):
    return client.post(f"/api/v1/assessment/schemes/{scheme['id']}/activate",
                       json={"revision": scheme["revision"]})


def test_draft_edit_activate_and_the_previous_retired(api_client_for, db_session, county_id):
    staff = api_client_for("county.staff")
    assert staff.get(f"/api/v1/assessment/schemes?year={YEAR}").json == []
    with db_session.no_autoflush:
        assert schemes_store.active_scheme(county_id, YEAR)[1] == 0  # the default

    first = draft(staff)
    assert (first["version"], first["status"], first["revision"]) == (1, "draft", 1)
    assert first["data"]["year"] == YEAR and first["data"]["pass_score"] == 60
    data = {**first["data"], "pass_score": 70}
    edited = edit(staff, first, data)
    assert edited.status_code == 200, edited.json
    assert edited.json["revision"] == 2 and edited.json["data"]["pass_score"] == 70
    assert edit(staff, first, data).status_code == 409  # revision 1 is stale
    active = activate(staff, edited.json)
    assert active.status_code == 200, active.json
    assert active.json["status"] == "active" and active.json["activated_at"]
    scheme, version = schemes_store.active_scheme(county_id, YEAR)
    assert (version, scheme.pass_score) == (1, 70)
    assert edit(staff, active.json, data).status_code == 409  # in force: not editable

    second = draft(staff)
    assert second["version"] == 2 and second["data"]["pass_score"] == 70  # copied
    second = edit(staff, second, {**second["data"], "pass_score": 65}).json
    assert activate(staff, second).status_code == 200
    versions = {s["version"]: s["status"] for s in staff.get(
        f"/api/v1/assessment/schemes?year={YEAR}").json}
    assert versions == {1: "retired", 2: "active"}
    scheme, version = schemes_store.active_scheme(county_id, YEAR)
    assert (version, scheme.pass_score) == (2, 65)
    assert audit_count(db_session, "assessment.scheme_activated", second["id"]) == 1
    assert audit_count(db_session, "assessment.scheme_edited", first["id"]) == 1


def test_invalid_data_is_422_with_the_path(api_client_for):
    staff = api_client_for("county.staff")
    scheme = draft(staff)
    broken = {**scheme["data"], "indicators": [{**scheme["data"]["indicators"][0],
                                                "weight": -5}]}
    response = edit(staff, scheme, broken)
    assert response.status_code == 422, response.json
    assert response.json["details"]["path"].startswith("indicators[0]")
    assert response.json["message"]
    wrong_year = edit(staff, scheme, {**scheme["data"], "year": YEAR + 1})
    assert wrong_year.status_code == 422 and wrong_year.json["details"]["path"] == "year"
    for junk in ({}, {"year": "x"}, {**scheme["data"], "extra": 1}):
        assert edit(staff, scheme, junk).status_code == 422
    unchanged = staff.get(f"/api/v1/assessment/schemes/{scheme['id']}").json
    assert unchanged["revision"] == 1


def test_who_keeps_the_scheme(api_client_for):
    staff = api_client_for("county.staff")
    scheme = draft(staff)
    township = api_client_for("baokang.dispatcher")
    assert township.get(f"/api/v1/assessment/schemes/{scheme['id']}").status_code == 200
    assert township.post("/api/v1/assessment/schemes", json={"year": YEAR}).status_code == 403
    assert edit(township, scheme, scheme["data"]).status_code == 403
    assert activate(api_client_for("county.leader"), scheme).status_code == 403
    assert activate(api_client_for("admin"), scheme).status_code == 200


def test_activating_a_stale_draft_is_409_and_leaves_the_active_one(api_client_for):
    staff = api_client_for("county.staff")
    first = draft(staff)
    assert activate(staff, first).status_code == 200
    second = draft(staff)
    assert edit(staff, second, second["data"]).status_code == 200
    assert activate(staff, second).status_code == 409  # revision 1 read, 2 now
    statuses = {s["version"]: s["status"] for s in staff.get(
        f"/api/v1/assessment/schemes?year={YEAR}").json}
    assert statuses == {1: "active", 2: "draft"}
