"""The assessment's unit page, scheme editor and register of major events, rendered on real
PostgreSQL: who reads what (jurisdiction as in the API: out of reach is 404), which forms
each role and state gets, the evidence linked, broken query strings answered with 400."""

from __future__ import annotations

import uuid

from tests.integration.assessment.helpers import (
    BAOKANG,
    BAONAN,
    COUNTY,
    MENDA,
    confirm,
    raise_step,
    record_event,
)

UNIT = "/assessment/units/{}"


def page(client, url, status=200, **query):
    response = client.get(url, query_string=query)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def test_county_staff_see_a_proposal_with_its_evidence_and_decide(api_client_for):
    staff = api_client_for("county.staff")
    event = record_event(staff, BAONAN)
    case_id = str(uuid.uuid4())
    proposal = raise_step(staff, BAOKANG, "interview", factors=["late_report", "cooperation"],
                          event_ids=[event["id"]], case_ids=[case_id])
    html = page(staff, UNIT.format(BAOKANG))
    assert 'data-standing="none"' in html and f'id="sanction-{proposal["id"]}"' in html
    assert f'href="#event-{event["id"]}"' in html and f'id="event-{event["id"]}"' in html
    assert f'href="/cases/{case_id}"' in html
    assert 'class="chip chip-aggravating" data-factor="late_report"' in html
    assert 'class="chip chip-mitigating" data-factor="cooperation"' in html
    assert 'data-act="confirm"' in html and 'data-act="dismiss"' in html
    assert 'data-act="raise"' in html and 'data-act="rectify"' not in html

    confirmed = confirm(staff, proposal, factors=["cooperation"]).json
    html = page(staff, UNIT.format(BAOKANG))
    assert 'data-standing="interview"' in html and "data-due-at=" in html
    assert 'data-act="confirm"' not in html
    # County staff may report on the unit's behalf; leaders decide but do not report.
    assert 'data-act="rectify"' in html
    leader = page(api_client_for("county.leader"), UNIT.format(BAOKANG))
    assert 'data-act="rectify"' not in leader and 'data-act="raise"' in leader
    assessor = page(api_client_for("assessor"), UNIT.format(BAOKANG))
    assert "data-act=" not in assessor and f'id="sanction-{confirmed["id"]}"' in assessor


def test_the_township_reports_and_county_staff_review(api_client_for):
    staff = api_client_for("county.staff")
    sanction = confirm(staff, raise_step(staff, BAOKANG)).json
    township = api_client_for("baokang.dispatcher")
    html = page(township, UNIT.format(BAOKANG))
    assert 'data-act="rectify"' in html and 'data-act="raise"' not in html
    assert 'data-act="confirm"' not in html
    report = township.post(f"/api/v1/assessment/sanctions/{sanction['id']}/rectifications",
                           json={"text": "已建立排查台账。"})
    assert report.status_code == 201
    html = page(township, UNIT.format(BAOKANG))
    assert 'data-act="rectify"' not in html and 'data-act="review"' not in html
    assert "已建立排查台账。" in html and "review-pending" in html
    assert 'data-act="review"' in page(staff, UNIT.format(BAOKANG))
    # The village below reads its township's page? No: a village reads only itself.
    page(api_client_for("baonan.staff"), UNIT.format(BAOKANG), 404)
    page(api_client_for("baonan.staff"), UNIT.format(BAONAN))


def test_who_reads_a_unit_page(api_client_for):
    page(api_client_for("menda.dispatcher"), UNIT.format(BAOKANG), 404)
    page(api_client_for("county.staff"), UNIT.format(COUNTY), 404)  # no ladder for a county
    page(api_client_for("county.staff"), UNIT.format("15052110"), 404)
    page(api_client_for("county.staff"), UNIT.format("x" * 300), 404)
    for refused in ("baonan.grid", "baokang.mediator", "county.court"):
        page(api_client_for(refused), UNIT.format(BAOKANG), 403)


def test_the_scheme_editor(api_client_for):
    staff = api_client_for("county.staff")
    html = page(staff, "/assessment/scheme", year=2026)
    assert 'id="create-draft"' in html and 'id="scheme-form"' not in html
    assert 'id="in-force"' in html
    draft = staff.post("/api/v1/assessment/schemes", json={"year": 2026, "note": "征求意见稿"})
    html = page(staff, "/assessment/scheme", year=2026)
    assert 'id="scheme-form"' in html and 'data-path="indicators[0].weight"' in html
    assert f'data-version="{draft.json["version"]}"' in html and "征求意见稿" in html
    leader = page(api_client_for("county.leader"), "/assessment/scheme", year=2026)
    assert 'id="scheme-form"' not in leader and 'id="create-draft"' not in leader
    page(api_client_for("baokang.dispatcher"), "/assessment/scheme", year=2026)
    page(api_client_for("baonan.grid"), "/assessment/scheme", 403)
    for broken in ("x", "1999", "2101", "２０２６", "-1"):
        page(staff, "/assessment/scheme", 400, year=broken)


def test_the_register(api_client_for):
    staff = api_client_for("county.staff")
    own = record_event(staff, BAONAN, title="保南村命案", kind="homicide")
    other = record_event(staff, MENDA, title="门达镇群体性事件")
    html = page(staff, "/assessment/events")
    assert 'id="event-form"' in html and "保南村命案" in html and "门达镇群体性事件" in html
    township = api_client_for("baokang.dispatcher")
    html = page(township, "/assessment/events")
    assert 'id="event-form"' in html and "保南村命案" in html and "门达镇群体性事件" not in html
    assert MENDA not in html  # a sibling township is no choice in the form
    html = page(staff, "/assessment/events", kind="homicide", unit=BAOKANG)
    assert "保南村命案" in html and "门达镇群体性事件" not in html
    assert "门达镇群体性事件" in page(staff, "/assessment/events", event=other["id"])
    page(township, "/assessment/events", 404, event=other["id"])
    page(township, "/assessment/events", 404, unit=MENDA)
    assert 'id="event-form"' not in page(api_client_for("assessor"), "/assessment/events")
    page(api_client_for("baonan.grid"), "/assessment/events", 403)
    for name, broken in (("kind", "fire"), ("from", "2026-13-40"), ("to", "x"),
                         ("page", "0"), ("unit", "1505"), ("event", "-1")):
        page(staff, "/assessment/events", 400, **{name: broken})
    assert own["id"] != other["id"]
