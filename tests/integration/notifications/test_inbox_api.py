"""GET /api/v1/notifications/unread-count: my unread notifications, nobody else's."""

from __future__ import annotations


def unread(client) -> int:
    response = client.get("/api/v1/notifications/unread-count")
    assert response.status_code == 200, response.json
    assert set(response.json) == {"unread"}
    return response.json["unread"]


def test_unread_count_counts_my_unread_notifications_only(api_client_for, notify):
    staff, police = api_client_for("baonan.staff"), api_client_for("baokang.police")
    before_staff, before_police = unread(staff), unread(police)

    first = notify("baonan.staff", kind="new_case")
    notify("baonan.staff", kind="urge")
    notify("baonan.staff", kind="supervision", read=True)  # read ones do not count
    notify("baokang.police", kind="linkage")
    assert unread(staff) == before_staff + 2
    assert unread(police) == before_police + 1

    # Someone else cannot read mine away.
    assert police.post(f"/api/v1/notifications/{first}/read").status_code == 404
    assert unread(staff) == before_staff + 2

    assert staff.post(f"/api/v1/notifications/{first}/read").status_code == 200
    assert unread(staff) == before_staff + 1
    assert staff.post("/api/v1/notifications/read-all").status_code == 200
    assert unread(staff) == 0
    assert unread(police) == before_police + 1


def test_unread_count_needs_a_login(anon_client):
    response = anon_client.get("/api/v1/notifications/unread-count")
    assert response.status_code == 401
    assert response.json["code"] == 401


def test_unread_count_is_documented(client):
    spec = client.get("/api/openapi.json").json
    get = spec["paths"]["/api/v1/notifications/unread-count"]["get"]
    assert get["summary"] == "How many of my notifications are unread"
    schema = get["responses"]["200"]["content"]["application/json"]["schema"]
    assert "unread" in str(spec["components"]["schemas"]) and schema
