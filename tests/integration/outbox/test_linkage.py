"""Linkage (联动) end to end: a report's outbox rows reach the linked department's liaison
through a real `rq worker` process, idempotently, and survive Redis being down.

A worker process cannot see the rolled-back transaction other integration tests run in, so
these tests do not use `db_session`: they commit through the app, like production, and
delete what they made afterwards (audit entries stay: the audit log refuses deletes).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from rq import Queue
from rq.registry import FailedJobRegistry
from sqlalchemy import text

from govgrid import create_app
from govgrid.demo.users import DEMO_PASSWORD
from govgrid.extensions import db
from govgrid.jobs.queues import DEFAULT, queue
from govgrid.outbox.handlers import handle
from govgrid.outbox.relay import relay

BAONAN = "150521100201"  # 保南村, in 保康镇
TOKEN_NAME = "linkage-test"
CATEGORY_1601 = "打架斗殴及寻衅滋事苗头"  # linked to the police


@pytest.fixture(scope="module")
def baonan_point(demo_county) -> tuple[float, float]:
    cell = next(c for c in demo_county.cells if c.village_code == BAONAN)
    point = cell.boundary.representative_point()
    return point.x, point.y


class World:
    """Committed data for one test: API clients logged in for real, and the cases made."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.case_ids: list[str] = []

    def login(self, username: str, app: Any = None) -> Any:
        client = (app or self.app).test_client()
        response = client.post("/api/v1/session", json={
            "username": username, "password": DEMO_PASSWORD, "token_name": TOKEN_NAME})
        assert response.status_code == 201, response.json
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {response.json['token']}"
        return client

    def report(self, client: Any, point: tuple[float, float]) -> str:
        response = client.post("/api/v1/cases", json={
            "category_code": "1601", "title": "村口有人聚众寻衅", "source": "grid_worker",
            "lon": point[0], "lat": point[1], "address": "保南村村委会门口"})
        assert response.status_code == 201, response.json
        self.case_ids.append(response.json["id"])
        return response.json["id"]

    def sql(self, statement: str, **params: Any) -> list[Any]:
        with self.app.app_context(), db.engine.connect() as conn:
            return list(conn.execute(text(statement), params))

    def execute(self, statement: str, **params: Any) -> None:
        with self.app.app_context(), db.engine.begin() as conn:
            conn.execute(text(statement), params)

    def clean_up(self) -> None:
        with self.app.app_context(), db.engine.begin() as conn:
            for case_id in self.case_ids:
                for table in ("notifications", "case_assignments", "case_events",
                              "case_parties"):
                    conn.execute(text(f"DELETE FROM {table} WHERE case_id = :i"), {"i": case_id})
                conn.execute(text("DELETE FROM outbox WHERE payload->>'case_id' = :i"),
                             {"i": case_id})
                conn.execute(text("DELETE FROM cases WHERE id = :i"), {"i": case_id})
            conn.execute(text("DELETE FROM api_tokens WHERE name = :n"), {"n": TOKEN_NAME})


@pytest.fixture
def world(app) -> Iterator[World]:
    made = World(app)
    try:
        yield made
    finally:
        made.clean_up()


def burst(redis_url: str) -> None:
    """Run a real `rq worker --burst` process on that Redis; fail on any failed job."""
    rq = Path(sys.executable).with_name("rq")
    done = subprocess.run([str(rq), "worker", "--burst", "--url", redis_url, DEFAULT],
                          env={**os.environ, "GOVGRID_REDIS_URL": redis_url},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    connection = redis.Redis.from_url(redis_url)
    failed = FailedJobRegistry(DEFAULT, connection=connection)
    assert failed.count == 0, done.stderr


def notifications_of(client: Any, case_id: str) -> list[dict[str, Any]]:
    response = client.get("/api/v1/notifications?page_size=100")
    assert response.status_code == 200, response.json
    return [n for n in response.json if n["case_id"] == case_id]


def test_linkage_reaches_the_police_liaison_through_a_real_worker(
        app, world, test_redis, baonan_point):
    grid, police, court, staff = (world.login(u) for u in (
        "baonan.grid", "baokang.police", "county.court", "baonan.staff"))
    case_id = world.report(grid, baonan_point)
    assert police.get(f"/api/v1/cases/{case_id}").status_code == 404  # not linked yet

    # The report asked for a relay at once (relay_soon): one burst relays and delivers.
    queued = [job.func_name for job in Queue(DEFAULT, connection=test_redis).get_jobs()]
    assert queued == ["govgrid.outbox.relay.relay"]
    burst(app.config["REDIS_URL"])

    pending = world.sql("SELECT id FROM outbox WHERE payload->>'case_id' = :i "
                        "AND relayed_at IS NULL", i=case_id)
    assert pending == []
    [linkage] = notifications_of(police, case_id)
    assert linkage["kind"] == "linkage" and CATEGORY_1601 in linkage["title"]
    assert "村口有人聚众寻衅" in linkage["body"] and "保南村村委会门口" in linkage["body"]
    assert linkage["read"] is False
    assert police.get(f"/api/v1/cases/{case_id}").status_code == 200  # assigned by linkage
    # The court is not linked to 1601; the village station learns of the new case; the
    # reporter is not told of their own report.
    assert notifications_of(court, case_id) == []
    assert court.get(f"/api/v1/cases/{case_id}").status_code == 404
    assert [n["kind"] for n in notifications_of(staff, case_id)] == ["new_case"]
    assert notifications_of(grid, case_id) == []

    # Handling the same messages again (a redelivery) creates nothing new.
    counts = ("SELECT (SELECT count(*) FROM notifications WHERE case_id = :i), "
              "(SELECT count(*) FROM case_assignments WHERE case_id = :i)")
    before = world.sql(counts, i=case_id)
    assert before[0][1] == 1
    message_ids = [r.id for r in world.sql(
        "SELECT id FROM outbox WHERE payload->>'case_id' = :i", i=case_id)]
    with app.app_context():
        for message_id in message_ids:
            queue().enqueue_call(handle, args=(message_id,))
    burst(app.config["REDIS_URL"])
    assert world.sql(counts, i=case_id) == before


def test_nobody_reads_or_marks_another_users_notification(app, world, test_redis,
                                                          baonan_point):
    grid, police, staff = (world.login(u) for u in (
        "baonan.grid", "baokang.police", "baonan.staff"))
    case_id = world.report(grid, baonan_point)
    with app.app_context():  # the worker path is tested above; here only the inbox matters
        for row in world.sql("SELECT id FROM outbox WHERE payload->>'case_id' = :i", i=case_id):
            handle(row.id)
    [mine] = notifications_of(police, case_id)

    for other in (staff, grid):
        assert other.post(f"/api/v1/notifications/{mine['id']}/read").status_code == 404
        assert mine["id"] not in {n["id"] for n in other.get("/api/v1/notifications").json}
        assert other.post("/api/v1/notifications/read-all").status_code == 200
    unread = police.get("/api/v1/notifications?unread=true&page_size=100").json
    assert mine["id"] in {n["id"] for n in unread}  # others' read-all did not touch it

    marked = police.post(f"/api/v1/notifications/{mine['id']}/read")
    assert marked.status_code == 200 and marked.json["read"] is True
    again = police.post(f"/api/v1/notifications/{mine['id']}/read")
    assert again.json["read_at"] == marked.json["read_at"]  # the first reading time stays
    unread = police.get("/api/v1/notifications?unread=true&page_size=100").json
    assert mine["id"] not in {n["id"] for n in unread}
    assert police.post("/api/v1/notifications/read-all").status_code == 200
    assert police.get("/api/v1/notifications?unread=true").json == []
    assert police.get("/api/v1/notifications?unread=maybe").status_code == 400


class ThrowawayRedis:
    """A redis-server of our own on a free port, which this test may stop and start: the
    shared one on 6379 belongs to everyone."""

    def __init__(self) -> None:
        self.port = _free_port(6390)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        probe = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 5
        while True:
            try:
                probe.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _free_port(start: int) -> int:
    for port in range(start, start + 100):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for a throwaway redis-server")


@pytest.fixture
def spare_redis() -> Iterator[ThrowawayRedis]:
    server = ThrowawayRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def outage_app(app, spare_redis) -> Iterator[Any]:
    """An app whose jobs go to the throwaway Redis. Rate limits stay on the shared test
    Redis: the limiter is one module-level object that each app's init re-points."""
    made = create_app({"TESTING": True, "REDIS_URL": spare_redis.url,
                       "RATELIMIT_STORAGE_URI": app.config["RATELIMIT_STORAGE_URI"]})
    yield made
    with made.app_context():
        db.engine.dispose()


def test_redis_down_during_a_report_delays_linkage_but_loses_nothing(
        outage_app, world, spare_redis, baonan_point):
    grid, police = (world.login(u, outage_app) for u in ("baonan.grid", "baokang.police"))
    spare_redis.stop()

    case_id = world.report(grid, baonan_point)  # 201: the case does not need Redis
    rows = "SELECT topic, relayed_at, attempts, last_error FROM outbox " \
           "WHERE payload->>'case_id' = :i ORDER BY id"
    assert [r.topic for r in world.sql(rows, i=case_id)] == ["case.reported", "linkage.notify"]
    with outage_app.app_context():
        assert relay() == 0  # fails softly: nothing relayed, nothing raised
    for row in world.sql(rows, i=case_id):
        assert row.relayed_at is None and row.attempts >= 1 and row.last_error

    spare_redis.start()  # same port: Redis is back
    with outage_app.app_context():
        assert relay() >= 2
    assert all(r.relayed_at is not None for r in world.sql(rows, i=case_id))
    # A relay that died after enqueueing but before its commit: the next run only marks the
    # rows; RQ refuses the same job ids twice, so nothing is queued again.
    jobs = Queue(DEFAULT, connection=redis.Redis.from_url(spare_redis.url))
    queued = jobs.count
    world.execute("UPDATE outbox SET relayed_at = NULL WHERE payload->>'case_id' = :i",
                  i=case_id)
    with outage_app.app_context():
        assert relay() >= 2
    assert jobs.count == queued
    burst(spare_redis.url)
    assert [n["kind"] for n in notifications_of(police, case_id)] == ["linkage"]
    assert police.get(f"/api/v1/cases/{case_id}").status_code == 200
