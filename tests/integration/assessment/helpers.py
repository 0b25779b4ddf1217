"""Assessment objects for tests, made through the API or the services."""

from __future__ import annotations

from typing import Any

BAOKANG = "150521100000"  # 保康镇
BAONAN = "150521100201"  # 保南村, in 保康镇
MENDA = "150521104000"  # 门达镇, a sibling township
COUNTY = "150521000000"

EVENT = {"kind": "mass_incident", "severity": "serious",
         "occurred_at": "2026-03-08T09:30:00+08:00", "title": "征地补偿群体性上访",
         "summary": "约60名村民聚集。", "people_involved": 60}


def record_event(client: Any, unit: str = BAONAN, **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/v1/assessment/events", json={**EVENT, "unit": unit,
                                                                **overrides})
    assert response.status_code == 201, response.json
    return response.json


def raise_step(client: Any, unit: str = BAOKANG, step: str = "notice",
               **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/v1/assessment/sanctions", json={
        "unit": unit, "step": step, "reason": "群众反映强烈，长期未解决。", **overrides})
    assert response.status_code == 201, response.json
    return response.json


def confirm(client: Any, sanction: dict[str, Any], **fields: Any) -> Any:
    return client.post(f"/api/v1/assessment/sanctions/{sanction['id']}/confirm",
                       json={"version": sanction["version"], **fields})


def audit_count(db: Any, action: str, object_id: Any) -> int:
    from sqlalchemy import text

    return int(db.execute(text("SELECT count(*) FROM audit_log WHERE action = :a "
                               "AND object_id = :i"), {"a": action, "i": str(object_id)}
                          ).scalar_one())


def fuzz_ids(api_client_for: Any) -> dict[str, int]:
    """Real objects for the malformed-input walk's paths: an event, a draft scheme of 2026
    (the edit example's year), a proposed sanction and a report waiting for review."""
    staff = api_client_for("county.staff")
    scheme = staff.post("/api/v1/assessment/schemes", json={"year": 2026})
    assert scheme.status_code == 201, scheme.json
    in_force = confirm(staff, raise_step(staff, MENDA)).json
    report = staff.post(f"/api/v1/assessment/sanctions/{in_force['id']}/rectifications",
                        json={"text": "已整改"})
    assert report.status_code == 201, report.json
    return {"event_id": record_event(staff)["id"], "scheme_id": scheme.json["id"],
            "sanction_id": raise_step(staff)["id"], "rectification_id": report.json["id"]}
