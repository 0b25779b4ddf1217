"""Urgent reporting clocks as people see them: the open-clock list by jurisdiction, the
board page and its form, the case page's partial; and broken report bodies fuzzed as
someone who may really record a report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from govgrid.timestamps import frozen_at
from tests.support.cases import village_point
from tests.support.urgent import TITLE, at, clocks_at, report_at, when


@pytest.fixture
def point(demo_county) -> tuple[float, float]:
    return village_point(demo_county)


def test_open_clock_list_by_jurisdiction(api_client_for, point):
    case = report_at(api_client_for("baonan.grid"), point, 40, is_urgent=True)

    def listed(username: str, open_: str = "true") -> list[dict[str, Any]]:
        with frozen_at(at(45)):
            response = api_client_for(username).get(f"/api/v1/urgent-clocks?open={open_}"
                                                    "&page_size=100")
        assert response.status_code == 200, response.json
        return [c for c in response.json if c["case_id"] == case["id"]]

    [upper] = listed("county.staff")  # the county clock is met: not open
    assert upper["kind"] == "upper" and upper["case_title"] == TITLE
    assert "保康镇" in upper["place"] and "保南村" in upper["place"]
    assert upper["seconds_left"] == (180 - 45) * 60 and upper["status"] == "running"
    assert [c["kind"] for c in listed("baokang.dispatcher")] == ["upper"]
    assert listed("menda.dispatcher") == []
    assert {c["kind"] for c in listed("county.staff", "false")} == {"county", "upper"}


def test_board_page_shows_countdowns_to_those_who_watch(app, api_client_for, point):
    case = report_at(api_client_for("baonan.grid"), point, 10)
    with frozen_at(at(50)):
        page = api_client_for("county.staff").get("/urgent")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert TITLE in html and f'data-due-at="{at(60).astimezone(dt.UTC).isoformat()}"' in html
        assert 'data-state="alarm"' in html  # 10 minutes left of the county's hour
        township = api_client_for("baokang.dispatcher").get("/urgent").get_data(as_text=True)
        assert TITLE in township
        assert TITLE not in api_client_for("menda.dispatcher").get("/urgent").get_data(
            as_text=True)
        assert api_client_for("baonan.grid").get("/urgent").status_code == 403

        # The board's form (bearer-token clients carry no CSRF cookie to protect).
        sent = api_client_for("baokang.dispatcher").post(
            f"/urgent/{case['id']}/reports",
            data={"clock": "county", "channel": "phone", "reported_at": "2026-11-10T14:48",
                  "content": "电话报告"})
        assert sent.status_code == 302 and f"urgent-{case['id']}" in sent.location
    clocks, _ = clocks_at(api_client_for("county.staff"), case["id"], 60)
    assert when(clocks["county"]["met_at"]) == at(48)  # the county's wall clock


def test_broken_report_bodies_never_cause_a_500(app, api_client_for, point):
    """test_malformed_input.py fuzzes every write as village staff, who may not record these
    (403 before the service); here county staff, who may, so broken values reach it."""
    from tests.integration.test_malformed_input import BROKEN_BODIES, assert_handled, variants

    case = report_at(api_client_for("baonan.grid"), point, 10)
    staff = api_client_for("county.staff")
    url = f"/api/v1/cases/{case['id']}/urgent-reports"
    spec = app.test_client().get("/api/openapi.json").json
    body = spec["paths"]["/api/v1/cases/{case_id}/urgent-reports"]["post"]["requestBody"]
    examples = [e["value"] for e in body["content"]["application/json"]["examples"].values()]
    with frozen_at(at(30)):
        for example in examples:
            for broken in variants(example):
                assert_handled(staff.post(url, json=broken), str(broken)[:120])
        for raw in BROKEN_BODIES:
            assert_handled(staff.post(url, data=raw, content_type="application/json"), raw)
        for value in ("", "x" * 5000, "-1", "2026-13-45", "[]"):
            assert_handled(staff.get(f"/api/v1/urgent-clocks?open={value}"), value)


def test_case_page_partial(app, api_client_for, principal_of, point):
    """What the case page includes: the case's clocks with live countdowns and the report
    form for those who may report; nothing at all for an ordinary case."""
    from uuid import UUID

    from flask import render_template_string

    from govgrid.auth.principal import acting_as

    include = ('{% with panel = urgent_panel(case_id) %}{% include "sla/_urgent_clocks.html" %}'
               '{% endwith %}')
    urgent = report_at(api_client_for("baonan.grid"), point, 40, is_urgent=True)
    ordinary = report_at(api_client_for("baonan.grid"), point, 40, category_code="0201",
                         severity="general", title="邻里纠纷")
    with app.test_request_context(), frozen_at(at(50)):
        with acting_as(principal_of("county.staff")):
            html = render_template_string(include, case_id=UUID(urgent["id"]))
            assert render_template_string(include, case_id=UUID(ordinary["id"])).strip() == ""
        with acting_as(principal_of("baonan.staff")):
            village = render_template_string(include, case_id=UUID(urgent["id"]))
    assert 'id="urgent-clocks"' in html and 'data-clock="upper"' in html
    assert 'name="back" value="case"' in html and "js/countdown.js" in html
    assert "data-due-at" in village and 'name="clock"' not in village  # reads, may not report
