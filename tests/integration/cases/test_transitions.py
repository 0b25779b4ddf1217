"""The case workflow through POST /api/v1/cases/<id>/transitions, end to end."""

import threading

import pytest
from sqlalchemy import text

from tests.support.cases import act, ok
from tests.support.cases import report as new_case


@pytest.fixture
def users(api_client_for):
    names = ("baonan.grid", "baonan.staff", "baokang.dispatcher", "baokang.mediator",
             "county.staff", "menda.dispatcher", "baokang.police")
    return {name: api_client_for(name) for name in names}


def user_id(client):
    return client.get("/api/v1/session").json["id"]


def test_full_path_from_report_to_archive(users, cell_point):
    case = new_case(users["baonan.grid"], cell_point)
    village = users["baonan.staff"]
    assert "accept" in village.get(f"/api/v1/cases/{case['id']}").json["available_actions"]
    case = ok(village, case, "accept")
    assert case["state"] == "accepted" and case["due_at"]
    case = ok(village, case, "assign", mediator_id=user_id(village))
    case = ok(village, case, "record_session", summary="双方到场，核对界址")
    case = ok(village, case, "resolve", outcome="written_agreement")
    assert case["state"] == "resolved"
    # The handler may not make the follow-up visit; the township may not act for the village.
    refused = act(village, case, "follow_up", satisfied=True)
    assert refused.status_code == 422 and "回访" in refused.json["message"]
    assert act(users["baokang.dispatcher"], case, "follow_up", satisfied=True).status_code \
        in (403, 422)
    assert [e["action"] for e in case["timeline"]] == [
        "submit", "accept", "assign", "record_session", "resolve"]


def test_escalation_moves_the_owner_up_and_the_village_still_reads_it(users, cell_point):
    case = new_case(users["baonan.grid"], cell_point)
    case = ok(users["baonan.staff"], case, "accept")
    case = ok(users["baonan.staff"], case, "escalate", note="村级无法化解")
    assert case["owner_level"] == "township" and case["state"] == "accepted"
    assert case["escalation_count"] == 1
    # The village can no longer act on it but still reads it; the sibling township cannot.
    assert act(users["baonan.staff"], case, "assign", mediator_id=1).status_code in (403, 422)
    assert users["baonan.staff"].get(f"/api/v1/cases/{case['id']}").status_code == 200
    assert users["menda.dispatcher"].get(f"/api/v1/cases/{case['id']}").status_code == 404
    case = ok(users["baokang.dispatcher"], case, "assign",
              mediator_id=user_id(users["baokang.mediator"]))
    # The assigned mediator now reads the case (assigned reach) and can resolve it.
    mediator = users["baokang.mediator"]
    assert mediator.get(f"/api/v1/cases/{case['id']}").status_code == 200
    case = ok(mediator, case, "resolve", outcome="partial")
    assert case["state"] == "mediating" and case["outcome"] == "partial"
    case = ok(mediator, case, "resolve", outcome="terminated", routes_explained=True)
    assert case["state"] == "resolved"


def test_push_down_and_return(users, cell_point, db_session):
    case = new_case(users["baokang.dispatcher"], cell_point, source="walk_in")
    assert case["owner_level"] == "township"
    village_id = db_session.execute(text("SELECT id FROM units WHERE code = '150521100201'")
                                    ).scalar_one()
    case = ok(users["baokang.dispatcher"], case, "push_down", target_unit_id=village_id)
    assert case["owner_level"] == "village"
    case = ok(users["baonan.staff"], case, "return", reason="不属于本村管辖")
    assert case["owner_level"] == "township" and case["state"] == "reported"
    other = db_session.execute(text("SELECT id FROM units WHERE code = '150521104201'")
                               ).scalar_one()
    refused = act(users["baokang.dispatcher"], case, "push_down", target_unit_id=other)
    assert refused.status_code == 422


def test_follow_up_dissatisfied_reopens_and_counts_a_rebound(users, cell_point):
    case = new_case(users["baonan.grid"], cell_point)
    case = ok(users["baonan.grid"], case, "resolve_on_spot", outcome="oral_agreement")
    assert case["state"] == "resolved"
    case = ok(users["baonan.staff"], case, "follow_up", satisfied=False, note="又吵起来了")
    assert case["state"] == "accepted" and case["rebound_count"] == 1


def test_refer_joint_and_subtasks(users, cell_point):
    case = new_case(users["baokang.dispatcher"], cell_point, source="walk_in")
    dispatcher = users["baokang.dispatcher"]
    case = ok(dispatcher, case, "accept")
    case = ok(dispatcher, case, "start_joint", departments=["police"])
    police = users["baokang.police"]
    detail = police.get(f"/api/v1/cases/{case['id']}")
    assert detail.status_code == 200  # the sub-task assigns the case to the liaison
    assert act(dispatcher, case, "resolve", outcome="written_agreement").status_code in (403, 422)


@pytest.mark.parametrize("body,status", [
    ({"action": "fly", "version": 1}, 422),
    ({"action": "accept"}, 422),
    ({"action": "reject", "version": 1}, 422),
    ({"action": "accept", "version": 1, "unexpected": 1}, 422),
])
def test_bad_transition_requests(users, cell_point, body, status):
    case = new_case(users["baonan.grid"], cell_point)
    response = users["baonan.staff"].post(f"/api/v1/cases/{case['id']}/transitions", json=body)
    assert response.status_code == status
    assert response.json["message"]


def test_wrong_state_is_409_and_stale_version_is_409(users, cell_point):
    case = new_case(users["baonan.grid"], cell_point)
    assert act(users["baonan.staff"], case, "resolve", outcome="oral_agreement").status_code \
        == 409
    ok(users["baonan.staff"], case, "accept")
    stale = act(users["baonan.staff"], case, "reject", reason="重复")
    assert stale.status_code == 409


@pytest.fixture
def committed_clients(app):
    """Clients whose requests commit for real (no test transaction around them): true
    concurrency needs separate database connections. Cleans up what it made."""
    from govgrid.extensions import db

    clients, case_ids = {}, []

    def login(username):
        client = app.test_client()
        token = client.post("/api/v1/session", json={
            "username": username, "password": "govgrid2026"}).json["token"]
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        clients[username] = client
        return client

    yield login, case_ids
    with app.app_context(), db.engine.begin() as conn:
        for case_id in case_ids:
            for table in ("case_events", "case_parties", "case_assignments"):
                conn.execute(text(f"DELETE FROM {table} WHERE case_id = :i"), {"i": case_id})
            conn.execute(text("DELETE FROM outbox WHERE payload->>'case_id' = :i"),
                         {"i": case_id})
            conn.execute(text("DELETE FROM cases WHERE id = :i"), {"i": case_id})
        conn.execute(text("DELETE FROM api_tokens"))


def test_two_concurrent_accepts_exactly_one_wins(committed_clients, cell_point):
    """Two people press 受理 on the same version at the same moment, on separate
    connections: the conditional UPDATE lets exactly one through."""
    login, made = committed_clients
    case = new_case(login("baonan.grid"), cell_point)
    made.append(case["id"])
    first, second = login("baonan.staff"), login("baonan.staff")
    results = []
    barrier = threading.Barrier(2)

    def press(client):
        barrier.wait()
        results.append(act(client, case, "accept").status_code)

    threads = [threading.Thread(target=press, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 409]
    detail = first.get(f"/api/v1/cases/{case['id']}").json
    assert detail["version"] == case["version"] + 1
    assert [e["action"] for e in detail["timeline"]].count("accept") == 1


def test_transitions_are_audited_and_write_the_outbox(users, cell_point, db_session):
    case = new_case(users["baonan.grid"], cell_point)
    ok(users["baonan.staff"], case, "accept")
    assert db_session.execute(text(
        "SELECT count(*) FROM audit_log WHERE action = 'cases.accept' AND object_id = :i"),
        {"i": case["id"]}).scalar() == 1
    assert db_session.execute(text(
        "SELECT count(*) FROM outbox WHERE topic = 'case.transitioned' "
        "AND payload->>'case_id' = :i"), {"i": case["id"]}).scalar() == 1


def test_list_filters_by_level_urgent_and_overdue(users, cell_point):
    case = new_case(users["baonan.grid"], cell_point)
    ok(users["baonan.staff"], case, "accept")
    staff = users["county.staff"]
    village_ids = {c["id"] for c in staff.get("/api/v1/cases?level=village&page_size=100").json}
    assert case["id"] in village_ids
    assert case["id"] not in {c["id"] for c in staff.get(
        "/api/v1/cases?level=county&page_size=100").json}
    assert case["id"] not in {c["id"] for c in staff.get(
        "/api/v1/cases?overdue=true&page_size=100").json}
    assert case["id"] in {c["id"] for c in staff.get(
        "/api/v1/cases?urgent=false&page_size=100").json}
