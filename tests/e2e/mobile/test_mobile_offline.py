"""Offline first, in a real headless Chromium: reports made with no connection are kept on the
phone (待同步), survive a reload with no network (the service worker serves the app), and
are sent exactly once when the connection returns; a report the platform refuses is shown
with the reason, corrected and sent again, never dropped."""

from __future__ import annotations

import pytest

from tests.support.cases import village_point
from tests.support.mobile import fill_report, log_in, wait_until_offline_ready

pytestmark = pytest.mark.e2e

PENDING = "#local-reports li[data-status='pending']"


def report_offline(page, n: int) -> None:
    page.click("a.tab-report")
    fill_report(page, search="邻里", description=f"离线上报第{n}条：两户因通行发生口角",
                photo=(n == 1))
    page.click("form.report button[type=submit]")
    page.wait_for_url("**/m/#/reports")
    page.wait_for_selector(f"{PENDING} >> nth={n - 1}")


def test_three_reports_made_offline_arrive_once_when_the_connection_returns(
        phone, page_log, shoot, worker_cases) -> None:
    page = phone
    log_in(page)
    page.click("a.tab-report")  # opened once online: the categories are saved on the phone
    page.wait_for_selector("#place:has-text('网格')")
    wait_until_offline_ready(page)

    page.context.set_offline(True)
    page.wait_for_selector("#offline-bar:not([hidden])")
    for n in (1, 2, 3):
        report_offline(page, n)
    assert page.locator(PENDING).count() == 3
    assert "待同步" in page.locator("#local-reports").inner_text()
    shoot(page, "10-offline-pending")

    page.reload()  # no network: the shell, scripts and map library come from the phone
    page.wait_for_selector(PENDING)
    assert page.locator(PENDING).count() == 3
    page.click("a.tab-grid")
    page.wait_for_selector("#grid-map path.leaflet-interactive")  # the saved grid
    shoot(page, "11-offline-after-reload")
    assert worker_cases() == []  # nothing reached the server

    page.click("a.tab-reports")
    page.context.set_offline(False)
    page.wait_for_selector("#local-reports li.empty")
    page.wait_for_function(
        "() => document.querySelectorAll('#server-reports li[data-state]').length >= 3")
    shoot(page, "12-back-online-sent")
    cases = worker_cases()
    assert len(cases) == 3  # exactly three: retries never duplicate
    assert sorted(c["title"][-15:] for c in cases) == sorted(
        f"离线上报第{n}条：两户因通行发生口角"[-15:] for n in (1, 2, 3))
    assert all(c["cell"] == "150521100201001" for c in cases)
    assert sum(len(c["attachments"] or []) for c in cases) == 1
    assert page_log.foreign_requests() == []


def test_a_rejected_report_is_shown_with_the_reason_and_can_be_corrected(
        phone, demo_county, page_log, shoot, worker_cases) -> None:
    page = phone
    log_in(page)
    # Standing in another village: the platform refuses a report outside one's jurisdiction.
    elsewhere = next(c for c in demo_county.cells if c.village_code != "150521100201")
    point = elsewhere.boundary.representative_point()
    page.context.set_geolocation({"longitude": point.x, "latitude": point.y, "accuracy": 8})
    page.click("a.tab-report")
    fill_report(page, search="邻里", description="在邻村看到的纠纷", place="不在您的网格内")
    page.click("form.report button[type=submit]")

    rejected = page.locator("#local-reports li[data-status='rejected']")
    rejected.wait_for()
    assert "未通过" in rejected.inner_text()
    assert "辖区" in rejected.inner_text()  # the server's reason, in Chinese
    shoot(page, "13-rejected-in-list")
    rejected.locator("a").click()
    page.wait_for_selector("#rejection")
    assert "辖区" in page.locator("#rejection").inner_text()
    shoot(page, "14-rejected-detail")
    assert worker_cases() == []

    # Back in the village: correct the place and send it again.
    lon, lat = village_point(demo_county)
    page.context.set_geolocation({"longitude": lon, "latitude": lat, "accuracy": 10})
    page.click("text=修改后重新提交")
    page.wait_for_selector("form.report")
    assert page.input_value("textarea[name=description]") == "在邻村看到的纠纷"
    page.click("text=重新定位")
    page.wait_for_selector("#place:has-text('保南村第1网格')")
    page.click("form.report button[type=submit]")
    page.wait_for_selector("#local-reports li.empty")
    page.wait_for_selector("#server-reports li[data-state='reported']")
    (case,) = worker_cases()
    assert case["cell"] == "150521100201001"
    # The browser logs the 422 it was given; nothing else may go wrong.
    assert [e for e in page_log.errors if "status of 422" not in e] == []
