"""The analysis API on crafted cases: asking for runs (who may, which months), following a
run, the cells as GeoJSON within the jurisdiction, the predictive check's averages, and the
county's risk settings under optimistic locking. Runs are carried out inline (run_analysis in
the test's transaction: progress writes use the session's connection)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, select

from govgrid.analysis.job import run_analysis
from govgrid.analysis.layers import averages
from govgrid.analysis.models import AnalysisRun, PredictionCheck, RunKind
from govgrid.auth.principal import SYSTEM, acting_as
from govgrid.auth.scope import unscoped
from govgrid.cases.workflow import CaseState
from govgrid.geo.models import Unit, UnitLevel
from govgrid.jobs.progress import JobStatus
from tests.support.stats import CaseFactory, local

MONTH = "2025-06"


@pytest.fixture
def crafted(app, db_session, test_redis):
    """Cases in one cell of 保南村 rising over April–June 2025 (June: 12)."""
    factory = CaseFactory(db_session)
    for month, number in ((4, 3), (5, 6), (6, 12)):
        for day in range(1, number + 1):
            factory.make(CaseState.accepted, local(2025, month, day))
    db_session.commit()
    return factory


def finished_run(app, client, kind: str = "hotspots", month: str = MONTH) -> dict:
    asked = client.post("/api/v1/analysis/runs", json={"kind": kind, "month": month})
    assert asked.status_code == 202, asked.json
    assert asked.json["status"] == "queued" and asked.json["month"] == month
    with app.app_context(), acting_as(SYSTEM):
        assert run_analysis(asked.json["id"]) == "done"
    return asked.json


def test_county_staff_ask_for_a_run_and_follow_it_to_the_end(app, client, crafted):
    run = finished_run(app, client)
    answer = client.get(f"/api/v1/analysis/runs/{run['id']}")
    assert answer.status_code == 200
    body = answer.json
    assert body["status"] == "done" and body["progress"] == 100
    assert body["stage_label"] and body["finished_at"]
    assert body["summary"]["cases"] == 12 and body["summary"]["hot"] >= 1
    assert body["settings"]["thresholds"]["red"] == 12.0
    listed = client.get("/api/v1/analysis/runs").json
    assert listed[0]["id"] == run["id"]


@pytest.mark.parametrize("username", ["county.leader", "assessor", "baokang.dispatcher",
                                      "baonan.staff", "baonan.grid", "baokang.mediator"])
def test_only_county_staff_and_admins_ask_for_runs(api_client_for, db_session, test_redis,
                                                   username):
    answer = api_client_for(username).post("/api/v1/analysis/runs",
                                           json={"kind": "hotspots", "month": MONTH})
    assert answer.status_code == 403, answer.json
    assert answer.json["message"]


@pytest.mark.parametrize("body", [
    {"kind": "hotspots", "month": "2025-13"}, {"kind": "hotspots", "month": "25-06"},
    {"kind": "hotspots", "month": "1999-12"}, {"kind": "hotspots"}, {"month": MONTH},
    {"kind": "everything", "month": MONTH}, {"kind": "hotspots", "month": MONTH,
                                            "distance_m": -5},
    {"kind": "hotspots", "month": MONTH, "distance_m": 20000},  # nearly dense weights
])
def test_malformed_requests_are_400(client, db_session, body):
    answer = client.post("/api/v1/analysis/runs", json=body)
    assert answer.status_code == 400, answer.json
    assert answer.json["message"]


def test_a_future_month_or_a_category_that_is_no_group_is_422(client, db_session, test_redis):
    future = dt.date.today() + dt.timedelta(days=62)
    answer = client.post("/api/v1/analysis/runs",
                         json={"kind": "hotspots", "month": f"{future:%Y-%m}"})
    assert answer.status_code == 422 and answer.json["message"]
    answer = client.post("/api/v1/analysis/runs",
                         json={"kind": "hotspots", "month": MONTH, "category": "0201"})
    assert answer.status_code == 422 and "0201" in answer.json["message"]
    assert db_session.execute(select(AnalysisRun).execution_options(**unscoped())).all() == []


def test_cells_are_geojson_within_the_readers_jurisdiction(app, client, crafted,
                                                           api_client_for):
    run = finished_run(app, client)
    county = client.get(f"/api/v1/analysis/cells?month={MONTH}&zoom=14")
    assert county.status_code == 200 and county.mimetype == "application/geo+json"
    features = county.json["features"]
    assert county.json["run"]["id"] == run["id"] and county.json["run"]["month"] == MONTH
    assert len(features) > 100
    by_code = {f["id"]: f["properties"] for f in features}
    hot = [p for p in by_code.values() if p["hot_class"] == 3]
    assert hot and all(p["cases"] >= 0 for p in hot)
    cell = by_code[crafted.cell_path.split(".")[-1]]
    assert cell["cases"] == 12 and cell["hot_class"] == 3 and cell["z"] > 3
    assert cell["pattern_side"] == 1 and cell["grade"] in ("orange", "red")
    assert {"q", "score", "repeats", "escalated", "rebounded", "urgent", "village",
            "pattern", "trend_z"} <= set(cell)

    township = api_client_for("baokang.dispatcher").get(
        f"/api/v1/analysis/cells?month={MONTH}").json["features"]
    assert township and all(f["id"].startswith("150521100") for f in township)
    assert len(township) < len(features)
    grid = api_client_for("baonan.grid").get(f"/api/v1/analysis/cells?month={MONTH}").json
    assert 1 <= len(grid["features"]) < 10
    assert all(f["id"].startswith("150521100201") for f in grid["features"])
    # A place outside the jurisdiction is not found.
    other = api_client_for("menda.dispatcher").get(
        f"/api/v1/analysis/cells?month={MONTH}&unit=150521100000")
    assert other.status_code == 404


def test_a_month_without_a_finished_run_is_404_with_a_message(client, db_session):
    answer = client.get("/api/v1/analysis/cells?month=2025-02")
    assert answer.status_code == 404 and "2025-02" in answer.json["message"]
    assert client.get("/api/v1/analysis/cells?month=2025-2").status_code == 400
    assert client.get("/api/v1/analysis/prediction").status_code == 404


def test_another_countys_run_is_not_found(app, db_session, client):
    from geoalchemy2.shape import from_shape
    from shapely.geometry import MultiPolygon, box

    from govgrid.geo.paths import next_unit_id

    county_id = next_unit_id(db_session)
    db_session.execute(insert(Unit).values(
        id=county_id, county_id=county_id, level=UnitLevel.county, code="150522000000",
        name="科尔沁左翼后旗", path="150522000000", population=0, households=0,
        boundary=from_shape(MultiPolygon([box(120.0, 42.0, 120.1, 42.1)]), 4326)))
    run_id = db_session.execute(insert(AnalysisRun).values(
        county_id=county_id, path="150522000000", kind=RunKind.hotspots,
        month=dt.date(2025, 6, 1), window_months=12, settings={}, status=JobStatus.done,
        progress=100, summary={}).returning(AnalysisRun.id)).scalar_one()
    assert client.get(f"/api/v1/analysis/runs/{run_id}").status_code == 404
    assert run_id not in {r["id"] for r in client.get("/api/v1/analysis/runs").json}
    assert client.get(f"/api/v1/analysis/cells?month={MONTH}").status_code == 404


def _check(run_id: int, month: dt.date, method: str, target: float, hits: int, total: int,
           share: float) -> dict:
    rate = hits / total if total else None
    return {"run_id": run_id, "month": month, "method": method, "target": target,
            "area_share": share, "cells": 3, "hits": hits, "total": total, "hit_rate": rate,
            "pai": rate / share if rate is not None else None}


def test_the_prediction_summary_averages_each_method_and_target(app, db_session, client):
    county = db_session.execute(select(Unit).where(Unit.code == "150521000000")
                                .execution_options(**unscoped())).scalar_one()
    run_id = db_session.execute(insert(AnalysisRun).values(
        county_id=county.id, path=county.path, kind=RunKind.backtest, month=dt.date(2025, 6, 1),
        window_months=12, settings={}, status=JobStatus.done, progress=100,
        summary={"months": 3}, finished_at=dt.datetime(2025, 7, 2, tzinfo=dt.UTC),
    ).returning(AnalysisRun.id)).scalar_one()
    april, may, june = dt.date(2025, 4, 1), dt.date(2025, 5, 1), dt.date(2025, 6, 1)
    rows = [
        _check(run_id, april, "risk", 0.05, 6, 10, 0.05),   # 60 %, PAI 12
        _check(run_id, may, "risk", 0.05, 2, 10, 0.05),     # 20 %, PAI 4
        _check(run_id, june, "risk", 0.05, 0, 0, 0.05),     # nothing next month: left out
        _check(run_id, april, "kde", 0.05, 1, 10, 0.04),    # 10 %, PAI 2.5
        _check(run_id, may, "kde", 0.05, 3, 30, 0.06),      # 10 %, PAI 1.667
    ]
    db_session.execute(insert(PredictionCheck), rows)
    answer = client.get("/api/v1/analysis/prediction")
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert body["run"]["id"] == run_id and len(body["rows"]) == 5
    means = {(a["method"], a["target"]): a for a in body["averages"]}
    risk = means[("risk", 0.05)]
    assert risk["months"] == 2 and risk["total"] == 20 and risk["hits"] == 8
    assert risk["hit_rate"] == pytest.approx(0.4) and risk["pai"] == pytest.approx(8.0)
    assert risk["pooled_hit_rate"] == pytest.approx(0.4)
    kde = means[("kde", 0.05)]
    assert kde["hit_rate"] == pytest.approx(0.1)
    assert kde["pai"] == pytest.approx((2.5 + 0.1 / 0.06) / 2)
    assert kde["pooled_hit_rate"] == pytest.approx(4 / 40)
    assert kde["area_share"] == pytest.approx(0.05)


def test_averages_of_nothing_are_none():
    assert averages([]) == []
    only_empty = averages([{"method": "risk", "target": 0.01, "area_share": 0.01, "cells": 1,
                            "hits": 0, "total": 0, "hit_rate": None, "pai": None}])
    assert only_empty[0]["months"] == 0 and only_empty[0]["hit_rate"] is None
    assert only_empty[0]["pai"] is None and only_empty[0]["pooled_hit_rate"] is None


def test_risk_settings_are_version_locked(client, api_client_for, db_session):
    first = client.get("/api/v1/analysis/risk-settings").json
    assert first["version"] == 0 and first["weights"]["urgent"] == 5.0
    assert first["thresholds"] == {"red": 12.0, "orange": 7.0, "yellow": 3.0}
    body = {"version": 0, "weights": {"urgent": 8}, "thresholds": {"red": 15}}
    saved = client.put("/api/v1/analysis/risk-settings", json=body)
    assert saved.status_code == 200, saved.json
    assert saved.json["version"] == 1 and saved.json["weights"]["urgent"] == 8.0
    assert saved.json["weights"]["hot"] == 3.0 and saved.json["thresholds"]["red"] == 15.0
    stale = client.put("/api/v1/analysis/risk-settings", json=body)
    assert stale.status_code == 409 and stale.json["message"]
    # Everyone in the county reads them; a township too.
    township = api_client_for("baokang.dispatcher").get("/api/v1/analysis/risk-settings")
    assert township.json["version"] == 1 and township.json["weights"]["urgent"] == 8.0
    refused = api_client_for("county.leader").put("/api/v1/analysis/risk-settings",
                                                  json={**body, "version": 1})
    assert refused.status_code == 403


@pytest.mark.parametrize("body", [
    {"version": 0, "weights": {"hot": -1}},
    {"version": 0, "thresholds": {"red": 3, "orange": 7, "yellow": 1}},
    {"version": 0, "thresholds": {"yellow": 20}},
    {"version": 0, "weights": {"luck": 2}},
])
def test_negative_weights_and_thresholds_not_falling_are_422(client, db_session, body):
    answer = client.put("/api/v1/analysis/risk-settings", json=body)
    assert answer.status_code == 422, answer.json
    assert answer.json["message"]
