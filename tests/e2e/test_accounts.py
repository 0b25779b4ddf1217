"""Logging in and out, and the admin's user pages, in a real headless Chromium.

Unlike the integration tests these run against a live server, outside any rolled-back
transaction: what they write stays, so the user created here is deleted afterwards.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
NEW_USERNAME = "e2e.mediator"


@pytest.fixture(autouse=True)
def fresh_limits(app):
    """The wrong-password test counts against the login throttle, which lives in Redis and
    would outlast this run: start and end at zero so reruns are not locked out."""
    from govgrid.extensions import redis_client

    with app.app_context():
        redis_client.connection.flushdb()
    yield
    with app.app_context():
        redis_client.connection.flushdb()


@pytest.fixture
def created_user(app):
    """The username the admin test creates; the user is removed again afterwards so the
    suites that count demo users (and reruns of this one) start from the demo data."""
    yield NEW_USERNAME
    from sqlalchemy import delete, select

    from govgrid.auth.models import User, UserGridCell
    from govgrid.extensions import db

    with app.app_context():
        ids = select(User.id).where(User.username == NEW_USERNAME).scalar_subquery()
        db.session.execute(delete(UserGridCell).where(UserGridCell.user_id.in_(ids)))
        db.session.execute(delete(User).where(User.username == NEW_USERNAME))
        db.session.commit()


def path_of(page) -> str:
    return urlsplit(page.url).path


def test_wrong_password_stays_on_the_login_page(page, page_log) -> None:
    page.goto("/login")
    page.fill("input[name=username]", "county.staff")
    page.fill("input[name=password]", "not-the-password-1")
    page.click("button[type=submit]")
    error = page.wait_for_selector(".form-error")
    assert "用户名或密码错误" in error.inner_text()
    assert path_of(page) == "/login"
    # What was typed is kept, the password is not.
    assert page.input_value("input[name=username]") == "county.staff"
    assert page.input_value("input[name=password]") == ""
    assert page_log.foreign_requests() == []
    # The refused login answers 401 on purpose (only 401s count against the throttle), and
    # Chromium logs any 4xx document as "Failed to load resource"; nothing else may appear.
    assert [e for e in page_log.errors if "status of 401" not in e] == []


def test_grid_worker_logs_in_to_the_map_and_out_again(page, page_log, login_as) -> None:
    login_as(page, "baonan.grid")
    # The map shows the grid worker's own village and cells, nothing above or beside it.
    page.wait_for_selector("body[data-map-ready='1']")
    assert path_of(page) == "/"
    assert page.locator(".panel-county h1").inner_text() == "保南村"
    assert page.evaluate("document.body.dataset.townships") == "1"
    menu = page.locator(".topbar .user-menu")
    assert menu.locator(".user-name").inner_text() == "保南村网格员 郑红"
    logout = menu.locator("button[type=submit]")
    assert logout.is_visible() and logout.inner_text() == "退出登录"
    # Only admins are offered the user pages.
    assert menu.locator("a[href='/admin/users']").count() == 0

    logout.click()
    page.wait_for_url("**/login")
    assert page.locator(".user-menu").count() == 0
    page.goto("/")
    assert path_of(page) == "/login"  # the session is gone: back to the login form
    assert page_log.foreign_requests() == []
    assert page_log.errors == []


def test_admin_creates_a_user(page, page_log, login_as, created_user, browser,
                              live_server) -> None:
    login_as(page, "admin")
    page.click(".user-menu a:has-text('用户管理')")
    page.wait_for_url("**/admin/users")
    assert page.locator("h1").inner_text() == "用户管理"
    assert page.locator("#users tbody tr").count() >= 11
    assert "网格员" in page.locator("tr[data-username='baonan.grid']").inner_text()

    page.click("a[href='/admin/users/new']")
    page.wait_for_url("**/admin/users/new")
    # Department and grid cells only show for the roles that use them.
    department, cells = page.locator("select[name=department]"), page.locator("textarea")
    assert department.is_hidden() and cells.is_hidden()
    page.select_option("select[name=role]", "department_liaison")
    assert department.is_visible() and cells.is_hidden()
    page.select_option("select[name=role]", "grid_worker")
    assert department.is_hidden() and cells.is_visible()
    page.select_option("select[name=role]", "mediator")
    assert department.is_hidden() and cells.is_hidden()

    # The unit field suggests the county's townships and villages by name and code.
    assert page.locator("#unit-options option[value='150521100000']").get_attribute(
        "label") == "保康镇"
    assert page.locator("#unit-options option").count() > 500
    page.fill("input[name=username]", created_user)
    page.fill("input[name=display_name]", "保康镇调解员 测试")
    page.fill("input[name=unit_code]", "150521100000")
    page.fill("input[name=phone]", "13800000000")
    page.click(".user-form button[type=submit]")
    shown = page.wait_for_selector("[data-temporary-password]")
    temporary = shown.inner_text().strip()
    assert len(temporary) == 12
    assert "保康镇调解员 测试" in page.locator("main").inner_text()

    page.goto("/admin/users")
    row = page.locator(f"tr[data-username='{created_user}']")
    assert "调解员" in row.inner_text() and "保康镇" in row.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-users.png"), full_page=True)
    # On a phone each user becomes a small labelled card.
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "admin-users-phone.png"))

    # The new user logs in with the temporary password and must choose their own first.
    context = browser.new_context(locale="zh-CN", base_url=live_server)
    try:
        newcomer = context.new_page()
        newcomer.goto("/login")
        newcomer.fill("input[name=username]", created_user)
        newcomer.fill("input[name=password]", temporary)
        newcomer.click("button[type=submit]")
        newcomer.wait_for_url("**/account/password**")
        assert "管理员" in newcomer.locator(".form-note").first.inner_text()
    finally:
        context.close()

    assert page_log.foreign_requests() == []
    assert page_log.errors == []
