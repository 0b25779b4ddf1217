#!/usr/bin/env python
"""County dashboard at scale: p50/p95 of the county KPI endpoint and of the grid-cell
choropleth over a county with 1,000,000 cases (three years), uncached and from the cache.

The demo county and its year of history (15,000 cases through the state machine) are loaded,
then synthetic cases are copied from that history in SQL up to --cases (bulk_cases.py says
how). Requests go through the Flask test client with a county staff member's bearer token,
once with the statistics cache off (STATS_CACHE_SECONDS=0: every request computes) and once
with it on (Redis hits). Warm-up requests are not counted. Then EXPLAIN (ANALYZE, BUFFERS) of
the statements behind the one-year county figures, exactly as the endpoints send them.

Uses its own database (govgrid_bench_dashboard, recreated unless --reuse finds it loaded
with as many cases) and Redis db 8:
    .venv/bin/python scripts/bench/dashboard.py [--cases 1000000] [--reuse] [--runs 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bulk_cases import add_cases
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

BENCH_URL = os.environ.get(
    "GOVGRID_BENCH_DASHBOARD_DATABASE_URL",
    "postgresql+psycopg2://postgres@127.0.0.1:5432/govgrid_bench_dashboard")
REDIS_URL = os.environ.get("GOVGRID_BENCH_DASHBOARD_REDIS_URL", "redis://127.0.0.1:6379/8")
COUNTY = "150521000000"
TOWNSHIP = "150521100000"  # 保康镇: the township-sized box at zoom 13
READER = "county.staff"
DEMO_CASES = 15000
MARKER_TABLE = "bench_dashboard_load"
CST = dt.timezone(dt.timedelta(hours=8))


# ---- the database ------------------------------------------------------------------------

def recreate(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def loaded(url: str, cases: int) -> tuple[dt.datetime, float] | None:
    """The history's end and load time if the database holds a finished load of `cases`."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"))
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                              {"n": parsed.database}).first()
    admin.dispose()
    if not exists:
        return None
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            row = conn.execute(text(
                f"SELECT end_at, seconds FROM {MARKER_TABLE} WHERE cases = :n"),
                {"n": cases}).first()
    except ProgrammingError:  # no marker table: the load never finished
        row = None
    engine.dispose()
    return (row.end_at, row.seconds) if row else None


def load(url: str, cases: int, end: dt.datetime) -> float:
    """Recreate and fill the bench database; the seconds it took."""
    import psycopg2
    from flask_migrate import upgrade

    from govgrid import create_app
    from govgrid.cases.categories import seed_categories
    from govgrid.demo.boundaries import generate
    from govgrid.demo.history_loader import load_history
    from govgrid.demo.loader import load_county
    from govgrid.demo.mediators import load_demo_mediators
    from govgrid.demo.users import load_demo_users

    started = time.perf_counter()
    recreate(url)
    app = create_app()
    with app.app_context():
        upgrade()
        county = generate()
        load_county(county)
        load_demo_users()
        load_demo_mediators()
        seed_categories()
        result = load_history(COUNTY, n=min(DEMO_CASES, cases), end=end)
        assert result.loaded, result.reason
    demo = time.perf_counter() - started
    print(f"load: demo county and {min(DEMO_CASES, cases):,}-case history "
          f"(state machine) {demo:.0f} s")
    parsed = make_url(url)
    conn = psycopg2.connect(host=parsed.host, port=parsed.port, user=parsed.username,
                            password=parsed.password, dbname=parsed.database)
    step = time.perf_counter()
    added = add_cases(conn, COUNTY, cases, end, log=print)
    print(f"load: {added:,} synthetic cases in SQL {time.perf_counter() - step:.0f} s")
    step = time.perf_counter()
    conn.autocommit = True
    cursor = conn.cursor()
    cursor.execute("VACUUM (ANALYZE) cases, case_events")
    print(f"load: VACUUM ANALYZE {time.perf_counter() - step:.0f} s")
    seconds = time.perf_counter() - started
    cursor.execute(f"CREATE TABLE {MARKER_TABLE} (cases int, end_at timestamptz, "
                   "seconds float)")
    cursor.execute(f"INSERT INTO {MARKER_TABLE} VALUES (%s, %s, %s)", (cases, end, seconds))
    conn.close()
    return seconds


def history_end() -> dt.datetime:
    """The most recent midnight in China Standard Time (as `flask demo load` does)."""
    return dt.datetime.now(CST).replace(hour=0, minute=0, second=0, microsecond=0)


# ---- the machine -------------------------------------------------------------------------

def machine(app: Any) -> str:
    from govgrid.extensions import db

    cpu = "?"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = found.group(1).strip() if found else cpu
    ram = "?"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"^MemTotal:\s*(\d+) kB", meminfo.read_text(), re.MULTILINE)
        ram = f"{int(found.group(1)) / 2**20:.0f} GB" if found else ram
    with app.app_context():
        pg = db.session.execute(text("SHOW server_version")).scalar_one()
        postgis = db.session.execute(text("SELECT postgis_lib_version()")).scalar_one()
        buffers = db.session.execute(text("SHOW shared_buffers")).scalar_one()
    return (f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), "
            f"{ram} RAM, PostgreSQL {pg.split()[0]} (shared_buffers {buffers}) + PostGIS "
            f"{postgis}, Python {platform.python_version()}")


# ---- measuring ---------------------------------------------------------------------------

def login(app: Any) -> Any:
    client = app.test_client()
    response = client.post("/api/v1/session", json={
        "username": READER, "password": "govgrid2026", "token_name": "bench-dashboard"})
    assert response.status_code == 201, response.get_json()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {response.get_json()['token']}"
    return client


def periods(end: dt.datetime) -> list[tuple[str, dt.date, dt.date]]:
    """Month, quarter, year: whole months ending with the last whole month of the history."""
    last = end.astimezone(CST).date().replace(day=1) - dt.timedelta(days=1)

    def back(months: int) -> dt.date:
        month = last.month - months + 1
        year = last.year + (month - 1) // 12
        return dt.date(year, (month - 1) % 12 + 1, 1)

    return [("month", back(1), last), ("quarter", back(3), last), ("year", back(12), last)]


def township_bbox(app: Any) -> str:
    from govgrid.extensions import db

    with app.app_context():
        box = db.session.execute(text(
            "SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM (SELECT "
            "ST_Envelope(boundary) AS b FROM units WHERE code = :c) s"), {"c": TOWNSHIP}).one()
    return ",".join(f"{v:.4f}" for v in box)


def targets(end: dt.datetime, bbox: str) -> list[tuple[str, str, str]]:
    """(endpoint label, period label, URL) for every measured request."""
    out = []
    for name, first, last in periods(end):
        span = f"unit={COUNTY}&from={first}&to={last}"
        out += [
            ("KPI county", name, f"/api/v1/stats/indicators?{span}"),
            ("map county z11", name, f"/api/v1/stats/grid-cells?{span}&zoom=11"),
            ("map 保康镇 z13", name, f"/api/v1/stats/grid-cells?{span}&zoom=13&bbox={bbox}"),
        ]
    return out


def size_of(body: dict[str, Any] | None) -> int:
    """Cases in the period (KPI), features (map) or rows (scorecards): what the answer is
    about; 0 for a file (xlsx)."""
    if body is None:
        return 0
    if "features" in body:
        return len(body["features"])
    if "rows" in body:
        return len(body["rows"])
    return int(body["counts"]["reported"])


def measure(client: Any, url: str, runs: int, warmup: int,
            budget: float) -> tuple[list[float], int, int]:
    """`runs` timed requests after `warmup` untimed ones; fewer (at least 3) when they would
    take longer than `budget` seconds, and one warm-up when a request takes over a tenth of
    it."""
    def get() -> tuple[float, Any]:
        started = time.perf_counter()
        response = client.get(url)
        took = time.perf_counter() - started
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
        return took, response

    first, response = get()
    for _ in range(warmup - 1 if first < budget / 10 else 0):
        get()
    times: list[float] = []
    while len(times) < runs and (len(times) < 3 or sum(times) + times[-1] <= budget):
        took, response = get()
        times.append(took)
    return times, size_of(response.get_json()), len(response.get_data())


def quantile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def table(title: str, client: Any, urls: list[tuple[str, str, str]], runs: int,
          warmup: int, budget: float) -> None:
    print(f"\n{title} ({runs} runs each, or as many as fit in {budget:.0f} s, at least 3; "
          f"after {warmup} warm-up)", flush=True)
    print(f"{'endpoint':<18} {'period':<8} {'runs':>4} {'p50 ms':>9} {'p95 ms':>9} "
          f"{'cases/features':>15} {'KB':>8}")
    for endpoint, period, url in urls:
        times, size, length = measure(client, url, runs, warmup, budget)
        print(f"{endpoint:<18} {period:<8} {len(times):4} {quantile(times, 50) * 1e3:9.1f} "
              f"{quantile(times, 95) * 1e3:9.1f} {size:15,} {length / 1024:8.1f}", flush=True)


# ---- plans -------------------------------------------------------------------------------

STATEMENTS: dict[str, Callable[[str], bool]] = {
    "case counts (stats/counts.py case_counts)":
        lambda s: ("FROM cases" in s and "count(*) FILTER" in s and "case_events" not in s
                   and "json_agg" not in s),
    "follow-up visits (stats/counts.py visit_counts)":
        lambda s: "FROM case_events" in s and "count(*) FILTER" in s,
    "choropleth (stats/choropleth.py grid_cells)": lambda s: "json_agg" in s,
}


def capture(app: Any, client: Any, url: str) -> list[tuple[str, Any]]:
    """Every statement (with its parameters) one request sends."""
    from govgrid.extensions import db

    with app.app_context():
        engine = db.engine
    sent: list[tuple[str, Any]] = []

    def listener(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return sent


def explain(app: Any, sent: list[tuple[str, Any]]) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) the main statements of a request, each in a transaction
    with the jurisdiction settings the request had when it sent it (the last set_config
    before it, replayed first)."""
    from govgrid.extensions import db

    with app.app_context():
        raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for label, matches in STATEMENTS.items():
            index = next((i for i, (s, _p) in enumerate(sent) if matches(s)), None)
            if index is None:
                continue
            scope = next((sent[i] for i in range(index, -1, -1)
                          if "set_config('govgrid.scope_path'" in sent[i][0]), None)
            if scope:
                cursor.execute(*scope)
            statement, parameters = sent[index]
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            print(f"\n-- {label}")
            for line in summarise([row[0] for row in cursor.fetchall()]):
                print("   " + line)
            raw.rollback()
    finally:
        raw.close()


KEEP = re.compile(r"(->|^\S|Buffers:|Index Cond|Recheck Cond|Rows Removed|Heap Blocks|"
                  r"Planning Time|Execution Time|Workers)")


def summarise(plan: list[str]) -> list[str]:
    """The plan's nodes with their timing, buffers and index conditions (filters, which
    repeat the jurisdiction rule at length, are cut short)."""
    out = []
    for line in plan:
        if KEEP.search(line.strip()) or not line.startswith(" "):
            out.append(line if len(line) <= 160 else line[:157] + "...")
    return out


# ---- main --------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database if it already holds a load of --cases")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--budget", type=float, default=300.0,
                        help="seconds of timed requests per row of the table at most")
    args = parser.parse_args()
    os.environ["GOVGRID_DATABASE_URL"] = BENCH_URL
    os.environ["GOVGRID_REDIS_URL"] = REDIS_URL

    found = loaded(BENCH_URL, args.cases) if args.reuse else None
    if found:
        end, seconds = found
        print(f"reusing {make_url(BENCH_URL).database}: {args.cases:,} cases, loaded earlier "
              f"in {seconds:.0f} s")
    else:
        end = history_end()
        seconds = load(BENCH_URL, args.cases, end)
        print(f"loaded {args.cases:,} cases in {seconds:.0f} s")

    from govgrid import create_app
    from govgrid.extensions import db, redis_client

    cold_app = create_app({"STATS_CACHE_SECONDS": 0})
    warm_app = create_app({"STATS_CACHE_SECONDS": 3600})
    print(f"machine: {machine(cold_app)}")
    with cold_app.app_context():
        counts = db.session.execute(text(
            "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM case_events), "
            "(SELECT count(*) FROM case_events WHERE action = 'follow_up'), "
            "(SELECT min(reported_at) FROM cases), (SELECT max(reported_at) FROM cases), "
            "pg_size_pretty(pg_total_relation_size('cases')), "
            "pg_size_pretty(pg_total_relation_size('case_events'))")).one()
    print(f"data: {counts[0]:,} cases ({counts[5]} with indexes), {counts[1]:,} timeline rows "
          f"({counts[2]:,} follow-up visits; {counts[6]}), reported "
          f"{counts[3]:%Y-%m-%d} to {counts[4]:%Y-%m-%d}; history ends "
          f"{end.astimezone(CST):%Y-%m-%d %H:%M %z}")
    bbox = township_bbox(cold_app)
    urls = targets(end, bbox)
    for name, first, last in periods(end):
        print(f"period {name}: {first} to {last}")

    table("statistics cache off (every request computes)", login(cold_app), urls, args.runs,
          args.warmup, args.budget)
    with warm_app.app_context():
        for key in redis_client.connection.scan_iter("govgrid:stats:*"):
            redis_client.connection.delete(key)
    table("statistics cache on (Redis hits; the first request filled it)", login(warm_app),
          urls, args.runs, max(args.warmup, 1), args.budget)

    print("\nEXPLAIN (ANALYZE, BUFFERS), one year, the whole county, as the endpoints send it:")
    client = login(cold_app)
    year = [u for e, p, u in urls if p == "year" and "z13" not in e]
    for url in year:
        explain(cold_app, capture(cold_app, client, url))


if __name__ == "__main__":
    main()
