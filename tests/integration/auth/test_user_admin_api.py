"""Admins manage the users of their county through the API."""

import pytest


@pytest.fixture
def admin(api_client_for):
    return api_client_for("admin")


def create(admin, **overrides):
    body = {"username": "new.mediator", "display_name": "新调解员", "role": "mediator",
            "unit_code": "150521100000", **overrides}
    return admin.post("/api/v1/users", json=body)


def test_create_returns_a_temporary_password_once(admin, anon_client):
    response = create(admin)
    assert response.status_code == 201
    temporary = response.json["temporary_password"]
    assert len(temporary) == 12 and response.json["must_change_password"] is True
    assert "password" not in response.json and "password_hash" not in response.json
    login = anon_client.post("/api/v1/session",
                             json={"username": "new.mediator", "password": temporary})
    assert login.status_code == 201
    assert login.json["user"]["must_change_password"] is True
    fetched = admin.get(f"/api/v1/users/{response.json['id']}").json
    assert "temporary_password" not in fetched


@pytest.mark.parametrize("overrides,field,message", [
    ({"unit_code": "150521999999"}, "unit_code", "没有代码为 150521999999 的单位"),
    ({"role": "township_dispatcher", "unit_code": "150521100201"}, "unit_code", "不能隶属于"),
    ({"role": "department_liaison"}, "department", "部门联络员"),
    ({"role": "grid_worker", "unit_code": "150521100201"}, "cells", "至少要负责一个网格"),
    ({"role": "grid_worker", "unit_code": "150521100201", "cell_codes": ["150521100202001"]},
     "cells", "不在"),
    ({"username": "admin"}, "username", "已被占用"),
    ({"password": "short"}, "new_password", "8 个字符"),
])
def test_bad_users_are_refused_in_chinese(admin, db_session, overrides, field, message):
    from sqlalchemy import text

    before = db_session.execute(text("SELECT count(*) FROM users")).scalar()
    response = create(admin, **overrides)
    assert response.status_code in (409, 422), response.json
    assert message in response.json["message"]
    assert db_session.execute(text("SELECT count(*) FROM users")).scalar() == before


def test_malformed_body_is_422_with_field_errors(admin):
    response = admin.post("/api/v1/users", json={"username": "x", "role": "king"})
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert set(errors) >= {"username", "role", "display_name", "unit_code"}


def test_grid_worker_with_cells(admin):
    response = create(admin, username="new.grid", role="grid_worker", unit_code="150521100202",
                      cell_codes=["150521100202001"])
    assert response.status_code == 201
    assert response.json["cells"] == ["150521100202001"]


def test_concurrent_edits_exactly_one_wins(admin, api_client_for):
    user = create(admin).json
    other_admin = api_client_for("admin")
    first = admin.patch(f"/api/v1/users/{user['id']}",
                        json={"version": user["version"], "display_name": "甲"})
    second = other_admin.patch(f"/api/v1/users/{user['id']}",
                               json={"version": user["version"], "display_name": "乙"})
    assert first.status_code == 200 and first.json["version"] == user["version"] + 1
    assert second.status_code == 409
    assert second.json["message"] == "该对象已被他人修改，请刷新后重试。"
    assert admin.get(f"/api/v1/users/{user['id']}").json["display_name"] == "甲"


def test_deactivation_ends_access(admin, api_client_for):
    target = api_client_for("baokang.mediator")
    me = target.get("/api/v1/session").json
    response = admin.patch(f"/api/v1/users/{me['id']}",
                           json={"version": me["version"], "is_active": False})
    assert response.status_code == 200 and response.json["is_active"] is False
    assert target.get("/api/v1/session").status_code == 401


def test_reset_password(admin, anon_client, api_client_for):
    target_id = api_client_for("baokang.police").get("/api/v1/session").json["id"]
    temporary = admin.post(f"/api/v1/users/{target_id}/password-reset").json["temporary_password"]
    assert anon_client.post("/api/v1/session", json={
        "username": "baokang.police", "password": temporary}).status_code == 201
    assert anon_client.post("/api/v1/session", json={
        "username": "baokang.police", "password": "govgrid2026"}).status_code == 401


def test_user_changes_are_audited_without_secrets(admin, db_session):
    from sqlalchemy import text

    user = create(admin).json
    entry = db_session.execute(text(
        "SELECT actor_name, summary FROM audit_log WHERE action = 'users.create' "
        "AND object_id = :id"), {"id": str(user["id"])}).one()
    assert entry.actor_name == "admin"
    assert entry.summary["values"]["password_hash"] == "[redacted]"
    assert entry.summary["values"]["username"] == "new.mediator"


def test_admin_cannot_lock_themselves_out(admin):
    me = admin.get("/api/v1/session").json
    response = admin.patch(f"/api/v1/users/{me['id']}",
                           json={"version": me["version"], "is_active": False})
    assert response.status_code == 422 and "自己" in response.json["message"]
    assert admin.get("/api/v1/session").status_code == 200
