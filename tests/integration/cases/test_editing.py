"""Editing a case after intake: PATCH /api/v1/cases/<id> (optimistic lock, timeline, audit)."""

import pytest
from sqlalchemy import text

from tests.support.cases import ok


@pytest.fixture
def users(api_client_for):
    names = ("baonan.grid", "baonan.staff", "baokang.dispatcher", "county.staff",
             "county.leader", "menda.dispatcher")
    return {name: api_client_for(name) for name in names}


@pytest.fixture
def case(users, cell_point):
    """A village case reported by the grid worker, held by 保南村 (whose staff handle it)."""
    lon, lat = cell_point
    response = users["baonan.grid"].post("/api/v1/cases", json={
        "category_code": "0201", "title": "院墙界址纠纷", "description": "两户争执",
        "source": "grid_worker", "lon": lon, "lat": lat, "address": "保南村三组",
        "people_involved": 2})
    assert response.status_code == 201, response.json
    return response.json


def edit(client, case, **fields):
    return client.patch(f"/api/v1/cases/{case['id']}",
                        json={"version": case["version"], **fields})


def test_edit_changes_the_fields_bumps_the_version_and_writes_timeline_and_audit(
        users, case, db_session):
    response = edit(users["baonan.staff"], case, title="院墙及排水沟界址纠纷",
                    address="保南村三组12号", people_involved=3, amount_involved="4500.50",
                    occurred_at="2026-03-10T08:30:00+08:00", description="两户争执")
    assert response.status_code == 200, response.json
    edited = response.json
    assert edited["version"] == case["version"] + 1
    assert edited["state"] == case["state"] == "reported"
    assert (edited["title"], edited["address"], edited["people_involved"],
            edited["amount_involved"]) == ("院墙及排水沟界址纠纷", "保南村三组12号", 3, "4500.50")
    assert edited["can_edit"] is True
    event = edited["timeline"][-1]
    assert event["action"] == "edit" and event["from_state"] == event["to_state"] == "reported"
    # The timeline names the fields that changed (description did not), never their values.
    assert event["note"] == "title, address, people_involved, amount_involved, occurred_at"
    entry = db_session.execute(text(
        "SELECT actor_name, summary FROM audit_log WHERE action = 'cases.edit' "
        "AND object_id = :i"), {"i": case["id"]}).one()
    assert entry.actor_name == "baonan.staff"
    assert entry.summary["version"] == case["version"] + 1
    assert entry.summary["changes"]["title"] == ["院墙界址纠纷", "院墙及排水沟界址纠纷"]
    assert set(entry.summary["changes"]) == {"title", "address", "people_involved",
                                             "amount_involved", "occurred_at"}


def test_the_reporter_may_edit_and_null_clears_the_address(users, case):
    response = edit(users["baonan.grid"], case, address=None, amount_involved=None)
    assert response.status_code == 200, response.json
    assert response.json["address"] is None and response.json["timeline"][-1]["note"] == "address"


def test_stale_version_is_409(users, case):
    assert edit(users["baonan.staff"], case, title="第一次修改").status_code == 200
    stale = edit(users["baonan.staff"], case, title="第二次修改")
    assert stale.status_code == 409 and "刷新" in stale.json["message"]


def test_out_of_jurisdiction_is_404(users, case):
    assert edit(users["menda.dispatcher"], case, title="越权修改").status_code == 404


@pytest.mark.parametrize("reader", ["county.leader", "county.staff", "baokang.dispatcher"])
def test_readers_who_do_not_handle_the_case_get_403(users, case, reader):
    """They read the 保南村 case, but it is held by the village: they do not handle it."""
    client = users[reader]
    assert client.get(f"/api/v1/cases/{case['id']}").json["can_edit"] is False
    refused = client.patch(f"/api/v1/cases/{case['id']}?lang=en",
                           json={"version": case["version"], "title": "改标题"})
    assert refused.status_code == 403 and "handle" in refused.json["message"]
    assert client.patch(f"/api/v1/cases/{case['id']}", json={
        "version": case["version"], "title": "改标题"}).json["message"]


def test_finished_cases_are_refused_with_409(users, case):
    rejected = ok(users["baonan.staff"], case, "reject", reason="重复上报")
    refused = users["baonan.staff"].patch(f"/api/v1/cases/{case['id']}?lang=en", json={
        "version": rejected["version"], "title": "改标题"})
    assert refused.status_code == 409 and "no longer be edited" in refused.json["message"]
    assert refused.json["details"]["state"] == "rejected"
    assert users["baonan.staff"].get(f"/api/v1/cases/{case['id']}").json["can_edit"] is False


def test_a_closed_case_is_refused(users, case):
    resolved = ok(users["baonan.grid"], case, "resolve_on_spot", outcome="oral_agreement")
    assert edit(users["baonan.staff"], resolved, title="办结前修改").status_code == 200
    resolved["version"] += 1
    closed = ok(users["baonan.staff"], resolved, "follow_up", satisfied=True)
    assert closed["state"] == "closed"
    assert edit(users["baonan.staff"], closed, title="办结后修改").status_code == 409


def test_nothing_to_change_is_422(users, case):
    only_version = edit(users["baonan.staff"], case)
    assert only_version.status_code == 422 and only_version.json["message"]
    same_values = edit(users["baonan.staff"], case, title=" 院墙界址纠纷 ", address="保南村三组")
    assert same_values.status_code == 422
    detail = users["baonan.staff"].get(f"/api/v1/cases/{case['id']}").json
    assert detail["version"] == case["version"]
    assert [e["action"] for e in detail["timeline"]] == ["submit"]


@pytest.mark.parametrize("body", [
    {}, {"version": "one"}, {"version": None}, {"version": 10**20, "title": "x"},
    {"version": 0, "title": "x"}, {"title": ""}, {"title": "   "}, {"title": None},
    {"title": "x" * 201}, {"people_involved": -1}, {"people_involved": "many"},
    {"people_involved": 10**20}, {"amount_involved": "lots"}, {"amount_involved": 10**12},
    {"amount_involved": -1}, {"amount_involved": "NaN"}, {"occurred_at": "yesterday"},
    {"occurred_at": "2026-03-01T08:00:00"}, {"description": 5}, {"state": "closed"},
    {"version": 1, "unexpected": 1}, [1, 2], "text",
])
def test_bad_bodies_are_422_never_500(users, case, body):
    if isinstance(body, dict) and body and "version" not in body:
        body = {"version": case["version"], **body}
    response = users["baonan.staff"].patch(f"/api/v1/cases/{case['id']}", json=body)
    assert response.status_code == 422, response.json
    assert response.json["message"]


def test_malformed_json_is_refused_not_500(users, case):
    response = users["baonan.staff"].patch(f"/api/v1/cases/{case['id']}", data="{not json",
                                           content_type="application/json")
    assert 400 <= response.status_code < 500
