"""Retries never duplicate: the server does its work but the phone never hears back (the
answer is lost on the way), so the phone sends the report and its photo again later; the
platform answers the retry with what it already has. Also the pure pieces the app's offline
work rests on (backoff, which answers are refusals, where a point lies), run in Chromium."""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.support.mobile import big_photo, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def phone_without_worker(browser, live_server, demo_county):
    """The phone with no service worker: Playwright can only intercept the page's own
    requests, and the sending being tested here is the page's."""
    from tests.support.cases import village_point

    lon, lat = village_point(demo_county)
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True,
        locale="zh-CN", base_url=live_server, service_workers="block",
        geolocation={"longitude": lon, "latitude": lat, "accuracy": 20},
        permissions=["geolocation"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_lost_answers_are_retried_without_duplicating_the_case_or_its_photo(
        phone_without_worker, worker_cases) -> None:
    page = phone_without_worker
    log_in(page)
    lost: list[str] = []

    def lose_first_answer(route) -> None:
        """Let the request reach the server, then drop its answer (once per kind)."""
        kind = "photo" if route.request.url.endswith("/attachments") else "case"
        response = route.fetch()
        if kind not in lost and route.request.method == "POST":
            lost.append(kind)
            assert response.status == 201  # the server did create it
            route.abort("connectionreset")
        else:
            route.fulfill(response=response)

    page.route("**/api/v1/cases", lose_first_answer)
    page.route("**/api/v1/cases/*/attachments", lose_first_answer)
    page.click("a.tab-report")
    page.wait_for_selector("#place:has-text('网格')")
    page.click("#category")
    page.fill(".overlay input[type=search]", "邻里")
    page.locator(".overlay button.category").first.click()
    page.set_input_files("#photo-input", big_photo(1600, 1200))
    page.wait_for_selector(".thumbs figure.thumb img")
    page.click("form.report button[type=submit]")

    # First try: the case's answer is lost; the report waits for its retry.
    page.wait_for_selector("#local-reports li[data-status='pending'] .reason")
    assert lost == ["case"]
    assert "将于" in page.locator("#local-reports .reason").inner_text()  # when it retries
    # 立即同步 until the phone is empty: the case answers 200 (it exists), the photo's first
    # answer is lost too, and its retry answers 200 (the same bytes are attached already).
    for _ in range(20):
        if page.locator("#local-reports li.empty").count():
            break
        with contextlib.suppress(PlaywrightTimeout):  # gone: nothing waits any more
            page.click("text=立即同步", timeout=1000)
        page.wait_for_timeout(500)
    page.wait_for_selector("#local-reports li.empty")
    assert lost == ["case", "photo"]
    (case,) = worker_cases()
    assert len(case["attachments"]) == 1  # the retried photo is the same attachment


PURE = """async () => {
  const sync = await import('/static/mobile/sync.js');
  const api = await import('/static/mobile/api.js');
  const places = await import('/static/mobile/places.js');
  const square = {type: 'FeatureCollection', features: [{type: 'Feature',
    properties: {code: 'A'}, geometry: {type: 'MultiPolygon', coordinates: [[
      [[0,0],[2,0],[2,2],[0,2],[0,0]], [[0.5,0.5],[1,0.5],[1,1],[0.5,1],[0.5,0.5]]]]}}]};
  return {
    delays: [1, 2, 3, 10, 30].map((n) => sync.retryDelay(n, () => 0.5)),
    refusals: [400, 401, 409, 413, 422, 429, 500, 503]
      .map((s) => new api.ApiError(s, {}).isRejection),
    message: new api.ApiError(422, {message: '无效', errors: {json: {lat: ['超出本县']}}}).message,
    inside: places.cellAt(square, 1.5, 1.5)?.properties.code ?? null,
    inHole: places.cellAt(square, 0.7, 0.7),
    outside: places.cellAt(square, 3, 3),
  };
}"""


def test_backoff_refusals_and_cells_on_the_phone(phone) -> None:
    page = phone
    page.goto("/m/")
    result = page.evaluate(PURE)
    # 5 s doubling, at most 15 minutes (jitter fixed at the middle here).
    assert result["delays"] == [5000, 10000, 20000, 900000, 900000]
    # Refusals are kept for the worker to correct; 401, 429 and 5xx are retried.
    assert result["refusals"] == [True, False, True, True, True, False, False, False]
    assert result["message"] == "无效 超出本县"
    assert result["inside"] == "A" and result["inHole"] is None and result["outside"] is None
