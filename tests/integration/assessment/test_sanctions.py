"""The ladder's sanctions on real PostgreSQL with a controllable clock: raised by the rules
(once) or by hand (with a reason), confirmed with the scheme's terms or dismissed with a
reason, lower steps superseded, rectification reported and reviewed, every step audited."""

from __future__ import annotations

import datetime as dt

from govgrid.assessment.sanctions_store import Proposal, expire_due, propose
from govgrid.assessment.vocabulary import Factor, Step
from govgrid.auth.principal import SYSTEM, acting_as
from govgrid.timestamps import frozen_at
from tests.integration.assessment.helpers import (
    BAOKANG,
    BAONAN,
    COUNTY,
    MENDA,
    audit_count,
    confirm,
    raise_step,
)

MARCH_1 = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing


def at(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_the_rules_propose_once_with_their_evidence(db_session):
    proposal = Proposal(unit_code=BAOKANG, step=Step.veto, trigger="especially_serious_event",
                        evidence={"event_ids": [1], "scheme_version": 0},
                        factors=(Factor.concealment,))
    with acting_as(SYSTEM):
        first = propose(SYSTEM, proposal)
        again = propose(SYSTEM, proposal)
    assert first is not None and again is None
    assert first.proposed_by is None and first.state == "proposed"
    assert first.evidence["event_ids"] == [1] and first.factors == ["concealment"]
    assert audit_count(db_session, "assessment.sanction_proposed", first.id) == 1


def test_by_hand_with_a_reason_and_never_twice(api_client_for):
    staff = api_client_for("county.staff")
    sanction = raise_step(staff, factors=["late_report"], event_ids=[7])
    assert sanction["state"] == "proposed" and sanction["trigger"] == "manual"
    assert sanction["proposed_by"] is not None and sanction["evidence"]["event_ids"] == [7]
    again = staff.post("/api/v1/assessment/sanctions", json={
        "unit": BAOKANG, "step": "notice", "reason": "再次"})
    assert again.status_code == 409
    no_reason = staff.post("/api/v1/assessment/sanctions", json={
        "unit": BAOKANG, "step": "interview", "reason": "   "})
    assert no_reason.status_code == 422
    county = staff.post("/api/v1/assessment/sanctions", json={
        "unit": COUNTY, "step": "notice", "reason": "x"})
    assert county.status_code == 422
    township = api_client_for("baokang.dispatcher")
    assert township.post("/api/v1/assessment/sanctions", json={
        "unit": BAONAN, "step": "notice", "reason": "x"}).status_code == 403


def test_confirm_sets_the_terms_from_the_scheme(api_client_for, db_session):
    staff = api_client_for("county.staff")
    notice = raise_step(staff)
    supervision = raise_step(staff, MENDA, "supervision", factors=["prompt_remedy"])
    veto = raise_step(staff, BAONAN, "veto")
    with frozen_at(MARCH_1):
        confirmed = confirm(staff, notice)
        assert confirmed.status_code == 200, confirmed.json
        body = confirmed.json
        assert body["state"] == "confirmed" and at(body["confirmed_at"]) == MARCH_1
        assert at(body["deadline"]) == MARCH_1 + dt.timedelta(days=30)
        assert body["disqualified_until"] is None
        assert body["params"]["terms"]["scheme_version"] == 0  # the default scheme

        body = confirm(staff, supervision).json  # 从轻: 60 + 15 days
        assert at(body["deadline"]) == MARCH_1 + dt.timedelta(days=75)
        assert at(body["disqualified_until"]) == dt.datetime(2026, 9, 1, 2, tzinfo=dt.UTC)

        body = confirm(staff, veto, factors=["concealment"]).json
        assert body["deadline"] is None and body["factors"] == ["concealment"]
        assert at(body["disqualified_until"]) == dt.datetime(2027, 3, 1, 2, tzinfo=dt.UTC)
    assert audit_count(db_session, "assessment.sanction_confirmed", notice["id"]) == 1
    # Decided already, or with a stale version: 409.
    assert confirm(staff, notice).status_code == 409
    assert confirm(staff, {**notice, "version": 5}).status_code == 409
    with frozen_at(dt.datetime(2027, 3, 2, tzinfo=dt.UTC)), acting_as(SYSTEM):
        expired = expire_due(dt.datetime(2027, 3, 2, tzinfo=dt.UTC))
    assert {supervision["id"], veto["id"]} <= set(expired) and notice["id"] not in expired


def test_a_higher_step_supersedes_the_lower_one_in_force(api_client_for):
    staff = api_client_for("county.staff")
    notice = raise_step(staff)
    assert confirm(staff, notice).status_code == 200
    interview = raise_step(staff, step="interview")
    assert confirm(staff, interview).status_code == 200
    lower = staff.get(f"/api/v1/assessment/sanctions/{notice['id']}").json
    assert lower["state"] == "superseded" and lower["superseded_by_id"] == interview["id"]
    listed = staff.get("/api/v1/assessment/sanctions",
                       query_string={"unit": BAOKANG, "state": "confirmed"}).json
    assert [s["id"] for s in listed] == [interview["id"]]


def test_dismiss_needs_a_reason(api_client_for, db_session):
    staff = api_client_for("county.staff")
    sanction = raise_step(staff)
    url = f"/api/v1/assessment/sanctions/{sanction['id']}/dismiss"
    assert staff.post(url, json={"version": 1, "reason": ""}).status_code == 422
    leader = api_client_for("county.leader")
    response = leader.post(url, json={"version": 1, "reason": "经核实不属实。"})
    assert response.status_code == 200, response.json
    assert response.json["state"] == "dismissed" and response.json["reason"] == "经核实不属实。"
    assert audit_count(db_session, "assessment.sanction_dismissed", sanction["id"]) == 1
    # A dismissed step no longer blocks raising the same step again.
    assert raise_step(staff)["id"] != sanction["id"]


def test_rectification_reported_and_reviewed(api_client_for, db_session, tmp_path, app,
                                             monkeypatch):
    staff = api_client_for("county.staff")
    sanction = confirm(staff, raise_step(staff)).json
    url = f"/api/v1/assessment/sanctions/{sanction['id']}/rectifications"
    evidence = tmp_path / "aa" / "aa" / ("a" * 64)  # evidence must be in the file store
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4")
    monkeypatch.setitem(app.config, "FILES_DIR", str(tmp_path))
    body = {"text": "已建立排查台账。", "attachments": ["a" * 64]}
    assert api_client_for("menda.dispatcher").post(url, json=body).status_code == 404
    assert api_client_for("baokang.mediator").post(url, json=body).status_code == 403
    township = api_client_for("baokang.dispatcher")
    first = township.post(url, json=body)
    assert first.status_code == 201, first.json
    assert first.json["accepted"] is None and first.json["attachments"] == ["a" * 64]
    assert township.post(url, json=body).status_code == 409  # one waits for review
    review = f"/api/v1/assessment/rectifications/{first.json['id']}/review"
    assert township.post(review, json={"version": 1, "accept": True}).status_code == 403
    assert staff.post(review, json={"version": 1, "accept": False}).status_code == 422
    rejected = staff.post(review, json={"version": 1, "accept": False, "note": "台账不全。"})
    assert rejected.status_code == 200 and rejected.json["accepted"] is False
    assert staff.post(review, json={"version": 2, "accept": True}).status_code == 409

    second = township.post(url, json={"text": "台账已补全。"}).json
    accepted = staff.post(f"/api/v1/assessment/rectifications/{second['id']}/review",
                          json={"version": 1, "accept": True})
    assert accepted.status_code == 200, accepted.json
    detail = township.get(f"/api/v1/assessment/sanctions/{sanction['id']}").json
    assert detail["state"] == "rectified" and detail["rectified_at"]
    assert [r["accepted"] for r in detail["rectifications"]] == [False, True]
    assert audit_count(db_session, "assessment.rectification_reviewed", second["id"]) == 1
    assert township.post(url, json=body).status_code == 409  # no longer in force


def test_reading_follows_the_unit(api_client_for):
    staff = api_client_for("county.staff")
    village = raise_step(staff, BAONAN)
    menda = api_client_for("menda.dispatcher")
    assert menda.get(f"/api/v1/assessment/sanctions/{village['id']}").status_code == 404
    baokang = api_client_for("baokang.dispatcher")
    assert baokang.get(f"/api/v1/assessment/sanctions/{village['id']}").status_code == 200
    ids = {s["id"] for s in baokang.get("/api/v1/assessment/sanctions?page_size=100").json}
    assert village["id"] in ids
    assert village["id"] not in {s["id"] for s in menda.get(
        "/api/v1/assessment/sanctions?page_size=100").json}
