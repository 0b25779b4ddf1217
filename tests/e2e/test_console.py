"""The centre console in a real headless Chromium: a township dispatcher's queue (overdue
first) with its map of clustered markers over our own boundaries (no tiles), a filter by
deadline state, a row leading to the case page, and the mediator workload board. No
JavaScript console errors, no request leaves the server. Screenshots go to test-artifacts/
to be looked at.

The live server reads committed data only and runs on the real clock: the cases are
reported through its API, their clocks moved in SQL, and everything deleted afterwards.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from tests.support.cases import village_point
from tests.support.live import TOKEN_NAME, reporter

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
OTHER_VILLAGE = "150521100202"  # beside 保南村, in 保康镇


def acting(page, base: str, username: str):
    """act(case, action, **fields) -> case, through the live API as `username`."""
    login = page.request.post(f"{base}/api/v1/session", data={
        "username": username, "password": "govgrid2026", "token_name": TOKEN_NAME})
    assert login.ok, login.text()
    headers = {"Authorization": f"Bearer {login.json()['token']}"}

    def act(case: dict, action: str, **fields) -> dict:
        response = page.request.post(f"{base}/api/v1/cases/{case['id']}/transitions",
                                     headers=headers,
                                     data={"action": action, "version": case["version"],
                                           **fields})
        assert response.ok, response.text()
        return response.json()

    return act, login.json()


def test_dispatcher_works_the_queue(app, page, page_log, live_server, login_as, demo_county,
                                    made_cases) -> None:
    from govgrid.extensions import db

    township = reporter(page, live_server, "baokang.dispatcher")
    here, beside = village_point(demo_county), village_point(demo_county, OTHER_VILLAGE)
    titles = ["宅基地边界纠纷", "相邻通行纠纷", "土地承包经营权纠纷", "劳务费拖欠纠纷",
              "家禽毁坏庄稼纠纷"]
    cases = [township(here if i < 4 else beside, 30, category_code="0201", title=title,
                      source="walk_in", address="保南村三组")
             for i, title in enumerate(titles)]
    made_cases.extend(c["id"] for c in cases)
    # Two of them are past their time to accept; one is due soon.
    with app.app_context(), db.engine.begin() as conn:
        for case, soon, due in ((cases[0], "-3 hours", "-1 hour"),
                                (cases[1], "-5 hours", "-2 hours"),
                                (cases[2], "-1 hour", "+2 hours")):
            conn.execute(text(f"UPDATE cases SET due_soon_at = now() + interval '{soon}', "
                              f"due_at = now() + interval '{due}' WHERE id = :i"),
                         {"i": case["id"]})
    # One is accepted and handed to 保康镇's mediator, for the workload board.
    act, me = acting(page, live_server, "baokang.dispatcher")
    mediator_id = page.request.get(f"{live_server}/api/v1/mediators",
                                   headers={"Authorization": f"Bearer {me['token']}"},
                                   params={"unit": "150521100000"}).json()
    mediator_id = next(m["user_id"] for m in mediator_id
                       if m["username"] == "baokang.mediator")
    act(act(cases[3], "accept"), "assign", mediator_id=mediator_id)

    # Maps jump instead of gliding (as for anyone who asks for less motion): a click never
    # lands on a marker still moving.
    page.emulate_media(reduced_motion="reduce")
    login_as(page, "baokang.dispatcher", next_path="/console")
    assert page.title().startswith("待办队列")  # Chinese first: the zh_CN browser gets Chinese
    page.wait_for_selector("#queue-map[data-map-ready='1']")
    rows = page.locator("#queue tbody tr[data-case-id]")
    assert rows.count() == 5
    # Overdue first (the one two hours late before the one an hour late), then the new one
    # due soon, then the rest.
    order = [rows.nth(i).get_attribute("data-case-id") for i in range(5)]
    assert order[:3] == [cases[1]["id"], cases[0]["id"], cases[2]["id"]]
    assert rows.nth(0).locator(".badge").inner_text() == "超期"
    assert page.locator("#queue .countdown[data-countdown-started]").count() == 5
    # The map: five points in two places, clustered; the cluster of 保南村 holds overdue
    # cases, so it is red.
    map_box = page.locator("#queue-map")
    assert map_box.get_attribute("data-points") == "5" == map_box.get_attribute("data-total")
    clusters = page.locator("#queue-map .marker-cluster")
    page.wait_for_function("document.querySelectorAll('#queue-map .marker-cluster').length > 0")
    assert page.locator("#queue-map .queue-cluster-overdue").count() >= 1
    assert "5" in page.locator("#map-summary").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-queue.png"), full_page=True)

    # A cluster opens into markers coloured by deadline state, each with a popup and a link.
    clusters.first.click()
    page.wait_for_selector("#queue-map .queue-pin-overdue")
    popup = page.locator(".leaflet-popup-content .queue-popup")
    page.locator("#queue-map .queue-pin-overdue").first.click()
    popup.wait_for()
    assert popup.locator("a").first.inner_text() in (titles[0], titles[1])

    # Filter by deadline state: only the overdue ones, the map too.
    page.select_option("select[name=deadline_state]", "overdue")
    page.click("#queue-filters button[type=submit]")
    page.wait_for_url("**/console?*deadline_state=overdue*")
    page.wait_for_selector("#queue-map[data-map-ready='1']")
    assert [rows.nth(i).get_attribute("data-case-id") for i in range(rows.count())] == [
        cases[1]["id"], cases[0]["id"]]
    assert page.locator("#queue-map").get_attribute("data-points") == "2"
    assert "deadline_state=overdue" in (page.locator("#export-xlsx").get_attribute("href") or "")

    # A row leads to the case page.
    rows.nth(0).locator("a.case-link").click()
    page.wait_for_url(f"**/cases/{cases[1]['id']}")
    assert titles[1] in page.locator("h1").inner_text()

    # The workload board: 保康镇's mediator holds one case being mediated.
    page.goto("/console/workload")
    board = page.locator("#workload tr[data-username='baokang.mediator']")
    assert board.locator("[data-field='mediating']").inner_text() == "1"
    assert board.locator("[data-field='active'] a").inner_text() == "1"
    page.screenshot(path=str(ARTIFACTS / "console-workload.png"), full_page=True)
    board.locator("[data-field='mediating'] a").click()
    page.wait_for_url("**/console?*handler=*")
    assert page.locator("#queue tbody tr[data-case-id]").count() == 1
    assert page.locator("#handler-filter").is_visible()
    assert page_log.foreign_requests() == [] and page_log.errors == []
