"""The reports API and pages: asking (202, queued in RQ), listing within the jurisdiction,
progress, 404 for another township's report, refusals with a message (never a 500), and the
page and appendix of a generated report."""

from __future__ import annotations

import io
from urllib.parse import unquote

import openpyxl
import pytest
from sqlalchemy import select

from govgrid.auth.principal import SYSTEM, acting_as
from govgrid.auth.scope import unscoped
from govgrid.geo.models import Unit
from govgrid.reports.job import generate_report
from govgrid.reports.models import MonthlyReport
from govgrid.timestamps import frozen_at

from .conftest import NOW

BAOKANG, MENDA, COUNTY = "150521100000", "150521104000", "150521000000"


def _report_of(db_session, code, month, status="queued"):
    unit = db_session.execute(select(Unit).where(Unit.code == code)
                              .execution_options(**unscoped())).scalar_one()
    report = MonthlyReport(county_id=unit.county_id, unit_id=unit.id, path=unit.path,
                           month=month, status=status, progress=0)
    db_session.add(report)
    db_session.flush()
    return report.id


def test_county_staff_ask_for_a_township_report_and_follow_it(app, db_session, client,
                                                             test_redis):
    response = client.post("/api/v1/reports", json={"unit": BAOKANG, "month": "2026-01"})
    assert response.status_code == 202, response.json
    body = response.json
    assert body["status"] == "queued" and body["progress"] == 0
    assert body["unit"] == {"code": BAOKANG, "name": "保康镇", "level": "township"}
    assert body["month"] == "2026-01"
    assert body["links"]["self"] == f"/api/v1/reports/{body['id']}"
    assert body["links"]["html"] == f"/reports/{body['id']}"
    # Handed to RQ under the row's job id.
    assert any(key.decode().startswith(f"rq:job:monthly-report-{body['id']}-")
               for key in test_redis.keys("rq:job:*"))
    again = client.post("/api/v1/reports", json={"unit": BAOKANG, "month": "2026-01"})
    assert again.status_code == 202 and again.json["id"] == body["id"]  # still queued
    assert client.get(body["links"]["self"]).json["status"] == "queued"
    listed = client.get("/api/v1/reports", query_string={"unit": BAOKANG}).json
    assert [r["id"] for r in listed] == [body["id"]]


def test_a_township_reads_its_own_reports_only(app, db_session, api_client_for):
    import datetime as dt

    own = _report_of(db_session, BAOKANG, dt.date(2026, 1, 1))
    other = _report_of(db_session, MENDA, dt.date(2026, 1, 1))
    county = _report_of(db_session, COUNTY, dt.date(2026, 1, 1))
    db_session.commit()
    dispatcher = api_client_for("baokang.dispatcher")
    ids = [r["id"] for r in dispatcher.get("/api/v1/reports").json]
    assert own in ids and other not in ids and county not in ids
    assert dispatcher.get(f"/api/v1/reports/{other}").status_code == 404
    assert dispatcher.get(f"/api/v1/reports/{county}").status_code == 404
    assert dispatcher.get(f"/reports/{other}").status_code == 404
    assert dispatcher.get(f"/reports/{other}.xlsx").status_code == 404
    # Asking for another township's or the county's report: not found.
    for code in (MENDA, COUNTY):
        response = dispatcher.post("/api/v1/reports", json={"unit": code, "month": "2026-01"})
        assert response.status_code == 404 and response.json["message"]
    staff = api_client_for("county.staff")
    ids = [r["id"] for r in staff.get("/api/v1/reports").json]
    assert {own, other, county} <= set(ids)


@pytest.mark.parametrize("body, status", [
    ({"unit": BAOKANG, "month": "2099-01"}, 422),
    ({"unit": BAOKANG, "month": "2026-13"}, 422),
    ({"unit": BAOKANG, "month": "1999-12"}, 422),
    ({"unit": BAOKANG, "month": "soon"}, 422),
    ({"unit": "150521100201", "month": "2026-01"}, 422),  # a village
    ({"unit": "999999999999", "month": "2026-01"}, 404),
    ({"unit": "1505", "month": "2026-01"}, 422),
    ({"month": "2026-01"}, 422),
])
def test_bad_requests_are_refused_with_a_message(app, db_session, client, body, status):
    response = client.post("/api/v1/reports", json=body)
    assert response.status_code == status, response.json
    assert response.json["message"]


def test_people_outside_the_centres_may_not_ask_or_read(app, db_session, api_client_for):
    grid = api_client_for("baonan.grid")
    assert grid.post("/api/v1/reports", json={"unit": BAOKANG, "month": "2026-01"}
                     ).status_code in (403, 404)
    assert grid.get("/api/v1/reports").status_code == 403
    leader = api_client_for("county.leader")
    assert leader.get("/api/v1/reports").status_code == 200
    assert leader.post("/api/v1/reports", json={"unit": BAOKANG, "month": "2026-01"}
                       ).status_code == 403


def test_broken_list_queries_are_400s(app, db_session, client):
    for query in ({"month": "2026-1x"}, {"unit": "abc"}, {"month": "2099-01"}):
        response = client.get("/api/v1/reports", query_string=query)
        assert response.status_code == 400 and response.json["message"], query
    assert client.get("/api/v1/reports", query_string={"page": "0"}).status_code < 500
    assert client.get("/api/v1/reports/99999999999").status_code == 404
    assert client.get("/api/v1/reports/2147483647").status_code == 404


def test_a_generated_report_is_shown_and_downloaded(app, crafted, db_session, client,
                                                   tmp_path):
    import datetime as dt

    app.config["FILES_DIR"] = str(tmp_path)
    report_id = _report_of(db_session, BAOKANG, dt.date(2031, 6, 1))
    db_session.commit()
    with app.app_context(), acting_as(SYSTEM), frozen_at(NOW):
        assert generate_report(report_id) == "done"
    page = client.get(f"/reports/{report_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="print-button"' in html and html.count("<svg") == 2
    download = client.get(f"/reports/{report_id}.xlsx")
    assert download.status_code == 200
    disposition = download.headers["Content-Disposition"]
    assert f'filename="report-{BAOKANG}-2031-06.xlsx"' in disposition
    assert "保康镇" in unquote(disposition.split("filename*=UTF-8''")[1])
    book = openpyxl.load_workbook(io.BytesIO(download.data))
    indicators = book.worksheets[0]
    labels = [row[0] for row in indicators.iter_rows(min_row=5, values_only=True)]
    assert len(labels) == 10  # cases reported + the nine indicators
    status = client.get(f"/api/v1/reports/{report_id}").json
    assert status["status"] == "done" and status["progress"] == 100
    listing = client.get("/reports")
    assert listing.status_code == 200 and f'data-id="{report_id}"' in listing.get_data(
        as_text=True)
