"""The sweep on real parts: two sweeps at once on separate connections act once; and
`rq cron` with the project's cron configuration, with a real `rq worker`, sweeps and
delivers a reminder to the inbox without anyone asking."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from govgrid.demo.users import DEMO_PASSWORD
from govgrid.extensions import db
from govgrid.sla.sweeps import sweep_deadlines
from govgrid.timestamps import utcnow
from tests.support.cases import delete_cases

TOKEN_NAME = "sweep-worker-test"


class Committed:
    """Cases reported for real (committed) through the API, removed afterwards."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.case_ids: list[str] = []

    def report(self, point: tuple[float, float]) -> str:
        client = self.app.test_client()
        login = client.post("/api/v1/session", json={
            "username": "baonan.grid", "password": DEMO_PASSWORD, "token_name": TOKEN_NAME})
        assert login.status_code == 201, login.json
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {login.json['token']}"
        response = client.post("/api/v1/cases", json={
            "category_code": "0201", "title": "相邻通行纠纷（时限测试）", "source": "grid_worker",
            "lon": point[0], "lat": point[1]})
        assert response.status_code == 201, response.json
        self.case_ids.append(response.json["id"])
        return response.json["id"]

    def due_soon_now(self, case_id: str) -> None:
        """Move the case's clock so that it is due soon at the real present."""
        self.sql("UPDATE cases SET due_started_at = now() - interval '20 hours', "
                 "due_soon_at = now() - interval '1 hour', due_at = now() + interval '4 hours' "
                 "WHERE id = :i", i=case_id)

    def sql(self, statement: str, **params: Any) -> list[Any]:
        with self.app.app_context(), db.engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return list(result) if result.returns_rows else []

    def clean_up(self) -> None:
        with self.app.app_context(), db.engine.begin() as conn:
            delete_cases(conn, self.case_ids)
            conn.execute(text("DELETE FROM api_tokens WHERE name = :n"), {"n": TOKEN_NAME})


@pytest.fixture
def committed(app) -> Iterator[Committed]:
    made = Committed(app)
    try:
        yield made
    finally:
        made.clean_up()


def test_two_sweeps_at_once_send_each_reminder_once(app, committed, cell_point):
    case_ids = [committed.report(cell_point) for _ in range(3)]
    for case_id in case_ids:
        committed.due_soon_now(case_id)
    moment = utcnow().isoformat()
    start = threading.Barrier(2)
    results: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            with app.app_context():  # its own session and connection
                start.wait(timeout=10)
                results.append(sweep_deadlines(now=moment))
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(results) == 2 and sum(r["due_soon"] for r in results) == 3  # not 6
    rows = committed.sql("SELECT case_id::text, count(*) FROM sla_notices WHERE kind = "
                         "'due_soon' AND case_id::text = ANY(:ids) GROUP BY case_id",
                         ids=case_ids)
    assert sorted(rows) == sorted((i, 1) for i in case_ids)
    messages = committed.sql("SELECT count(*) FROM outbox WHERE topic = 'sla.notice' AND "
                             "payload->>'case_id' = ANY(:ids)", ids=case_ids)
    assert messages[0][0] == 3


def test_rq_cron_and_a_worker_deliver_a_reminder_unasked(app, committed, test_redis,
                                                         cell_point):
    """`rq cron govgrid.jobs.cron_config` enqueues the sweep at start (and every minute);
    a real worker runs it, the relay (every 10 s) hands the notice to the worker again,
    and the village centre's inbox holds the reminder."""
    case_id = committed.report(cell_point)
    committed.due_soon_now(case_id)
    url = app.config["REDIS_URL"]
    env = {**os.environ, "GOVGRID_REDIS_URL": url}
    rq = str(Path(sys.executable).with_name("rq"))
    processes = [
        subprocess.Popen([rq, "cron", "govgrid.jobs.cron_config", "--url", url], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True),
        subprocess.Popen([rq, "worker", "--url", url, "default"], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True),
    ]
    try:
        deadline = time.monotonic() + 90
        delivered: list[Any] = []
        while time.monotonic() < deadline and not delivered:
            time.sleep(1)
            delivered = committed.sql(
                "SELECT u.username FROM notifications n JOIN users u ON u.id = n.user_id "
                "WHERE n.case_id = :i AND n.kind = 'due_soon'", i=case_id)
            assert all(p.poll() is None for p in processes), \
                [p.stderr.read() for p in processes if p.poll() is not None]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    assert [row[0] for row in delivered] == ["baonan.staff"]
    notices = committed.sql("SELECT count(*) FROM sla_notices WHERE case_id = :i", i=case_id)
    assert notices[0][0] == 1
