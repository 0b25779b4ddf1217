"""The grid worker's mobile app in a real headless Chromium at 360 x 640 with GPS granted:
log in, report with a photo from the camera, and see the case arrive in the right grid cell;
every screen is photographed into test-artifacts/mobile/ to be looked at."""

from __future__ import annotations

import pytest

from tests.support.mobile import fill_report, log_in

pytestmark = pytest.mark.e2e

# Every control a thumb must hit; radio buttons and checkboxes count by their labels.
TAP_TARGETS = """() => [...document.querySelectorAll(
    'button, a[href], input:not([type=radio]):not([type=checkbox]):not([type=file]), select, '
  + 'textarea, label.choice, label.switch, summary')]
  .filter((el) => el.offsetParent !== null && !el.closest('.leaflet-control-attribution'))
  .map((el) => { const r = el.getBoundingClientRect();
                 return {what: el.outerHTML.slice(0, 80), w: r.width, h: r.height}; })
  .filter((t) => t.w < 44 || t.h < 44)"""


def assert_fits_a_phone(page) -> None:
    """Nothing wider than the screen, and no control smaller than 44 x 44 px."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.evaluate(TAP_TARGETS) == []


def test_report_with_photo_and_gps_arrives_in_the_workers_cell(phone, page_log, shoot,
                                                               worker_cases) -> None:
    page = phone
    page.goto("/m/")
    page.wait_for_selector("form.login")
    assert page.locator("h1").inner_text() == "登录"
    shoot(page, "01-login")
    log_in(page)
    page.wait_for_selector("#grid-map path.leaflet-interactive")  # my cell on the map
    assert "保南村网格员" in page.locator(".who").inner_text()
    assert_fits_a_phone(page)
    shoot(page, "02-my-grid")

    page.click("a.tab-report")
    page.wait_for_selector("#place:has-text('保南村第1网格')")
    assert "定位精度 ±12 米" in page.locator("#place").inner_text()
    page.click("#category")
    page.wait_for_selector(".overlay button.category")
    shoot(page, "03-category-picker")
    page.fill(".overlay input[type=search]", "宅基地")
    assert page.locator(".overlay button.category").count() >= 1
    page.locator(".overlay button.category").first.click()
    assert "宅基地" in page.locator("#category").inner_text()
    fill_report(page, search="宅基地", description="两户因宅基地边界发生争执，已到现场了解",
                photo=True)
    page.fill("input[name=people_involved]", "4")
    assert_fits_a_phone(page)
    shoot(page, "04-report-form")
    page.click("form.report button[type=submit]")

    page.wait_for_url("**/m/#/reports")
    page.wait_for_selector("#server-reports li[data-state='reported']")
    assert page.locator("#local-reports li.empty").count() == 1  # nothing left on the phone
    shoot(page, "05-my-reports")
    cases = worker_cases()
    assert len(cases) == 1
    case = cases[0]
    assert case["cell"] == "150521100201001"  # placed by the server from the GPS point
    assert case["accuracy_m"] == 12
    assert case["title"].startswith("宅基地")
    (photo,) = case["attachments"]
    assert photo["type"] == "image/jpeg" and photo["size"] <= 1_000_000  # shrunk on the phone

    page.click(f"#server-reports li[data-id='{case['id']}'] a")
    page.wait_for_selector("#timeline li")
    assert page.locator("#case-state").inner_text().startswith("已上报")
    assert "上报" in page.locator("#timeline").inner_text()
    page.wait_for_selector(".thumbs img")  # the photo, read back with the token
    shoot(page, "06-report-detail")

    page.click("a.tab-notices")
    page.wait_for_selector("#notices li")
    shoot(page, "07-notices")
    page.click("a.tab-me")
    page.wait_for_selector("dl.facts")
    assert "150521100201001" in page.locator("dl.facts").inner_text()
    assert_fits_a_phone(page)
    shoot(page, "08-me")
    assert page_log.foreign_requests() == []
    assert page_log.errors == []


def test_resolve_on_the_spot_closes_a_small_matter_from_the_phone(phone, page_log,
                                                                 worker_cases) -> None:
    page = phone
    log_in(page)
    page.click("a.tab-report")
    fill_report(page, search="邻里", description="两家因噪音争吵，当场说和")
    page.check("input[name=on_spot]")
    page.check("input[name=on_spot_outcome][value=oral_agreement]")
    page.fill("textarea[name=on_spot_note]", "双方口头达成谅解")
    page.click("form.report button[type=submit]")
    page.wait_for_selector("#server-reports li[data-state='resolved']")
    (case,) = worker_cases()
    assert case["state"] == "resolved"
    assert page_log.errors == []


def test_on_the_spot_is_offered_only_for_small_matters(phone) -> None:
    page = phone
    log_in(page)
    page.click("a.tab-report")
    page.wait_for_selector("input[name=on_spot]")
    assert page.is_enabled("input[name=on_spot]")
    page.click("label.choice:has(input[value=serious])")
    assert page.is_disabled("input[name=on_spot]")
    page.click("label.choice:has(input[value=general])")
    page.check("input[name=is_urgent]")
    assert page.is_disabled("input[name=on_spot]")


def test_an_unfinished_report_survives_the_app_being_closed(phone, worker_cases) -> None:
    page = phone
    log_in(page)
    page.click("a.tab-report")
    fill_report(page, search="噪声", description="夜里犬只扰民，正在了解情况", photo=True)
    page.wait_for_timeout(1000)  # typing pauses: the draft is saved
    page.reload()  # the app is killed and opened again
    page.click("a.tab-report")
    page.wait_for_selector("#draft-restored")
    assert page.input_value("textarea[name=description]") == "夜里犬只扰民，正在了解情况"
    assert "噪声" in page.locator("#category").inner_text()
    assert page.locator(".thumbs figure.thumb img").count() == 1
    page.click("form.report button[type=submit]")
    page.wait_for_selector("#server-reports li[data-state='reported']")
    (case,) = worker_cases()
    assert len(case["attachments"]) == 1
    page.click("a.tab-report")  # sent: the next report starts empty
    page.wait_for_selector("#category")
    assert page.locator("#draft-restored").count() == 0
    assert page.input_value("textarea[name=description]") == ""


def test_a_report_sent_before_the_map_has_loaded_is_kept(phone, worker_cases) -> None:
    """A quick worker taps 提交 while the grid is still loading: the report is held until the
    form is ready and sent, never handed to the browser's own form submission (a page load)."""
    page = phone
    held = []
    page.route("**/api/v1/grid-cells*", lambda route: held.append(route))  # answered when let go
    log_in(page)
    page.click("a.tab-report")
    fill_report(page, search="噪声", description="赶时间的上报", place=None)
    page.click("form.report button[type=submit]")
    page.wait_for_timeout(300)
    assert held, "the grid should still be loading when 提交 is tapped"
    assert "?" not in page.url  # no native submission
    for route in held:
        route.continue_()
    page.unroute("**/api/v1/grid-cells*")
    page.wait_for_selector("#server-reports li[data-state='reported']")
    (case,) = worker_cases()
    assert case["title"].endswith("赶时间的上报")
    assert case["cell"] == "150521100201001"


def test_the_app_speaks_english_when_asked(phone) -> None:
    page = phone
    log_in(page)
    page.click("a.tab-me")
    page.click("button[lang=en]")
    page.wait_for_selector("a.tab-report:has-text('Report')")
    assert page.locator("h1").inner_text() == "Me"
    page.click("a.tab-report")
    page.wait_for_selector("#category:has-text('Choose a category')")
