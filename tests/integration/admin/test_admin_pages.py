"""The admin pages for the users of a county, driven through the real login form and the
real forms (CSRF token included), in Chinese as the county's admins see them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from govgrid.auth.models import User
from govgrid.auth.roles import Department, Role
from govgrid.auth.scope import unscoped
from govgrid.demo.mediators import DEMO_MEDIATORS
from govgrid.demo.users import BAOKANG, BAONAN, DEMO_PASSWORD, DEMO_USERS
from govgrid.geo.models import GridCell, Unit
from govgrid.timestamps import local

CONFLICT = "该对象已被他人修改，请刷新后重试。"
WRONG_LOGIN = "用户名或密码错误。"
FORBIDDEN = "您无权执行此操作。"
CSRF_REFUSED = "页面已过期或请求并非来自本站"


@pytest.fixture(autouse=True)
def fresh_limits(app):
    """Failed logins here (a deactivated user, an old password) count in Redis: start each
    test at zero, so the throttle never answers for them."""
    from govgrid.extensions import redis_client

    with app.app_context():
        redis_client.connection.flushdb()
    yield
    with app.app_context():
        redis_client.connection.flushdb()


def csrf_token(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def log_in(client, username: str, password: str = DEMO_PASSWORD):
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_token(client, "/login")})


@pytest.fixture
def admin(app, anon_client):
    """A browser-like client logged in as the demo county's admin."""
    assert log_in(anon_client, "admin").status_code == 302
    return anon_client


def user_row(db_session, username: str) -> User | None:
    return db_session.execute(
        select(User).where(User.username == username).execution_options(**unscoped())
    ).scalar_one_or_none()


def user_count(db_session) -> int:
    return db_session.execute(
        select(func.count()).select_from(User).execution_options(**unscoped())).scalar_one()


def temporary_password(html: str) -> str:
    return re.search(r"data-temporary-password>([^<]+)<", html).group(1).strip()


def form_for(client, path: str) -> dict[str, str]:
    """The hidden fields (csrf_token, version) of the form on `path`, as a browser sends."""
    html = client.get(path).get_data(as_text=True)
    form = html[html.index('class="user-form"'):]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    return {k: fields[k] for k in ("csrf_token", "version") if k in fields}


def edit_data(user: User, **changes: str) -> dict[str, str]:
    """The edit form's fields as they show `user`, with `changes` typed over them."""
    data = {"display_name": user.display_name, "role": user.role.value,
            "unit_code": user.unit.code,
            "department": user.department.value if user.department else "",
            "phone": user.phone or "", "cells": "\n".join(c.code for c in user.cells),
            "is_active": "1"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# ---- the list ----

def test_list_shows_the_county_users_with_chinese_labels(admin, db_session):
    response = admin.get("/admin/users")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>用户管理</h1>" in html
    for username in ("admin", "county.staff", "baokang.police", "baonan.grid",
                     "menda.dispatcher"):
        assert f'data-username="{username}"' in html
    for label in ("网格员", "调解员", "部门联络员", "系统管理员", "派出所", "人民法庭", "保康镇"):
        assert label in html
    # The admin's own last login (just now) is shown in China Standard Time.
    me = user_row(db_session, "admin")
    assert local(me.last_login_at).strftime("%Y-%m-%d %H:%M") in html
    assert "/admin/users/new" in html and f"/admin/users/{me.id}" in html


def test_list_filters_by_role_unit_and_state(admin):
    def listed(query: str) -> set[str]:
        html = admin.get(f"/admin/users?{query}").get_data(as_text=True)
        return set(re.findall(r'data-username="([^"]+)"', html))

    assert listed("role=grid_worker") == {"baonan.grid"}
    # A township's users include its villages' users; the county's and other townships' not.
    assert listed(f"unit={BAOKANG}") == {"baokang.dispatcher", "baokang.mediator",
                                        "baokang.police", "baonan.staff", "baonan.grid"}
    assert listed(f"unit={BAONAN}&role=village_staff") == {"baonan.staff"}
    assert listed("state=inactive") == set()
    demo = {u.username for u in DEMO_USERS} | {m.username for m in DEMO_MEDIATORS}
    assert listed("state=active") == demo
    # Nonsense filters are ignored or match nothing; never an error.
    assert admin.get("/admin/users?role=chief&page=abc").status_code == 200
    assert listed("unit=999") == set()


# ---- creating ----

def test_create_a_mediator_shows_the_temporary_password_once(admin, db_session):
    token = form_for(admin, "/admin/users/new")["csrf_token"]
    response = admin.post("/admin/users/new", data={
        "csrf_token": token, "username": "Baokang.Mediator2", "display_name": "保康镇调解员 张伟",
        "role": "mediator", "unit_code": BAOKANG, "phone": "0475-1234567",
        # Sent by the browser although hidden for a mediator: ignored, not an error.
        "department": "police", "cells": "", "password": ""})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    temporary = temporary_password(html)
    assert len(temporary) == 12 and "保康镇调解员 张伟" in html

    user = user_row(db_session, "baokang.mediator2")  # usernames are stored lower-case
    assert user is not None and user.role is Role.mediator and user.department is None
    assert user.unit.code == BAOKANG and user.phone == "0475-1234567"
    assert user.must_change_password and user.is_active
    # The new user appears in the list.
    assert 'data-username="baokang.mediator2"' in admin.get("/admin/users").get_data(
        as_text=True)


def test_create_a_grid_worker_with_pasted_cell_codes(admin, db_session):
    # Most demo villages are one grid cell; take the first with several.
    village, cells = db_session.execute(
        select(Unit.code, func.array_agg(GridCell.code))
        .join(GridCell, GridCell.village_id == Unit.id).group_by(Unit.code)
        .having(func.count() > 1).order_by(Unit.code).limit(1).execution_options(**unscoped())
    ).one()
    codes = sorted(cells)[:2]
    token = form_for(admin, "/admin/users/new")["csrf_token"]
    response = admin.post("/admin/users/new", data={
        "csrf_token": token, "username": "village.grid2", "display_name": "网格员 二号",
        "role": "grid_worker", "unit_code": village, "cells": f" {codes[0]}，\n{codes[1]} ",
        "password": "grid-2026-pass"})
    assert response.status_code == 201
    # A password was given: none is generated and none shown.
    assert "data-temporary-password" not in response.get_data(as_text=True)
    user = user_row(db_session, "village.grid2")
    assert [c.code for c in user.cells] == codes and not user.must_change_password


@pytest.mark.parametrize("changes,status,message", [
    ({"unit_code": "150521999999"}, 422, "没有代码为 150521999999 的单位。"),
    ({"unit_code": "1505"}, 422, "单位代码为 12 位数字。"),
    ({"role": "grid_worker", "unit_code": BAONAN, "cells": ""}, 422, "网格员至少要负责一个网格。"),
    ({"role": "grid_worker", "unit_code": BAONAN, "cells": "123"}, 422, "网格代码为 15 位数字。"),
    ({"username": "baonan.grid"}, 409, "用户名 baonan.grid 已被占用。"),
    ({"role": "chief"}, 422, "不是允许的取值。"),
    ({"role": ""}, 422, "此项为必填。"),
    ({"username": "x"}, 422, "用户名为 3 到 64 个字母"),
    ({"role": "department_liaison", "department": "army"}, 422, "不是允许的取值。"),
    ({"password": "short"}, 422, "至少需要 8 个字符"),
])
def test_refused_creations_explain_in_chinese_and_write_nothing(
        admin, db_session, changes, status, message):
    before = user_count(db_session)
    data = {"csrf_token": form_for(admin, "/admin/users/new")["csrf_token"],
            "username": "new.person", "display_name": "新用户 测试", "role": "mediator",
            "unit_code": BAOKANG, "phone": "13800000000", "cells": "", "password": ""}
    data.update(changes)
    response = admin.post("/admin/users/new", data=data)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert message in html and 'role="alert"' in html
    # The form comes back as typed (but never with the password).
    assert 'value="新用户 测试"' in html and 'value="13800000000"' in html
    assert 'name="password" type="password" autocomplete="new-password">' in html
    assert user_count(db_session) == before


# ---- editing ----

def test_edit_saves_only_what_changed(admin, db_session):
    user = user_row(db_session, "baokang.mediator")
    epoch = user.auth_epoch
    path = f"/admin/users/{user.id}"
    response = admin.post(path, data=form_for(admin, path) | edit_data(
        user, display_name="保康镇调解员 孙丽（组长）", phone="13900000001"))
    assert response.status_code == 302 and response.headers["Location"] == path
    db_session.expire_all()
    user = user_row(db_session, "baokang.mediator")
    assert user.display_name == "保康镇调解员 孙丽（组长）" and user.phone == "13900000001"
    # A phone number is not a new power: the user's sessions go on.
    assert user.auth_epoch == epoch and user.version == 2
    assert "孙丽（组长）" in admin.get(path).get_data(as_text=True)


def test_edit_role_to_liaison_and_back(admin, db_session):
    user = user_row(db_session, "baokang.mediator")
    path = f"/admin/users/{user.id}"
    response = admin.post(path, data=form_for(admin, path) | edit_data(
        user, role="department_liaison", department="justice"))
    assert response.status_code == 302
    db_session.expire_all()
    user = user_row(db_session, "baokang.mediator")
    assert user.role is Role.department_liaison and user.department is Department.justice
    # Back to mediator: the department, still selected in the hidden field, is dropped.
    response = admin.post(path, data=form_for(admin, path) | edit_data(user, role="mediator"))
    assert response.status_code == 302
    db_session.expire_all()
    user = user_row(db_session, "baokang.mediator")
    assert user.role is Role.mediator and user.department is None


def test_edit_with_a_stale_version_is_a_409_showing_the_new_values(admin, db_session):
    user = user_row(db_session, "baokang.dispatcher")
    path = f"/admin/users/{user.id}"
    stale = form_for(admin, path)
    # Another admin saves first...
    assert admin.post(path, data=stale | edit_data(user, phone="13700000007")).status_code == 302
    # ...then this one submits the form read before that.
    response = admin.post(path, data=stale | edit_data(user, display_name="改名 刘洋"))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert CONFLICT in html
    # The page shows what is stored now, with its version, so a resubmit is deliberate.
    assert 'value="13700000007"' in html and 'name="version" value="2"' in html
    assert 'value="改名 刘洋"' not in html
    db_session.expire_all()
    assert user_row(db_session, "baokang.dispatcher").display_name == "保康镇综治中心 刘洋"


@pytest.mark.parametrize("changes,message", [
    ({"role": "chief"}, "不是允许的取值。"),
    ({"version": "abc"}, "不是有效的整数。"),
    ({"cells": ""}, "网格员至少要负责一个网格。"),
    ({"cells": "150521100201001, 150521104201001"}, "以下网格不在保南村内"),
])
def test_bad_edits_are_explained_not_500(admin, db_session, changes, message):
    user = user_row(db_session, "baonan.grid")
    path = f"/admin/users/{user.id}"
    data = form_for(admin, path) | edit_data(user)
    data.update(changes)
    response = admin.post(path, data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db_session.expire_all()
    assert user_row(db_session, "baonan.grid").version == 1


def test_deactivated_user_can_no_longer_log_in(admin, app, db_session):
    user = user_row(db_session, "baonan.staff")
    their_browser = app.test_client()
    assert log_in(their_browser, "baonan.staff").status_code == 302

    path = f"/admin/users/{user.id}"
    fields = form_for(admin, path)
    response = admin.post(f"{path}/active", data={
        "csrf_token": fields["csrf_token"], "version": fields["version"], "active": "0"})
    assert response.status_code == 302
    page = admin.get(path).get_data(as_text=True)
    assert "name=\"active\" value=\"1\"" in page  # the button now offers to activate

    db_session.expire_all()
    assert not user_row(db_session, "baonan.staff").is_active
    assert their_browser.get("/").status_code == 302  # the open session ended
    refused = log_in(app.test_client(), "baonan.staff")
    assert refused.status_code == 401 and WRONG_LOGIN in refused.get_data(as_text=True)
    listed = admin.get("/admin/users?state=inactive").get_data(as_text=True)
    assert re.findall(r'data-username="([^"]+)"', listed) == ["baonan.staff"]

    # And back.
    response = admin.post(f"{path}/active", data={
        "csrf_token": fields["csrf_token"], "version": str(int(fields["version"]) + 1),
        "active": "1"})
    assert response.status_code == 302
    assert log_in(app.test_client(), "baonan.staff").status_code == 302


def test_reset_password_logs_in_with_the_temporary_one(admin, app, db_session):
    user = user_row(db_session, "baokang.police")
    token = form_for(admin, f"/admin/users/{user.id}")["csrf_token"]
    response = admin.post(f"/admin/users/{user.id}/password-reset", data={"csrf_token": token})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    temporary = temporary_password(response.get_data(as_text=True))

    assert log_in(app.test_client(), "baokang.police").status_code == 401  # old one is gone
    their_browser = app.test_client()
    response = log_in(their_browser, "baokang.police", temporary)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/password")
    page = their_browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "管理员" in page  # "your password was set by an administrator..."


# ---- who may ----

def test_non_admins_get_403_everywhere(app, anon_client, db_session):
    assert log_in(anon_client, "county.staff").status_code == 302
    target = user_row(db_session, "baonan.grid")
    token = csrf_token(anon_client, "/")
    for path in ("/admin/users", "/admin/users/new", f"/admin/users/{target.id}"):
        response = anon_client.get(path)
        assert response.status_code == 403, path
        assert FORBIDDEN in response.get_data(as_text=True)
    for path in ("/admin/users/new", f"/admin/users/{target.id}",
                 f"/admin/users/{target.id}/active", f"/admin/users/{target.id}/password-reset"):
        response = anon_client.post(path, data={
            "csrf_token": token, "username": "sneaky", "display_name": "x", "role": "admin",
            "unit_code": "150521000000", "version": "1", "active": "0"})
        assert response.status_code == 403, path
    db_session.expire_all()
    assert user_row(db_session, "sneaky") is None
    assert user_row(db_session, "baonan.grid").version == 1
    # The header offers the page to admins only.
    assert "/admin/users" not in anon_client.get("/").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_log_in(anon_client):
    response = anon_client.get("/admin/users")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_posts_without_csrf_token_are_refused(admin, db_session):
    before = user_count(db_session)
    response = admin.post("/admin/users/new", data={
        "username": "forged", "display_name": "伪造", "role": "admin",
        "unit_code": "150521000000"})
    assert response.status_code == 400 and CSRF_REFUSED in response.get_data(as_text=True)
    user = user_row(db_session, "baonan.grid")
    assert admin.post(f"/admin/users/{user.id}/password-reset").status_code == 400
    assert admin.post(f"/admin/users/{user.id}/active",
                      data={"version": "1", "active": "0"}).status_code == 400
    db_session.expire_all()
    assert user_count(db_session) == before
    assert user_row(db_session, "baonan.grid").version == 1


def test_unknown_user_is_404(admin):
    assert admin.get("/admin/users/999999").status_code == 404
