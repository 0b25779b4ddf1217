"""The register of major events on real PostgreSQL: who records where, jurisdiction on
reading, optimistic locking, filters, raising from a case, audit."""

from __future__ import annotations

from tests.integration.assessment.helpers import (
    BAOKANG,
    BAONAN,
    COUNTY,
    EVENT,
    MENDA,
    audit_count,
    record_event,
)
from tests.support.cases import report


def listed(client, **query):
    response = client.get("/api/v1/assessment/events", query_string={"page_size": 100,
                                                                      **query})
    assert response.status_code == 200, response.json
    return {e["id"] for e in response.json}


def test_county_staff_record_and_the_jurisdiction_reads(api_client_for, db_session):
    staff = api_client_for("county.staff")
    event = record_event(staff)
    assert event["unit"] == {"code": BAONAN, "name": event["unit"]["name"], "level": "village"}
    assert event["version"] == 1 and event["people_involved"] == 60
    assert audit_count(db_session, "assessment.event_recorded", event["id"]) == 1

    baokang, menda = api_client_for("baokang.dispatcher"), api_client_for("menda.dispatcher")
    assert baokang.get(f"/api/v1/assessment/events/{event['id']}").status_code == 200
    assert event["id"] in listed(baokang)
    assert menda.get(f"/api/v1/assessment/events/{event['id']}").status_code == 404
    assert event["id"] not in listed(menda)
    # A township cannot look at its sibling's events by naming the sibling.
    assert menda.get("/api/v1/assessment/events",
                     query_string={"unit": BAOKANG}).status_code == 404


def test_a_township_records_in_its_own_township_only(api_client_for):
    baokang = api_client_for("baokang.dispatcher")
    own = record_event(baokang, BAOKANG)
    assert own["recorded_by"] is not None
    response = baokang.post("/api/v1/assessment/events", json={**EVENT, "unit": MENDA})
    assert response.status_code == 404
    grid = api_client_for("baonan.grid")
    response = grid.post("/api/v1/assessment/events", json={**EVENT, "unit": BAONAN})
    assert response.status_code == 403


def test_refused_places_and_times(api_client_for):
    staff = api_client_for("county.staff")
    county = staff.post("/api/v1/assessment/events", json={**EVENT, "unit": COUNTY})
    assert county.status_code == 422 and county.json["message"]
    future = staff.post("/api/v1/assessment/events",
                        json={**EVENT, "unit": BAONAN, "occurred_at": "2099-01-01T00:00:00Z"})
    assert future.status_code == 422
    naive = staff.post("/api/v1/assessment/events",
                       json={**EVENT, "unit": BAONAN, "occurred_at": "2026-03-08T09:30:00"})
    assert naive.status_code == 422
    negative = staff.post("/api/v1/assessment/events",
                          json={**EVENT, "unit": BAONAN, "deaths": -1})
    assert negative.status_code == 422 and "deaths" in negative.json["errors"]["json"]


def test_edit_with_the_version_read_and_409_when_stale(api_client_for, db_session):
    staff = api_client_for("county.staff")
    event = record_event(staff)
    body = {**EVENT, "unit": BAONAN, "severity": "major", "deaths": 1, "version": 1}
    edited = staff.put(f"/api/v1/assessment/events/{event['id']}", json=body)
    assert edited.status_code == 200, edited.json
    assert edited.json["severity"] == "major" and edited.json["version"] == 2
    stale = staff.put(f"/api/v1/assessment/events/{event['id']}", json=body)
    assert stale.status_code == 409 and stale.json["message"]
    assert audit_count(db_session, "assessment.event_edited", event["id"]) == 1
    menda = api_client_for("menda.dispatcher")
    assert menda.put(f"/api/v1/assessment/events/{event['id']}",
                     json={**body, "version": 2, "unit": MENDA}).status_code == 404


def test_filters(api_client_for):
    staff = api_client_for("county.staff")
    homicide = record_event(staff, kind="homicide", severity="major",
                            occurred_at="2026-01-31T23:30:00+08:00")
    accident = record_event(staff, MENDA, kind="public_safety_accident",
                            occurred_at="2026-02-01T00:30:00+08:00")
    assert homicide["id"] in listed(staff, kind="homicide")
    assert accident["id"] not in listed(staff, kind="homicide")
    assert listed(staff, severity="major") >= {homicide["id"]}
    assert accident["id"] not in listed(staff, severity="major")
    january = listed(staff, **{"from": "2026-01-31", "to": "2026-01-31"})
    assert homicide["id"] in january and accident["id"] not in january
    assert accident["id"] in listed(staff, **{"from": "2026-02-01"})
    assert listed(staff, unit=MENDA) >= {accident["id"]}
    assert homicide["id"] not in listed(staff, unit=MENDA)
    assert staff.get("/api/v1/assessment/events?kind=riot").status_code == 400


def test_raised_from_a_case(api_client_for, cell_point):
    case = report(api_client_for("baonan.grid"), cell_point, title="村民械斗致一人死亡")
    staff = api_client_for("county.staff")
    response = staff.post("/api/v1/assessment/events/from-case", json={
        "case_id": case["id"], "kind": "homicide", "severity": "major", "deaths": 1})
    assert response.status_code == 201, response.json
    event = response.json
    assert event["case_id"] == case["id"] and event["unit"]["code"] == BAONAN
    assert event["title"] == "村民械斗致一人死亡" and event["deaths"] == 1
    menda = api_client_for("menda.dispatcher")
    refused = menda.post("/api/v1/assessment/events/from-case", json={
        "case_id": case["id"], "kind": "homicide", "severity": "major"})
    assert refused.status_code == 404
