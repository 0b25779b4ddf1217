"""Two people decide the same proposal at the same moment, on separate connections (their
requests really commit): the conditional UPDATE lets exactly one through."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from tests.integration.assessment.helpers import BAOKANG, raise_step


@pytest.fixture
def committed_clients(app):
    """Clients whose requests commit for real; removes the sanctions it made."""
    from govgrid.extensions import db

    made: list[int] = []

    def login(username):
        client = app.test_client()
        token = client.post("/api/v1/session", json={
            "username": username, "password": "govgrid2026"}).json["token"]
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return client

    yield login, made
    with app.app_context(), db.engine.begin() as conn:
        for sanction_id in made:
            conn.execute(text("DELETE FROM sanctions WHERE id = :i"), {"i": sanction_id})
        conn.execute(text("DELETE FROM api_tokens"))


@pytest.mark.parametrize("second_action", ["confirm", "dismiss"])
def test_concurrent_decisions_exactly_one_wins(committed_clients, second_action):
    login, made = committed_clients
    staff, leader = login("county.staff"), login("county.leader")
    sanction = raise_step(staff, BAOKANG)
    made.append(sanction["id"])
    url = f"/api/v1/assessment/sanctions/{sanction['id']}"
    bodies = {"confirm": {"version": 1}, "dismiss": {"version": 1, "reason": "不属实"}}
    barrier, results = threading.Barrier(2), []

    def press(client, action):
        barrier.wait()
        results.append(client.post(f"{url}/{action}", json=bodies[action]).status_code)

    threads = [threading.Thread(target=press, args=(staff, "confirm")),
               threading.Thread(target=press, args=(leader, second_action))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 409]
    final = staff.get(url).json
    assert final["version"] == 2 and final["state"] in ("confirmed", "dismissed")
