#!/usr/bin/env python
"""Assessment scorecards at scale: how long the scorecard of a county's 21 townships takes
for a month, a quarter and a year over a county with 1,000,000 cases, for county staff and
for a township centre (whose rank is among all the townships, so all are scored), and the
annual assessment table as xlsx.

Uses the dashboard benchmark's database (scripts/bench/dashboard.py: the demo county, its
history through the state machine, synthetic copies in SQL up to --cases; loaded once and
reused with --reuse) migrated to the current schema, and its machine description. Requests
go through the Flask test client with bearer tokens; scorecards are not cached, so every
request computes. Warm-up requests are not counted.

    .venv/bin/python scripts/bench/assessment.py [--cases 1000000] [--reuse] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from typing import Any

from dashboard import (
    BENCH_URL,
    CST,
    REDIS_URL,
    history_end,
    load,
    loaded,
    machine,
    measure,
    quantile,
)
from sqlalchemy.engine import make_url

READERS = (("county staff", "county.staff"), ("township centre", "baokang.dispatcher"))


def login(app: Any, username: str) -> Any:
    client = app.test_client()
    response = client.post("/api/v1/session", json={
        "username": username, "password": "govgrid2026", "token_name": "bench-assessment"})
    assert response.status_code == 201, response.get_json()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {response.get_json()['token']}"
    return client


def named_periods(end: dt.datetime) -> list[tuple[str, str]]:
    """The last whole month, its quarter and its year, as the scorecard API names them."""
    last = end.astimezone(CST).date().replace(day=1) - dt.timedelta(days=1)
    quarter = (last.month - 1) // 3 + 1
    return [("month", f"{last:%Y-%m}"), ("quarter", f"{last.year}-Q{quarter}"),
            ("year", str(last.year))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database if it already holds a load of --cases")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--budget", type=float, default=120.0)
    args = parser.parse_args()
    os.environ["GOVGRID_DATABASE_URL"] = BENCH_URL
    os.environ["GOVGRID_REDIS_URL"] = REDIS_URL

    found = loaded(BENCH_URL, args.cases) if args.reuse else None
    end = found[0] if found else history_end()
    if found:
        print(f"reusing {make_url(BENCH_URL).database}: {args.cases:,} cases")
    else:
        print(f"loaded {args.cases:,} cases in {load(BENCH_URL, args.cases, end):.0f} s")

    from flask_migrate import upgrade

    from govgrid import create_app

    app = create_app({"STATS_CACHE_SECONDS": 0})
    with app.app_context():
        upgrade()  # a database loaded before the assessment tables existed
    print(f"machine: {machine(app)}")
    print(f"\nscorecards, every request computes ({args.runs} runs each after 1 warm-up)")
    print(f"{'reader':<16} {'period':<8} {'runs':>4} {'p50 ms':>9} {'p95 ms':>9} {'rows':>5}")
    for who, username in READERS:
        client = login(app, username)
        for kind, name in named_periods(end):
            url = f"/api/v1/assessment/scorecards?period={name}"
            times, _, _ = measure(client, url, args.runs, 1, args.budget)
            rows = len(client.get(url).get_json()["rows"])
            print(f"{who:<16} {kind:<8} {len(times):4} {quantile(times, 50) * 1e3:9.1f} "
                  f"{quantile(times, 95) * 1e3:9.1f} {rows:5}", flush=True)
    client = login(app, "county.staff")
    year = named_periods(end)[-1][1]
    url = f"/api/v1/assessment/annual-table?year={year}&format=xlsx"
    times, _, _ = measure(client, url, max(3, args.runs // 2), 1, args.budget)
    print(f"\nannual table {year} as xlsx: p50 {quantile(times, 50) * 1e3:.1f} ms "
          f"({len(times)} runs)")


if __name__ == "__main__":
    main()
