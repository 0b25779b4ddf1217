#!/usr/bin/env python
"""Case ingest: N reports through HTTP by C concurrent clients against gunicorn, against the
ceiling of inserting the same rows through one plain psycopg2 connection.

Uses its own database (govgrid_bench, created and set up on first use) so it never touches
real data:
    .venv/bin/python scripts/bench/ingest.py [--cases 2000] [--clients 8] [--workers 4]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
BENCH_URL = os.environ.get(
    "GOVGRID_BENCH_DATABASE_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/govgrid_bench")
REPORTER = "baonan.grid"
VILLAGE = "150521100201"


def prepare() -> list[tuple[float, float]]:
    """Create/migrate the bench database with the county, users and categories (once); return
    points inside the reporter's village to report from."""
    os.environ["GOVGRID_DATABASE_URL"] = BENCH_URL
    from flask_migrate import upgrade
    from geoalchemy2.shape import to_shape
    from sqlalchemy import select

    from govgrid import create_app
    from govgrid.cases.categories import seed_categories
    from govgrid.database_setup import ensure_database
    from govgrid.demo.boundaries import generate
    from govgrid.demo.loader import load_county
    from govgrid.demo.users import load_demo_users
    from govgrid.extensions import db
    from govgrid.geo.models import GridCell, Unit

    ensure_database(BENCH_URL)
    app = create_app()
    with app.app_context():
        upgrade()
        load_county(generate())
        load_demo_users()
        seed_categories()
        cells = db.session.execute(
            select(GridCell.boundary).join(Unit, Unit.id == GridCell.village_id)
            .where(Unit.code == VILLAGE)).scalars().all()
    polygon = to_shape(cells[0])
    rng = random.Random(1)
    minx, miny, maxx, maxy = polygon.bounds
    points: list[tuple[float, float]] = []
    from shapely.geometry import Point

    while len(points) < 500:
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if polygon.contains(p):
            points.append((p.x, p.y))
    return points


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "GOVGRID_DATABASE_URL": BENCH_URL}
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(
        [gunicorn, "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level",
         "warning", "govgrid.wsgi:app"], cwd=ROOT, env=env)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn did not start")


def request(conn: http.client.HTTPConnection, method: str, path: str, body: object,
            headers: dict[str, str]) -> tuple[int, dict]:
    conn.request(method, path, body=json.dumps(body), headers={
        "Content-Type": "application/json", **headers})
    response = conn.getresponse()
    return response.status, json.loads(response.read() or b"{}")


def body_for(point: tuple[float, float], case_id: uuid.UUID) -> dict:
    return {"id": str(case_id), "category_code": "0201", "title": "基准测试：邻里纠纷",
            "source": "grid_worker", "lon": point[0], "lat": point[1],
            "parties": [{"name": "张三", "id_number": "150521199001011231",
                         "phone": "13812345678"}, {"name": "李四", "role": "respondent"}]}


def run_http(port: int, cases: int, clients: int, points: list) -> tuple[float, list[float]]:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    status, login = request(conn, "POST", "/api/v1/session",
                            {"username": REPORTER, "password": "govgrid2026"}, {})
    assert status == 201, login
    auth = {"Authorization": f"Bearer {login['token']}"}
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    counter = iter(range(cases))

    def client() -> None:
        own = http.client.HTTPConnection("127.0.0.1", port)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            started = time.perf_counter()
            status, _ = request(own, "POST", "/api/v1/cases",
                                body_for(points[i % len(points)], uuid.uuid4()), auth)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status != 201:
                    failures.append(status)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if failures:
        print(f"  {len(failures)} requests failed: {sorted(set(failures))}")
    return wall, latencies


def run_plain(cases: int, points: list) -> float:
    """The same rows (case, timeline entry, two outbox rows, two parties), one transaction
    per case like the API, through one psycopg2 connection: the ceiling."""
    import psycopg2

    url = make_url(BENCH_URL)
    conn = psycopg2.connect(host=url.host, port=url.port, user=url.username,
                            dbname=url.database)
    cur = conn.cursor()
    cur.execute("SELECT c.id, c.village_id, c.path, v.parent_id, v.county_id FROM grid_cells c "
                "JOIN units v ON v.id = c.village_id WHERE v.code = %s LIMIT 1", (VILLAGE,))
    cell_id, village_id, path, township_id, county_id = cur.fetchone()
    cur.execute("SELECT id FROM case_categories WHERE code = '0201'")
    category_id = cur.fetchone()[0]
    cur.execute("SELECT id FROM users WHERE username = %s", (REPORTER,))
    reporter = cur.fetchone()[0]
    conn.commit()
    started = time.perf_counter()
    for i in range(cases):
        lon, lat = points[i % len(points)]
        case_id = str(uuid.uuid4())
        cur.execute(
            "INSERT INTO cases (id, county_id, township_id, village_id, grid_cell_id, "
            "location_path, owner_unit_id, owner_level, point, category_id, severity, "
            "is_urgent, source, title, description, people_involved, state, version, "
            "reporter_id, extended, rebound_count, escalation_count, occurred_at, reported_at,"
            " due_at) VALUES (%s,%s,%s,%s,%s,%s,%s,'village',ST_SetSRID(ST_MakePoint(%s,%s),"
            "4326),%s,'general',false,'grid_worker','基准测试：邻里纠纷','',0,'reported',1,%s,"
            "false,0,0,now(),now(),now() + interval '24 hours')",
            (case_id, county_id, township_id, village_id, cell_id, path, village_id, lon, lat,
             category_id, reporter))
        for name, role in (("张三", "applicant"), ("李四", "respondent")):
            cur.execute("INSERT INTO case_parties (county_id, case_id, kind, role, name) "
                        "VALUES (%s,%s,'person',%s,%s)", (county_id, case_id, role, name))
        cur.execute("INSERT INTO case_events (county_id, case_id, action, to_state, actor_id, "
                    "at, payload) VALUES (%s,%s,'submit','reported',%s,now(),'{}')",
                    (county_id, case_id, reporter))
        for topic in ("case.reported", "case.transitioned"):
            cur.execute("INSERT INTO outbox (county_id, topic, payload, attempts) "
                        "VALUES (%s,%s,%s,0)", (county_id, topic, json.dumps({"case_id": case_id})))
        conn.commit()
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    points = prepare()
    print(f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    port = free_port()
    server = start_gunicorn(port, args.workers)
    try:
        run_http(port, min(50, args.cases), args.clients, points)  # warm the workers up
        wall, latencies = run_http(port, args.cases, args.clients, points)
    finally:
        server.terminate()
        server.wait(timeout=30)
    rate = len(latencies) / wall
    cuts = statistics.quantiles(latencies, n=100)
    print(f"HTTP  : {len(latencies):,} reports, {args.clients} clients, gunicorn "
          f"{args.workers} workers: {rate:8.1f} cases/s  p50 {cuts[49] * 1e3:6.1f} ms  "
          f"p95 {cuts[94] * 1e3:6.1f} ms")
    plain = run_plain(args.cases, points)
    plain_rate = args.cases / plain
    print(f"plain : same rows, one psycopg2 connection, one transaction per case: "
          f"{plain_rate:8.1f} cases/s")
    print(f"ratio : HTTP reaches {rate / plain_rate:.0%} of the plain-insert ceiling")


if __name__ == "__main__":
    main()
