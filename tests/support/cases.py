"""Cases through the API, as a client would drive them: report, act, clean up."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

BAONAN = "150521100201"  # 保南村, 保康镇: where the demo grid worker and village staff work

# Rows hanging off a case, deleted before it when a test had to commit (live server, races).
CASE_CHILD_TABLES = ("agreements", "attachments", "mediation_sessions", "notifications",
                     "case_events", "case_parties", "case_assignments", "sla_notices",
                     "supervision_orders", "case_extension_requests")


def village_point(demo_county: Any, village_code: str = BAONAN) -> tuple[float, float]:
    """A point (lon, lat) surely inside the village's first grid cell."""
    cell = next(c for c in demo_county.cells if c.village_code == village_code)
    point = cell.boundary.representative_point()
    return point.x, point.y


def report(client: Any, point: tuple[float, float], **overrides: Any) -> dict[str, Any]:
    """Report a 0201 neighbour dispute at the point (201 expected); `overrides` change the
    body."""
    lon, lat = point
    body = {"category_code": "0201", "title": "邻里宅基地边界纠纷", "source": "grid_worker",
            "lon": lon, "lat": lat, **overrides}
    response = client.post("/api/v1/cases", json=body)
    assert response.status_code == 201, response.json
    return response.json


def act(client: Any, case: dict[str, Any], action: str, **fields: Any) -> Any:
    """Take a workflow action on the case at the version the client last read."""
    return client.post(f"/api/v1/cases/{case['id']}/transitions",
                       json={"action": action, "version": case["version"], **fields})


def ok(client: Any, case: dict[str, Any], action: str, **fields: Any) -> dict[str, Any]:
    """`act`, which must succeed; the case as it is afterwards."""
    response = act(client, case, action, **fields)
    assert response.status_code == 200, (action, response.json)
    return response.json


def delete_cases(conn: Connection, case_ids: Iterable[str]) -> None:
    """Remove committed cases and everything hanging off them."""
    for case_id in case_ids:
        for table in CASE_CHILD_TABLES:
            conn.execute(text(f"DELETE FROM {table} WHERE case_id = :i"), {"i": case_id})
        conn.execute(text("DELETE FROM outbox WHERE payload->>'case_id' = :i"), {"i": case_id})
        conn.execute(text("DELETE FROM cases WHERE id = :i"), {"i": case_id})


@contextmanager
def committed_clients(app: Any, token_name: str) -> Iterator[
        tuple[Callable[[str], Any], list[str]]]:
    """(login, case_ids): login(username) -> a test client whose requests commit for real
    (no test transaction around them), for work racing on separate connections. Removes
    the cases listed in case_ids and the tokens afterwards."""
    from govgrid.extensions import db

    case_ids: list[str] = []

    def login(username: str) -> Any:
        client = app.test_client()
        token = client.post("/api/v1/session", json={
            "username": username, "password": "govgrid2026",
            "token_name": token_name}).json["token"]
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return client

    yield login, case_ids
    with app.app_context(), db.engine.begin() as conn:
        delete_cases(conn, case_ids)
        conn.execute(text("DELETE FROM api_tokens WHERE name = :n"), {"n": token_name})
