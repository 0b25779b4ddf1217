"""The case page in a real headless Chromium: the stage's time limit with its state badge
and a countdown that ticks, the urgent reporting clocks, a 督办 order and the timeline, in
Chinese, with no console errors. The screenshot goes to test-artifacts/ to be looked at."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from tests.support.cases import village_point
from tests.support.live import reporter

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_case_page_counts_down_its_time_limit(app, page, page_log, live_server, login_as,
                                              demo_county, made_cases) -> None:
    from govgrid.extensions import db

    township = reporter(page, live_server, "baokang.dispatcher")
    # 重大, mass-incident signs, held by the township, occurred 40 minutes ago: the report
    # to the county is owed within the hour.
    case = township(village_point(demo_county), 40, category_code="2301", severity="serious",
                    title="征地补偿群众准备集体上访", address="保南村三组")
    made_cases.append(case["id"])
    # Its acceptance time is nearly up: 将到期, 30 minutes left.
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(text("UPDATE cases SET due_soon_at = now() - interval '1 hour', "
                          "due_at = now() + interval '30 minutes' WHERE id = :i"),
                     {"i": case["id"]})
    login_as(page, "county.staff", next_path="/urgent")
    order = page.request.post(f"{live_server}/api/v1/cases/{case['id']}/supervision-orders",
                              headers={"X-CSRFToken": page.evaluate(
                                  "document.querySelector('meta[name=csrf-token]')"
                                  "?.content || ''")},
                              data={"reason": "请立即稳控并报告进展"})
    assert order.ok, order.text()

    page.goto(f"/cases/{case['id']}")
    page.wait_for_selector("#deadline .countdown[data-countdown-started]")
    assert "征地补偿群众准备集体上访" in page.locator("h1").inner_text()
    badge = page.locator("[data-deadline-state]")
    assert badge.get_attribute("data-deadline-state") == "due_soon"
    assert badge.inner_text() == "将到期"
    countdown = page.locator("#deadline .countdown [data-countdown-time]")
    first = countdown.inner_text()
    assert first.startswith("00:2") or first.startswith("00:30"), first
    page.wait_for_timeout(1100)
    assert countdown.inner_text() != first  # it ticks
    assert "countdown-alarm" in (page.locator("#deadline .countdown").get_attribute("class")
                                 or "")
    assert page.locator("#urgent-clocks li[data-clock='county']").count() == 1
    assert "请立即稳控并报告进展" in page.locator("#supervision").inner_text()
    assert "上报" in page.locator("#timeline").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "case-page.png"), full_page=True)
    assert page_log.foreign_requests() == [] and page_log.errors == []
