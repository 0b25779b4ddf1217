"""The inbox page /notifications and the header's unread badge, through the real login form
and real forms (CSRF token included), in Chinese."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from govgrid.demo.users import DEMO_PASSWORD
from govgrid.notifications.models import Notification
from tests.support.cases import report, village_point

CHINA = dt.timezone(dt.timedelta(hours=8))


def csrf_token(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def browser_for(app, db_session):
    """browser_for("baonan.staff") -> a test client logged in through the login form."""

    def make(username: str):
        client = app.test_client()
        response = client.post("/login", data={
            "username": username, "password": DEMO_PASSWORD,
            "csrf_token": csrf_token(client, "/login")})
        assert response.status_code == 302
        return client

    return make


def page_html(client, path: str = "/notifications") -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def items(html: str) -> list[str]:
    """The notification ids listed, in order."""
    return re.findall(r'data-notification-id="(\d+)"', html)


def badge(html: str) -> int:
    return int(re.search(r"data-unread-count>(\d+)<", html).group(1))


def read_at(db_session, notification_id: int) -> dt.datetime | None:
    return db_session.execute(select(Notification.read_at)
                              .where(Notification.id == notification_id)).scalar_one()


def test_inbox_lists_my_notifications_newest_first_in_chinese(browser_for, notify):
    older = notify("baonan.staff", kind="new_case", title="新上报：邻里纠纷", body="保南村",
                   at=dt.datetime(2026, 3, 1, 1, 30, tzinfo=dt.UTC))
    newer = notify("baonan.staff", kind="supervision", title="督办：请于三日内办结",
                   at=dt.datetime(2026, 3, 2, 16, 5, tzinfo=dt.UTC), read=True)
    urgent = notify("baonan.staff", kind="urgent_alarm", title="紧急事件将超时",
                    at=dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC))
    theirs = notify("baokang.police", kind="linkage", title="派出所的联动通知")
    html = page_html(browser_for("baonan.staff"))

    listed = items(html)
    assert listed.index(str(urgent)) < listed.index(str(newer)) < listed.index(str(older))
    assert str(theirs) not in listed and "派出所的联动通知" not in html
    for label in ("新上报", "督办", "紧急事件报告时限预警", "标为已读", "全部标为已读"):
        assert label in html
    assert "<h1>通知</h1>" in html
    # Times in China Standard Time: 16:05 UTC on 2 March is 00:05 on 3 March.
    assert "2026-03-03 00:05" in html and "2026-03-01 09:30" in html
    # Read ones have no "mark read" button; unread ones do.
    assert f'/notifications/{newer}/read"' not in html
    assert f'/notifications/{urgent}/read"' in html
    # Without a case there is no case link.
    assert "/cases/" not in entry(html, older)


def entry(html: str, notification_id: int) -> str:
    """The HTML of one listed notification."""
    return html.split(f'data-notification-id="{notification_id}"')[1].split("</li>")[0]


def test_a_notification_about_a_case_links_to_it(browser_for, notify, api_client_for,
                                                 demo_county):
    case_id = report(api_client_for("baonan.grid"), village_point(demo_county))["id"]
    mine = notify("baonan.staff", kind="due_soon", title="将到期", case_id=case_id)
    html = page_html(browser_for("baonan.staff"))
    shown = entry(html, mine)
    assert f'href="/cases/{case_id}"' in shown and "查看案件" in shown
    assert "将到期提醒" in shown


def test_unread_filter_and_english(browser_for, notify):
    read = notify("baonan.staff", kind="urge", title="已读的催办", read=True)
    unread = notify("baonan.staff", kind="urge", title="未读的催办")
    client = browser_for("baonan.staff")
    listed = items(page_html(client, "/notifications?show=unread"))
    assert str(unread) in listed and str(read) not in listed
    english = page_html(client, "/notifications?lang=en")
    assert "Urging notice" in english and "Mark as read" in english


def test_mark_one_read_and_all_read(browser_for, notify, db_session):
    first = notify("baonan.staff", kind="new_case", title="一")
    second = notify("baonan.staff", kind="linkage", title="二")
    theirs = notify("baokang.police", kind="linkage", title="他人的")
    client = browser_for("baonan.staff")
    before = badge(page_html(client))
    token = csrf_token(client, "/notifications")

    response = client.post(f"/notifications/{first}/read",
                           data={"csrf_token": token, "show": "unread", "page": "1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/notifications?show=unread"
    assert read_at(db_session, first) is not None and read_at(db_session, second) is None
    html = page_html(client)
    assert badge(html) == before - 1

    # Without the CSRF token: refused, nothing marked.
    assert client.post(f"/notifications/{second}/read").status_code == 400
    assert read_at(db_session, second) is None
    # Someone else's notification is simply not found.
    response = client.post(f"/notifications/{theirs}/read", data={"csrf_token": token})
    assert response.status_code == 404
    assert read_at(db_session, theirs) is None

    response = client.post("/notifications/read-all", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/notifications"
    html = page_html(client)
    assert badge(html) == 0 and 'data-unread hidden' in html
    assert re.search(r"已将 \d+ 条通知标为已读。", html)
    assert read_at(db_session, second) is not None and read_at(db_session, theirs) is None


def test_header_badge_on_other_pages(browser_for, notify, anon_client):
    client = browser_for("baonan.staff")
    before = badge(page_html(client, "/account/password"))
    notify("baonan.staff")
    html = page_html(client, "/account/password")
    assert badge(html) == before + 1
    assert 'href="/notifications"' in html and "js/notify-badge.js" in html
    assert "data-unread-count" not in anon_client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize("query", [
    "page=0", "page=-1", "page=abc", "page=1.5", "page=1e3", "page=%C2%B2",
    "page=99999999999999999999999", "page=1000001", "show=everything", "show=",
])
def test_bad_page_numbers_and_filters_are_4xx(browser_for, query):
    response = browser_for("baonan.staff").get(f"/notifications?{query}")
    if query == "show=":
        assert response.status_code == 200  # an empty filter is the default one
    else:
        assert response.status_code == 400, query
        assert "请求格式有误" in response.get_data(as_text=True)


def test_a_page_past_the_end_goes_to_the_last_page(browser_for):
    response = browser_for("baonan.staff").get("/notifications?page=1000000")
    assert response.status_code == 302
    assert response.headers["Location"] == "/notifications"


def test_bad_form_fields_on_mark_read_are_4xx(browser_for, notify):
    mine = notify("baonan.staff")
    client = browser_for("baonan.staff")
    token = csrf_token(client, "/notifications")
    response = client.post(f"/notifications/{mine}/read",
                           data={"csrf_token": token, "page": "99999999999999999999"})
    assert response.status_code == 400


def test_the_inbox_needs_a_login(anon_client):
    response = anon_client.get("/notifications")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_many_notifications_are_paginated(browser_for, notify):
    start = dt.datetime(2026, 1, 1, tzinfo=CHINA)
    made = [notify("baonan.staff", title=f"第{i}条", at=start + dt.timedelta(minutes=i))
            for i in range(25)]
    client = browser_for("baonan.staff")
    first = page_html(client)
    assert items(first)[0] == str(made[-1]) and len(items(first)) == 20
    assert "第 1 / 2 页" in first and 'href="/notifications?page=2"' in first
    second = page_html(client, "/notifications?page=2")
    assert items(second)[-1] == str(made[0]) and len(items(second)) == 5
