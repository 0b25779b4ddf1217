"""Logging in through the API and the pages: tokens, sessions, throttling, CSRF."""

import re

import pytest

PASSWORD = "govgrid2026"


@pytest.fixture
def fresh_limits(app):
    """Throttling counts live in Redis (database 15 in tests): start each test at zero."""
    from govgrid.extensions import redis_client

    with app.app_context():
        redis_client.connection.flushdb()
    yield
    with app.app_context():
        redis_client.connection.flushdb()


def api_login(client, username, password=PASSWORD):
    return client.post("/api/v1/session", json={"username": username, "password": password})


def csrf_token(client, path="/login"):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def page_login(client, username, password=PASSWORD):
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_token(client)})


def test_api_login_issues_a_working_token(anon_client, fresh_limits):
    response = api_login(anon_client, "Baonan.Staff")  # usernames are case-insensitive
    assert response.status_code == 201
    token = response.json["token"]
    assert token.startswith("gg_") and response.json["user"]["username"] == "baonan.staff"
    me = anon_client.get("/api/v1/session", headers={"Authorization": f"Bearer {token}"})
    assert me.json["role"] == "village_staff"
    # Logging out revokes exactly that token.
    headers = {"Authorization": f"Bearer {token}"}
    assert anon_client.delete("/api/v1/session", headers=headers).status_code == 204
    assert anon_client.get("/api/v1/session", headers=headers).status_code == 401


def test_tokens_are_stored_hashed(anon_client, db_session, fresh_limits):
    from sqlalchemy import text

    token = api_login(anon_client, "admin").json["token"]
    stored = db_session.execute(text("SELECT token_hash FROM api_tokens")).scalars().all()
    assert token not in stored and all(len(h) == 64 for h in stored)


def test_using_a_token_notes_its_last_use_without_an_audit_entry(anon_client, db_session,
                                                                fresh_limits):
    from sqlalchemy import text

    token = api_login(anon_client, "baonan.staff").json["token"]
    entries = "SELECT count(*) FROM audit_log"
    before = db_session.execute(text(entries)).scalar()
    me = anon_client.get("/api/v1/session", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert db_session.execute(text(entries)).scalar() == before  # a read stays a read
    used = db_session.execute(text(
        "SELECT last_used_at FROM api_tokens WHERE user_id = :u"), {"u": me.json["id"]}).scalar()
    assert used is not None


def test_wrong_password_is_401_in_chinese(anon_client, fresh_limits):
    response = api_login(anon_client, "admin", "wrong-password1")
    assert response.status_code == 401
    assert response.json["message"] == "用户名或密码错误。"
    assert api_login(anon_client, "nobody-at-all", "x").status_code == 401


def test_unauthenticated_api_is_401_and_pages_redirect(anon_client):
    assert anon_client.get("/api/v1/units/tree").status_code == 401
    assert anon_client.get("/api/v1/units/tree").json["message"] == "请先登录。"
    response = anon_client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert anon_client.get("/healthz").status_code == 200


def test_failed_logins_are_throttled_per_account(anon_client, fresh_limits):
    for _ in range(5):
        assert api_login(anon_client, "county.leader", "wrong-pass1").status_code == 401
    blocked = api_login(anon_client, "county.leader", PASSWORD)
    assert blocked.status_code == 429
    assert blocked.json["message"] == "登录失败次数过多，请 15 分钟后再试。"
    # Another account from the same address is not blocked by this account's failures.
    assert api_login(anon_client, "assessor").status_code == 201


def test_failed_logins_are_throttled_per_address(app, anon_client, fresh_limits):
    app.config["LOGIN_LIMIT_PER_IP"] = "3 per 15 minutes"
    try:
        for name in ("admin", "assessor", "county.staff"):
            assert api_login(anon_client, name, "wrong-pass1").status_code == 401
        assert api_login(anon_client, "county.leader").status_code == 429
        other_address = app.test_client()
        other_address.environ_base["REMOTE_ADDR"] = "10.1.2.3"
        assert api_login(other_address, "county.leader").status_code == 201
    finally:
        app.config["LOGIN_LIMIT_PER_IP"] = "30 per 15 minutes"


def test_successful_logins_do_not_count(anon_client, fresh_limits):
    for _ in range(8):
        assert api_login(anon_client, "county.staff").status_code == 201


def test_login_page_throttled_too(anon_client, fresh_limits):
    for _ in range(5):
        assert page_login(anon_client, "baokang.police", "nope-nope1").status_code == 401
    response = page_login(anon_client, "baokang.police")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.get_data(as_text=True)


def test_page_login_sets_a_protected_session_cookie(anon_client, fresh_limits):
    response = page_login(anon_client, "baokang.dispatcher")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert anon_client.get("/").status_code == 200


def test_login_redirect_stays_on_this_site(anon_client, fresh_limits):
    token = csrf_token(anon_client)
    response = anon_client.post("/login", data={
        "username": "admin", "password": PASSWORD, "csrf_token": token,
        "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_csrf_is_required_for_cookie_authenticated_writes(anon_client, fresh_limits):
    page_login(anon_client, "county.staff")
    # A form post without the token (what a forged cross-site form would send) is refused.
    response = anon_client.post("/logout")
    assert response.status_code == 400
    assert "刷新" in response.get_data(as_text=True)
    # JSON from our own pages must carry X-CSRFToken as well.
    body = {"old_password": PASSWORD, "new_password": "short"}
    refused = anon_client.put("/api/v1/me/password", json=body)
    assert refused.status_code == 400 and "刷新" in refused.json["message"]
    accepted = anon_client.put("/api/v1/me/password", json=body,
                               headers={"X-CSRFToken": csrf_token(anon_client, "/")})
    assert accepted.status_code == 422  # got past CSRF; the new password is too short


def test_bearer_clients_need_no_csrf_token(api_client_for):
    client = api_client_for("county.staff")
    response = client.post("/api/v1/tokens", json={"name": "script"})
    assert response.status_code == 201 and response.json["token"].startswith("gg_")


def test_password_change_ends_other_sessions_and_tokens(anon_client, app, fresh_limits):
    token = api_login(anon_client, "baonan.grid").json["token"]
    browser = app.test_client()
    page_login(browser, "baonan.grid")
    headers = {"Authorization": f"Bearer {token}"}
    response = anon_client.put("/api/v1/me/password", headers=headers,
                               json={"old_password": PASSWORD, "new_password": "new-pass-2026"})
    assert response.status_code == 204
    assert anon_client.get("/api/v1/session", headers=headers).status_code == 401
    assert browser.get("/").status_code == 302  # the browser session ended too
    assert api_login(anon_client, "baonan.grid", "new-pass-2026").status_code == 201


@pytest.mark.parametrize("new,expected", [
    ("short1", "至少需要 8 个字符"), ("onlyletters", "同时包含字母和数字"),
    ("baonan.grid1", "不能包含用户名"),
])
def test_password_policy_in_chinese(api_client_for, new, expected):
    response = api_client_for("baonan.grid").put(
        "/api/v1/me/password", json={"old_password": PASSWORD, "new_password": new})
    assert response.status_code == 422 and expected in response.json["message"]


def test_wrong_current_password_is_refused(api_client_for):
    response = api_client_for("baonan.grid").put(
        "/api/v1/me/password", json={"old_password": "wrong-pass1", "new_password": "abcd12345"})
    assert response.status_code == 422 and response.json["message"] == "当前密码不正确。"


def test_logins_are_audited(anon_client, db_session, fresh_limits):
    from sqlalchemy import text

    api_login(anon_client, "assessor")
    api_login(anon_client, "assessor", "bad-pass-1")
    actions = db_session.execute(text(
        "SELECT action FROM audit_log WHERE action LIKE 'auth.login%' ORDER BY id DESC LIMIT 2"
    )).scalars().all()
    assert actions == ["auth.login_failed", "auth.login"]
