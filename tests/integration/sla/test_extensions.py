"""延期申请 through the API: the centre holding a case (or its handler) asks, the level
above decides, once, optimistic-locked; the due time moves, the timeline, the audit trail
and the requester's inbox say so. And the workflow's own `extend` (mediation extended once
with both parties' consent)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from tests.support.cases import act, ok, report, village_point
from tests.support.sla import handle_sla_notices

DAY = dt.timedelta(days=1)
REASON = "双方当事人需等待土地确权结果，申请延期五日"


@pytest.fixture
def users(api_client_for):
    names = ("baonan.grid", "baonan.staff", "baokang.dispatcher", "baokang.mediator",
             "menda.dispatcher", "county.staff")
    return {name: api_client_for(name) for name in names}


@pytest.fixture
def handled_case(users, demo_county):
    """A 保南村 case accepted by the village and mediated by its own staff."""
    staff = users["baonan.staff"]
    case = report(users["baonan.grid"], village_point(demo_county))
    case = ok(staff, case, "accept")
    return ok(staff, case, "assign", mediator_id=staff.get("/api/v1/session").json["id"])


def ask(client, case, days=5, reason=REASON):
    return client.post(f"/api/v1/cases/{case['id']}/extension-requests",
                       json={"days": days, "reason": reason})


def decide(client, request, version=None, **body):
    body.setdefault("approve", True)
    return client.post(f"/api/v1/extension-requests/{request['id']}/decision",
                       json={"version": request["version"] if version is None else version,
                             **body})


def notifications(client, case_id: str, kind: str) -> list[dict]:
    response = client.get("/api/v1/notifications", query_string={"page_size": 100})
    assert response.status_code == 200, response.json
    return [n for n in response.json if n["case_id"] == case_id and n["kind"] == kind]


def test_village_asks_township_approves_and_the_due_time_moves(
        app, db_session, users, handled_case):
    """Approved: due 5 (natural) days later; timeline, audit and the requester's inbox."""
    staff, township = users["baonan.staff"], users["baokang.dispatcher"]
    case = handled_case
    asked = ask(staff, case)
    assert asked.status_code == 201, asked.json
    request = asked.json
    assert request["state"] == "pending" and request["days"] == 5
    assert request["due_before"] == case["due_at"]
    assert [r["id"] for r in township.get("/api/v1/extension-requests").json] == [request["id"]]

    decided = decide(township, request, note="同意延期")
    assert decided.status_code == 200, decided.json
    assert decided.json["state"] == "approved" and decided.json["version"] == 2
    before = dt.datetime.fromisoformat(case["due_at"])
    after = staff.get(f"/api/v1/cases/{case['id']}").json
    assert dt.datetime.fromisoformat(after["due_at"]) == before + 5 * DAY
    assert dt.datetime.fromisoformat(decided.json["due_after"]) == before + 5 * DAY
    assert after["version"] == case["version"] + 1
    actions = [e["action"] for e in after["timeline"]]
    assert actions[-2:] == ["extension_requested", "extension_approved"]
    assert township.get("/api/v1/extension-requests").json == []

    audited = set(db_session.execute(text(
        "SELECT action FROM audit_log WHERE summary->>'case_id' = :c OR "
        "(object_type = 'case_extension_requests' AND object_id = :r)"),
        {"c": case["id"], "r": str(request["id"])}).scalars())
    assert {"sla.extension_request", "sla.extension_decided",
            "case_extension_requests.create"} <= audited

    assert notifications(staff, case["id"], "extension_decided") == []
    handle_sla_notices(app, db_session, case["id"])
    got = notifications(staff, case["id"], "extension_decided")
    assert len(got) == 1 and "延期已批准" in got[0]["title"]
    assert len(notifications(township, case["id"], "extension_request")) == 1


def test_one_pending_request_per_case(users, handled_case):
    """A second request while one waits is 409 (in Chinese)."""
    staff = users["baonan.staff"]
    assert ask(staff, handled_case).status_code == 201
    again = ask(staff, handled_case, days=3)
    assert again.status_code == 409 and "延期申请" in again.json["message"]


def test_who_may_ask_see_and_decide(users, handled_case):
    """Another township sees nothing (404); the village may not decide (403); the grid
    worker (neither centre staff nor handler) may not ask (403)."""
    staff, township = users["baonan.staff"], users["baokang.dispatcher"]
    assert ask(users["baonan.grid"], handled_case).status_code == 403
    request = ask(staff, handled_case).json
    assert [r["id"] for r in township.get("/api/v1/extension-requests").json] \
        == [request["id"]]
    other = users["menda.dispatcher"]
    assert other.get(f"/api/v1/cases/{handled_case['id']}/extension-requests"
                     ).status_code == 404
    assert decide(other, request).status_code == 404
    assert other.get("/api/v1/extension-requests").json == []
    assert decide(staff, request).status_code == 403
    listed = staff.get(f"/api/v1/cases/{handled_case['id']}/extension-requests")
    assert listed.status_code == 200 and [r["state"] for r in listed.json] == ["pending"]
    # The county is not the level above a village case either.
    assert decide(users["county.staff"], request).status_code == 403


def test_stale_version_and_deciding_twice_are_409(users, handled_case):
    """Decisions are optimistic-locked on the request's version and made once."""
    township = users["baokang.dispatcher"]
    request = ask(users["baonan.staff"], handled_case).json
    stale = decide(township, request, version=request["version"] + 1)
    assert stale.status_code == 409 and "他人修改" in stale.json["message"]
    assert decide(township, request).status_code == 200
    twice = decide(township, request, approve=False, note="重复审批")
    assert twice.status_code == 409 and "已审批" in twice.json["message"]


def test_refusal_needs_a_note_and_leaves_the_due_time(users, handled_case):
    """Refusing without saying why is a field error; a refusal changes no due time."""
    staff, township = users["baonan.staff"], users["baokang.dispatcher"]
    request = ask(staff, handled_case).json
    for note in (None, "", "   "):
        body = {"approve": False} if note is None else {"approve": False, "note": note}
        refused = decide(township, request, **body)
        assert refused.status_code in (400, 422), refused.json
        assert "note" in str(refused.json["errors"])
    refused = decide(township, request, approve=False, note="理由不充分")
    assert refused.status_code == 200 and refused.json["state"] == "rejected"
    assert refused.json["due_after"] is None
    case = staff.get(f"/api/v1/cases/{handled_case['id']}").json
    assert case["due_at"] == handled_case["due_at"]
    assert case["timeline"][-1]["action"] == "extension_rejected"
    assert ask(staff, handled_case).status_code == 201  # may ask again after a refusal


def test_days_beyond_the_policy_limit_are_422(users, handled_case):
    """One request asks for at most the policy's extension_max_days (30 by default, or
    what the county set)."""
    staff = users["baonan.staff"]
    too_many = ask(staff, handled_case, days=31)
    assert too_many.status_code == 422 and too_many.json["message"]
    county = users["county.staff"]
    assert county.put("/api/v1/deadline-policy", json={
        "version": 0, "policy": {"extension_max_days": 4}}).status_code == 200
    assert ask(staff, handled_case, days=5).status_code == 422
    assert ask(staff, handled_case, days=4).status_code == 201


@pytest.mark.parametrize("body", [{"days": 0, "reason": REASON}, {"days": 5, "reason": " "},
                                  {"days": 5}, {"reason": REASON}])
def test_bad_requests_are_field_errors(users, handled_case, body):
    """Days out of range, a blank or missing reason: 422 with field errors."""
    response = users["baonan.staff"].post(
        f"/api/v1/cases/{handled_case['id']}/extension-requests", json=body)
    assert response.status_code == 422, response.json
    assert response.json["errors"]


def test_a_case_not_being_handled_cannot_be_extended(users, demo_county):
    """Before acceptance (受理 clock) there is nothing to extend: 409."""
    case = report(users["baonan.grid"], village_point(demo_county))
    refused = ask(users["baonan.staff"], case)
    assert refused.status_code == 409 and refused.json["message"]


def test_a_case_that_moved_on_cannot_be_approved_but_does_not_stay_blocked(
        users, handled_case):
    """Escalated after the village asked: the township (the approver, now the holder) may
    not approve (409: it would move the township's own new clock) but may refuse; or, asking
    the county for its own extension, the village's moot request is withdrawn."""
    staff, township = users["baonan.staff"], users["baokang.dispatcher"]
    first = ask(staff, handled_case).json
    escalated = ok(staff, staff.get(f"/api/v1/cases/{handled_case['id']}").json, "escalate",
                   note="村级无法化解")
    assert escalated["owner_level"] == "township"
    approved = decide(township, first)
    assert approved.status_code == 409, approved.json
    assert township.get(f"/api/v1/cases/{handled_case['id']}").json["due_at"] \
        == escalated["due_at"]

    second = ask(township, escalated, days=3)
    assert second.status_code == 201, second.json
    states = {r["id"]: r["state"] for r in township.get(
        f"/api/v1/cases/{handled_case['id']}/extension-requests").json}
    assert states == {first["id"]: "withdrawn", second.json["id"]: "pending"}
    assert decide(township, first).status_code == 409
    decided = decide(users["county.staff"], second.json)
    assert decided.status_code == 200, decided.json
    due = township.get(f"/api/v1/cases/{handled_case['id']}").json["due_at"]
    assert dt.datetime.fromisoformat(due) == \
        dt.datetime.fromisoformat(escalated["due_at"]) + 3 * DAY


def test_the_approver_may_refuse_a_request_the_case_outgrew(users, handled_case):
    """The request stays decidable after the case moved: refusing it is allowed."""
    staff, township = users["baonan.staff"], users["baokang.dispatcher"]
    request = ask(staff, handled_case).json
    ok(staff, staff.get(f"/api/v1/cases/{handled_case['id']}").json, "escalate",
       note="村级无法化解")
    refused = decide(township, request, approve=False, note="案件已上交镇级办理")
    assert refused.status_code == 200 and refused.json["state"] == "rejected"


@pytest.fixture
def township_mediation(users, demo_county):
    """A case the township holds, mediated by its mediator."""
    dispatcher = users["baokang.dispatcher"]
    case = report(dispatcher, village_point(demo_county), source="walk_in")
    case = ok(dispatcher, case, "accept")
    mediator_id = users["baokang.mediator"].get("/api/v1/session").json["id"]
    return ok(dispatcher, case, "assign", mediator_id=mediator_id)


def test_workflow_extend_needs_consent_and_works_once(users, township_mediation):
    """`extend` (both parties consenting) adds the stage's length once; without consent, or
    a second time, it is refused."""
    mediator = users["baokang.mediator"]
    case = township_mediation
    refused = act(mediator, case, "extend", parties_consent=False)
    assert refused.status_code == 422 and refused.json["message"]
    assert act(mediator, case, "extend").status_code == 422  # consent is required
    extended = ok(mediator, case, "extend", parties_consent=True, note="双方同意延期")
    before = dt.datetime.fromisoformat(case["due_at"])
    assert dt.datetime.fromisoformat(extended["due_at"]) == before + 7 * DAY
    assert extended["timeline"][-1]["action"] == "extend"
    again = act(mediator, extended, "extend", parties_consent=True)
    assert again.status_code in (409, 422)
    assert "延长过一次" in again.json["message"]
