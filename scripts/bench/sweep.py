#!/usr/bin/env python
"""The deadline sweep over a realistic county: the demo history (default 15,000 cases over a
year, its open ones with running clocks, many overdue) swept at the history's end.

Prints, for each sweep until nothing is left to claim, its duration, what it claimed and how
many SQL statements it sent; then the steady state (nothing new: what every minute costs).
Uses its own database (govgrid_bench_sweep, recreated each run):
    .venv/bin/python scripts/bench/sweep.py [--cases 15000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import time

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

BENCH_URL = os.environ.get("GOVGRID_BENCH_SWEEP_DATABASE_URL",
                           "postgresql+psycopg2://postgres@127.0.0.1:5432/govgrid_bench_sweep")


def recreate(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=15000)
    args = parser.parse_args()
    recreate(BENCH_URL)
    os.environ["GOVGRID_DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("GOVGRID_REDIS_URL", "redis://127.0.0.1:6379/11")
    from flask_migrate import upgrade

    from govgrid import create_app
    from govgrid.cases.categories import seed_categories
    from govgrid.demo.boundaries import generate
    from govgrid.demo.history_loader import load_history
    from govgrid.demo.loader import load_county
    from govgrid.demo.mediators import load_demo_mediators
    from govgrid.demo.users import load_demo_users
    from govgrid.extensions import db
    from govgrid.sla.sweeps import sweep_deadlines

    end = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    app = create_app()
    with app.app_context():
        upgrade()
        county = generate()
        load_county(county)
        load_demo_users()
        load_demo_mediators()
        seed_categories()
        load_history(county.units[0].code, n=args.cases, end=end)
        open_clocks = db.session.execute(text(
            "SELECT count(*) FILTER (WHERE due_soon_at <= :t), count(*) FILTER (WHERE due_at"
            " <= :t) FROM cases WHERE state IN ('reported','accepted','mediating','resolved')"
        ), {"t": end}).one()
        engine = db.engine
    statements = [0]

    @event.listens_for(engine, "before_cursor_execute")
    def count(*_: object) -> None:
        statements[0] += 1

    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    print(f"history: {args.cases:,} cases; at its end {open_clocks[0]:,} open cases are due "
          f"soon or overdue, {open_clocks[1]:,} of them overdue")
    moment = end.isoformat()
    run = 0
    while True:
        run += 1
        statements[0] = 0
        started = time.perf_counter()
        with app.app_context():
            counts = sweep_deadlines(now=moment)
        took = time.perf_counter() - started
        print(f"sweep {run}: {took * 1000:8.0f} ms  {statements[0]:5d} statements  {counts}")
        if not any(counts.values()):
            break
    idle = []
    for _ in range(5):
        statements[0] = 0
        started = time.perf_counter()
        with app.app_context():
            sweep_deadlines(now=moment)
        idle.append(time.perf_counter() - started)
    print(f"steady state (nothing new): p50 {statistics.median(idle) * 1000:.0f} ms, "
          f"{statements[0]} statements per sweep")


if __name__ == "__main__":
    main()
