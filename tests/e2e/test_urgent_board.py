"""The county urgent-incident board (/urgent) in a real headless Chromium: live countdowns
that tick every second, orange in the alarm window, red with 已超时/迟报 once past due, and a
report recorded through the board's form. A screenshot goes to test-artifacts/ so a person
can check that it reads well in Chinese.

The live server reads committed data only (and runs on the real clock), so the cases are
reported through its API with occurrence times in the past, and deleted afterwards.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cases import village_point
from tests.support.live import reporter

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def countdown_of(page, case_id: str, clock: str):
    return page.locator(f"#urgent-{case_id} li[data-clock='{clock}'] .countdown")


def test_board_counts_down_live_and_records_a_report(page, page_log, live_server, login_as,
                                                     demo_county, made_cases) -> None:
    point = village_point(demo_county)
    grid = reporter(page, live_server, "baonan.grid")
    township = reporter(page, live_server, "baokang.dispatcher")
    # Marked urgent: held by the county, the platform report met the county clock.
    fresh = grid(point, 10, category_code="2302", severity="serious", is_urgent=True,
                 title="保南村务工人员聚集讨要工资", address="保南村村委会门前")
    # Held by the township, not yet reported to the county: 10 minutes left of the hour.
    alarm = township(point, 50, category_code="2301", severity="serious",
                     title="征地补偿群众准备集体上访", address="保南村三组")
    # Held by the village, two hours on and never reported: 迟报.
    late = grid(point, 120, category_code="1606", severity="serious",
                title="两户土地纠纷持续激化", address="保南村五组")
    made_cases.extend(c["id"] for c in (fresh, alarm, late))

    login_as(page, "county.staff", next_path="/urgent")
    page.wait_for_selector(".countdown[data-countdown-started]")
    assert page.title().startswith("紧急事件")
    assert "重大紧急事件报告时限" in page.locator("h1").inner_text()

    upper = countdown_of(page, fresh["id"], "upper")
    first = upper.locator("[data-countdown-time]").inner_text()
    assert first.startswith("02:4") or first.startswith("02:5"), first  # about 2 h 50 min
    page.wait_for_timeout(1100)
    assert upper.locator("[data-countdown-time]").inner_text() != first  # it ticks
    assert upper.get_attribute("data-state") == "running"
    assert "剩余" in upper.inner_text()
    met = page.locator(f"#urgent-{fresh['id']} li[data-clock='county']")
    assert "按时报告" in met.inner_text()

    orange = countdown_of(page, alarm["id"], "county")
    assert orange.get_attribute("data-state") == "alarm"
    assert "countdown-alarm" in (orange.get_attribute("class") or "")
    red = countdown_of(page, late["id"], "county")
    assert red.get_attribute("data-state") == "late"
    assert "countdown-late" in (red.get_attribute("class") or "")
    assert "已超时/迟报" in red.inner_text()
    # Most pressing first: the late one, then the one in its alarm window.
    order = page.locator("section.urgent-case").evaluate_all(
        "sections => sections.map(s => s.dataset.caseId)")
    assert order.index(late["id"]) < order.index(alarm["id"]) < order.index(fresh["id"])

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "urgent-board.png"), full_page=True)

    # The township phoned the county five minutes ago; county staff enter it now.
    section = page.locator(f"#urgent-{alarm['id']}")
    section.locator("summary").click()
    section.locator("select[name=clock]").select_option("county")
    section.locator("textarea[name=content]").fill("保康镇综治中心电话报告，已派员到场劝导。")
    section.locator("button[type=submit]").click()
    page.wait_for_selector(".notice:has-text('报告已登记')")
    county = page.locator(f"#urgent-{alarm['id']} li[data-clock='county']")
    assert county.get_attribute("data-status") == "met"
    assert "保康镇综治中心电话报告" in page.locator(f"#urgent-{alarm['id']} table").inner_text()
    page.screenshot(path=str(ARTIFACTS / "urgent-board-reported.png"), full_page=True)
    assert page_log.foreign_requests() == [] and page_log.errors == []
