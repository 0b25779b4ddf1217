"""The notification inbox and the header's unread badge in a real headless Chromium.

The live server reads committed data only: a case is reported through its API and its
outbox messages handled in this process (as a worker would), which fills the village
station's inbox; a few more notifications are written directly. Everything is deleted
afterwards. Playwright's fake clock stands in for the badge's one-minute refresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, func, select, text

from govgrid.auth.models import User
from govgrid.auth.scope import unscoped
from govgrid.extensions import db
from govgrid.notifications.models import Notification
from govgrid.outbox.handlers import handle
from govgrid.outbox.models import OutboxMessage
from tests.support.cases import delete_cases

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TOKEN_NAME = "e2e-notifications"
STAFF = "baonan.staff"  # 保南村综治工作站: learns of what the village's grid worker reports


class Inbox:
    """Committed notifications for STAFF, and the cases behind them; removed afterwards."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.case_ids: list[str] = []
        self.extra_ids: list[int] = []

    def user(self) -> User:
        return db.session.execute(select(User).where(User.username == STAFF)
                                  .execution_options(**unscoped())).scalar_one()

    def add(self, kind: str, title: str, body: str = "", minutes_ago: int = 0) -> int:
        with self.app.app_context():
            user = self.user()
            made = Notification(county_id=user.county_id, user_id=user.id, kind=kind,
                                title=title, body=body,
                                created_at=dt.datetime.now(dt.UTC)
                                - dt.timedelta(minutes=minutes_ago))
            db.session.add(made)
            db.session.commit()
            self.extra_ids.append(made.id)
            return made.id

    def handle_outbox_of(self, case_id: str) -> int:
        with self.app.app_context():
            ids = db.session.execute(
                select(OutboxMessage.id)
                .where(OutboxMessage.payload["case_id"].astext == case_id)
            ).scalars().all()
            return sum(handle(message_id) for message_id in ids)

    def unread(self) -> int:
        with self.app.app_context():
            user = self.user()
            return db.session.execute(
                select(func.count()).select_from(Notification)
                .where(Notification.user_id == user.id, Notification.read_at.is_(None))
                .execution_options(**unscoped())).scalar_one()

    def clean_up(self) -> None:
        with self.app.app_context(), db.engine.begin() as conn:
            delete_cases(conn, self.case_ids)
            conn.execute(delete(Notification).where(Notification.id.in_(self.extra_ids)))
            conn.execute(text("DELETE FROM api_tokens WHERE name = :n"), {"n": TOKEN_NAME})


@pytest.fixture
def inbox(app) -> Iterator[Inbox]:
    made = Inbox(app)
    try:
        yield made
    finally:
        made.clean_up()


def report_case(page: Any, live_server: str, demo_county: Any, inbox: Inbox) -> str:
    cell = next(c for c in demo_county.cells if c.village_code == "150521100201")
    point = cell.boundary.representative_point()
    login = page.request.post(f"{live_server}/api/v1/session", data={
        "username": "baonan.grid", "password": "govgrid2026", "token_name": TOKEN_NAME})
    assert login.ok, login.text()
    reported = page.request.post(f"{live_server}/api/v1/cases", headers={
        "Authorization": f"Bearer {login.json()['token']}"}, data={
        "category_code": "0201", "title": "宅基地边界纠纷", "source": "grid_worker",
        "lon": point.x, "lat": point.y, "address": "保南村三组"})
    assert reported.status == 201, reported.text()
    case = reported.json()
    inbox.case_ids.append(case["id"])
    assert inbox.handle_outbox_of(case["id"]) >= 1
    return case["id"]


def badge_text(page: Any) -> str:
    return page.locator(".topbar a.bell [data-unread-count]").inner_text()


def test_badge_inbox_and_mark_read(page, page_log, login_as, live_server, demo_county,
                                   inbox) -> None:
    inbox.add("supervision", "督办：宅基地纠纷请于三日内办结", "县综治中心督办", minutes_ago=90)
    inbox.add("urgent_alarm", "紧急事件报告时限将至", "距县级报告时限还剩 20 分钟",
              minutes_ago=30)
    case_id = report_case(page, live_server, demo_county, inbox)
    expected = inbox.unread()
    assert expected >= 3

    page.clock.install()  # the badge's refresh timer runs when the test says so
    login_as(page, STAFF)
    bell = page.locator(".topbar a.bell")
    assert bell.inner_text().startswith("通知")
    assert bell.locator("[data-unread]").is_visible()
    assert badge_text(page) == str(expected)

    bell.click()
    page.wait_for_url("**/notifications")
    assert page.locator("main h1").inner_text() == "通知"
    items = page.locator("#notifications li.notification")
    assert items.count() == min(expected, 20)
    # Newest first: the new report, then the urgent warning, then the supervision order.
    kinds = [items.nth(i).get_attribute("data-kind") for i in range(3)]
    assert kinds[1:] == ["urgent_alarm", "supervision"]
    newest = items.first
    assert newest.locator(".kind").inner_text() == "新上报"
    assert newest.locator(f"a[href='/cases/{case_id}']").inner_text() == "查看案件"
    main = page.locator("main").inner_text()
    for label in ("督办", "紧急事件报告时限预警", "全部标为已读", "未读"):
        assert label in main

    # Mark the urgent warning read: it stays listed, no longer unread; the badge drops.
    urgent = page.locator("li.notification[data-kind='urgent_alarm']")
    urgent.locator("button[data-mark-read]").click()
    page.wait_for_load_state()
    expect(page.locator(".topbar [data-unread-count]")).to_have_text(str(expected - 1))
    assert "unread" not in (urgent.get_attribute("class") or "")
    assert urgent.locator("button[data-mark-read]").count() == 0

    # Something new arrives; within a minute the badge shows it without a reload.
    inbox.add("urge", "催办：请尽快受理", minutes_ago=0)
    page.clock.fast_forward(61_000)
    expect(page.locator(".topbar [data-unread-count]")).to_have_text(str(expected))

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "notifications-inbox.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "notifications-inbox-phone.png"))

    # The unread filter, then "mark all read": the badge disappears.
    page.click("nav.tabs a:has-text('未读')")
    page.wait_for_url("**/notifications?show=unread")
    assert page.locator("li.notification.unread").count() == min(expected, 20)
    page.click("button[data-mark-all]")
    page.wait_for_url("**/notifications?show=unread")
    assert page.locator(".topbar [data-unread]").is_hidden()
    assert "没有未读通知。" in page.locator("#notifications").inner_text()
    assert page_log.foreign_requests() == []
    assert page_log.errors == []


def test_badge_refresh_stops_quietly_on_errors(page, page_log, login_as, inbox) -> None:
    inbox.add("due_soon", "将到期：请在明日前办结")
    hits: list[str] = []

    def refuse(route: Any) -> None:
        hits.append(route.request.url)
        route.fulfill(status=503, json={"code": 503, "message": "维护中"})

    page.clock.install()
    login_as(page, STAFF, next_path="/notifications")
    shown = badge_text(page)
    page.route("**/api/v1/notifications/unread-count", refuse)
    page.clock.fast_forward(61_000)
    page.wait_for_timeout(200)
    page.clock.fast_forward(5 * 61_000)
    page.wait_for_timeout(200)
    assert len(hits) == 1  # one failure, then no more asking
    assert badge_text(page) == shown  # the last count stays
    # Chromium reports any failed response as "Failed to load resource"; nothing else.
    assert [e for e in page_log.errors if "status of 503" not in e] == []
