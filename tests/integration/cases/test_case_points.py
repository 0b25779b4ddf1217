"""GET /api/v1/cases/points: the filtered cases as GeoJSON points (the console's clustered
markers, the county dashboard's heat layer), built in one SQL statement, scoped by
jurisdiction like the list, capped with the total told."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from govgrid.cases.models import Case
from govgrid.timestamps import frozen_at
from tests.support.cases import ok, report, village_point

T0 = dt.datetime(2025, 6, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
H = dt.timedelta(hours=1)
TAG = "点位测试"
MENDA_VILLAGE = "150521104202"  # 前进村, 门达镇
OTHER_VILLAGE = "150521100202"  # in 保康镇


@pytest.fixture
def users(api_client_for):
    names = ("baonan.grid", "baonan.staff", "baokang.dispatcher", "menda.dispatcher",
             "county.staff")
    return {name: api_client_for(name) for name in names}


def points(client, moment=T0 + 25 * H, **query):
    with frozen_at(moment):
        response = client.get("/api/v1/cases/points", query_string={"q": TAG, **query})
    assert response.status_code == 200, response.json
    assert response.mimetype == "application/geo+json"
    return response.json


@pytest.fixture
def three(users, cell_point, db_session):
    """At T0 + 25 h: `late` overdue (reported T0, not accepted), `urgent` reported at
    T0 + 20 h (normal), `accepted` due soon."""
    grid, staff = users["baonan.grid"], users["baonan.staff"]
    with frozen_at(T0):
        late = report(grid, cell_point, title=f"{TAG} 超期")
        accepted = report(grid, cell_point, title=f"{TAG} 将到期")
    with frozen_at(T0 + H):
        accepted = ok(staff, accepted, "accept")
    db_session.execute(update(Case).where(Case.id == uuid.UUID(accepted["id"])).values(
        due_soon_at=T0 + 24 * H, due_at=T0 + 30 * H))
    db_session.commit()
    with frozen_at(T0 + 20 * H):
        urgent = report(grid, cell_point, title=f"{TAG} 紧急", is_urgent=True,
                        severity="serious")
    return {"late": late, "accepted": accepted, "urgent": urgent}


def test_a_feature_collection_of_points(users, three, cell_point):
    body = points(users["baokang.dispatcher"])
    assert body["type"] == "FeatureCollection"
    assert body["total"] == 3 and body["truncated"] is False
    features = {f["id"]: f for f in body["features"]}
    assert set(features) == {c["id"] for c in three.values()}
    late = features[three["late"]["id"]]
    assert late["type"] == "Feature" and late["geometry"]["type"] == "Point"
    lon, lat = late["geometry"]["coordinates"]
    assert lon == pytest.approx(cell_point[0], abs=1e-6)
    assert lat == pytest.approx(cell_point[1], abs=1e-6)
    assert late["properties"] == {
        "id": three["late"]["id"], "title": f"{TAG} 超期", "state": "reported",
        "severity": "general", "deadline_state": "overdue", "is_urgent": False,
        "approximate": False}
    assert features[three["accepted"]["id"]]["properties"]["deadline_state"] == "due_soon"
    urgent = features[three["urgent"]["id"]]["properties"]
    assert urgent["deadline_state"] == "normal" and urgent["is_urgent"] is True
    assert urgent["severity"] == "serious"


def test_the_lists_filters_apply(users, three):
    dispatcher = users["baokang.dispatcher"]
    overdue = points(dispatcher, deadline_state="overdue")
    assert [f["id"] for f in overdue["features"]] == [three["late"]["id"]]
    assert overdue["total"] == 1
    assert {f["id"] for f in points(dispatcher, urgent="true")["features"]} == {
        three["urgent"]["id"]}
    assert points(dispatcher, state="accepted")["total"] == 1
    assert points(dispatcher, category="0101")["features"] == []
    assert points(dispatcher, category="0101")["total"] == 0


def test_capped_in_the_lists_order_with_the_total(users, three):
    body = points(users["baokang.dispatcher"], limit=2, sort="queue")
    assert body["total"] == 3 and body["truncated"] is True
    # The queue's order: overdue, then new, then due soon; the cap keeps the first two.
    assert {f["id"] for f in body["features"]} == {three["late"]["id"], three["urgent"]["id"]}
    body = points(users["baokang.dispatcher"], limit=1, sort="-reported_at")
    assert [f["id"] for f in body["features"]] == [three["urgent"]["id"]]


def test_a_case_without_gps_is_placed_inside_its_unit(users):
    dispatcher = users["baokang.dispatcher"]
    with frozen_at(T0):
        case = dispatcher.post("/api/v1/cases", json={
            "category_code": "0201", "title": f"{TAG} 无定位", "source": "walk_in",
            "unit_code": OTHER_VILLAGE}).json
    [feature] = points(dispatcher)["features"]
    assert feature["id"] == case["id"] and feature["properties"]["approximate"] is True
    lon, lat = feature["geometry"]["coordinates"]
    located = dispatcher.get("/api/v1/locate", query_string={"lon": lon, "lat": lat}).json
    assert located["village"]["code"] == OTHER_VILLAGE


def test_jurisdiction_applies(users, three, demo_county):
    menda = users["menda.dispatcher"]
    with frozen_at(T0):
        theirs = report(menda, village_point(demo_county, MENDA_VILLAGE),
                        title=f"{TAG} 门达", source="walk_in")
    assert points(menda)["total"] == 1
    assert [f["id"] for f in points(menda)["features"]] == [theirs["id"]]
    ours = points(users["baokang.dispatcher"])
    assert theirs["id"] not in {f["id"] for f in ours["features"]} and ours["total"] == 3
    assert points(users["baonan.staff"])["total"] == 3
    assert points(users["county.staff"])["total"] == 4


def test_one_statement(app, users, three, principal_of, count_queries):
    from govgrid.auth.principal import acting_as
    from govgrid.cases.points import case_points

    with app.app_context(), acting_as(principal_of("baokang.dispatcher")), \
            count_queries() as counter, frozen_at(T0 + 25 * H):
        body = case_points({"q": TAG, "sort": "queue"})
    assert body["total"] == 3 and len(body["features"]) == 3
    assert counter.count == 1, counter.statements


@pytest.mark.parametrize("query", [
    {"limit": "0"}, {"limit": "5001"}, {"limit": "x"}, {"sort": "nearest"},
    {"state": "nope"}, {"deadline_state": "late"}, {"bbox": "1,2,3"}, {"handler": "0"},
])
def test_bad_queries_are_400(users, query):
    response = users["baokang.dispatcher"].get("/api/v1/cases/points", query_string=query)
    assert response.status_code == 400
    assert response.json["message"]
