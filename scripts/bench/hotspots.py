#!/usr/bin/env python
"""Hot spots at scale: seconds to bin cases per grid cell and month, to build the spatial
weights, to compute Gi* over every monthly slice and to find the trend and emerging pattern
of every cell, for a county of 10,000 grid cells with 1,000,000 cases over 24 months.

What is timed is what the analysis runs (govgrid/analysis): `inputs.monthly_counts` (one SQL
statement: cases per cell and local month), `inputs.contiguity` (one PostGIS self-join:
queen contiguity, and the distance-band option) and `pipeline.hot_spots` with either
weights, split into the time spent in `gi_star` (once per monthly slice) and in
`mann_kendall` + `emerging.category` (the trend and emerging pattern, once per cell) by
wrapping those functions for the run. Each stage is run --runs times (fewer when the runs
exceed --budget) and the median printed with every run's time.

The demo county has only 633 cells, so the benchmark makes its own (own database,
govgrid_bench_hotspots, recreated unless --reuse finds it loaded with the same size):

- the county: a --side × --side lattice (100 × 100) of square-ish cells of 0.006° × 0.0045°
  (about 500 m × 500 m at 41.8° N) built in SQL with generate_series and ST_MakeEnvelope;
  villages are blocks of 5 × 5 cells, townships blocks of 20 × 20 (25 townships and 400
  villages at full size), every unit's boundary the envelope of its block.
- the cases: an intensity per cell and month — a patchy background (towns as broad bumps,
  per-cell noise, a yearly season) plus eighteen hot spots of two to four cells' radius that
  are persistent, intensifying, diminishing, new in the last months, gone in the last
  months, or switching on and off — from which the --cases (1,000,000) are drawn with a
  seeded multinomial (numpy), so every cell-month count is known in advance. One INSERT …
  SELECT then writes them (random point in the cell, random moment in the local month,
  states as a working county's), plus 2 % refused and merged reports that the binning must
  leave out. Secondary indexes are dropped for the load and rebuilt after it
  (bulk_cases.py), then VACUUM ANALYZE. The binned counts are checked against the drawn
  ones.

    .venv/bin/python scripts/bench/hotspots.py [--side 100] [--months 24] \
        [--cases 1000000] [--runs 5] [--distance 1000] [--reuse]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from bulk_cases import _drop_indexes
from dashboard import machine, recreate
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

BENCH_URL = os.environ.get(
    "GOVGRID_BENCH_HOTSPOTS_DATABASE_URL",
    "postgresql+psycopg2://postgres@127.0.0.1:5432/govgrid_bench_hotspots")
REDIS_URL = os.environ.get("GOVGRID_BENCH_HOTSPOTS_REDIS_URL", "redis://127.0.0.1:6379/13")
COUNTY = "150599000000"  # not a real county code: the synthetic lattice county
ORIGIN = (119.5, 41.8)  # lon, lat of the south-west corner
CELL = (0.006, 0.0045)  # degrees: about 500 m × 500 m there
VILLAGE_CELLS = 5  # a village is 5 × 5 cells
TOWNSHIP_CELLS = 20  # a township is 20 × 20 cells (4 × 4 villages)
FIRST_MONTH = dt.date(2024, 12, 1)  # the first local month of the window
EXCLUDED_SHARE = 0.02  # refused and merged reports on top of the counted cases
SEED = 20261202
MARKER_TABLE = "bench_hotspots_load"
LATTICE_TABLE = "bench_hotspots_lattice"  # (i, j) of every cell -> grid_cells.id
# Counted states and their shares (a working county: most cases finished).
STATES = (("closed", 0.55), ("archived", 0.18), ("resolved", 0.07), ("mediating", 0.07),
          ("accepted", 0.05), ("reported", 0.04), ("referred", 0.03), ("suspended", 0.01))

T = TypeVar("T")


@dataclass(frozen=True)
class Size:
    side: int
    months: int
    cases: int

    @property
    def cells(self) -> int:
        return self.side * self.side


def month_starts(first: dt.date, months: int) -> list[dt.date]:
    return [dt.date(first.year + (first.month - 1 + k) // 12, (first.month - 1 + k) % 12 + 1, 1)
            for k in range(months)]


# ---- the synthetic cases ----------------------------------------------------------------

def intensity(side: int, months: int, seed: int = SEED) -> np.ndarray:
    """Expected cases (relative) per cell (row-major over the lattice, i the column, j the
    row: index j * side + i) and month: background, towns, season and hot spots."""
    rng = np.random.default_rng(seed)
    i, j = np.meshgrid(np.arange(side), np.arange(side))
    x, y = i.ravel().astype(float), j.ravel().astype(float)
    t = np.arange(months, dtype=float)
    background = rng.gamma(shape=2.0, scale=0.5, size=x.size)  # mean 1, patchy
    for _ in range(max(1, side // 12)):  # towns: broad bumps of busier cells
        cx, cy = rng.uniform(0, side, 2)
        radius = rng.uniform(0.05, 0.12) * side
        background += rng.uniform(1.0, 3.0) * np.exp(
            -((x - cx) ** 2 + (y - cy) ** 2) / (2 * radius**2))
    season = 1.0 + 0.15 * np.sin(2 * np.pi * (t - 3) / 12)  # busier in summer
    rate = background[:, None] * season[None, :]
    last = months - 1
    shapes: dict[str, Callable[[np.ndarray], np.ndarray]] = {
        "persistent": lambda s: np.ones_like(s),
        "intensifying": lambda s: 0.2 + 1.6 * s / max(last, 1),
        "diminishing": lambda s: 1.8 - 1.6 * s / max(last, 1),
        "new": lambda s: (s >= last - 1).astype(float) * 1.5,
        "historical": lambda s: (s < last - 2).astype(float),
        "oscillating": lambda s: ((s // 3) % 2 == 0).astype(float),
    }
    for k in range(3 * len(shapes)):  # eighteen hot spots, three of each shape
        shape = shapes[list(shapes)[k % len(shapes)]]
        cx, cy = rng.uniform(0.05 * side, 0.95 * side, 2)
        radius = rng.uniform(2.0, 4.0)
        bump = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * radius**2))
        rate += rng.uniform(4.0, 8.0) * bump[:, None] * shape(t)[None, :]
    return rate


def drawn_counts(size: Size, seed: int = SEED) -> np.ndarray:
    """Cases per cell (lattice order) and month: a seeded multinomial of size.cases."""
    rate = intensity(size.side, size.months, seed)
    rng = np.random.default_rng(seed + 1)
    flat = rng.multinomial(size.cases, (rate / rate.sum()).ravel())
    return flat.reshape(rate.shape)


# ---- the database -----------------------------------------------------------------------

def loaded(url: str, size: Size) -> float | None:
    """The load time if the database holds a finished load of this size."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            row = conn.execute(text(
                f"SELECT seconds FROM {MARKER_TABLE} WHERE side = :side AND months = :months "
                "AND cases = :cases AND first_month = :first"),
                {"side": size.side, "months": size.months, "cases": size.cases,
                 "first": FIRST_MONTH}).first()
    except (OperationalError, ProgrammingError):  # no database, or the load never finished
        row = None
    engine.dispose()
    return row.seconds if row else None


def load_lattice(cursor: Any, side: int) -> int:
    """The county, its townships and villages and side × side grid cells, in SQL; the
    county's id. Also the lattice table: each cell's (i, j)."""
    x0, y0 = ORIGIN
    dx, dy = CELL
    per_row = -(-side // TOWNSHIP_CELLS)  # townships per lattice row of townships
    per_village_row = TOWNSHIP_CELLS // VILLAGE_CELLS
    cursor.execute("SELECT nextval(pg_get_serial_sequence('units', 'id'))")
    county_id = cursor.fetchone()[0]
    box = "ST_Multi(ST_MakeEnvelope(%(x0)s + ({i0}) * %(dx)s, %(y0)s + ({j0}) * %(dy)s, " \
          "%(x0)s + ({i1}) * %(dx)s, %(y0)s + ({j1}) * %(dy)s, 4326))"
    params = {"x0": x0, "y0": y0, "dx": dx, "dy": dy, "side": side, "county": county_id,
              "code": COUNTY, "t": TOWNSHIP_CELLS, "v": VILLAGE_CELLS, "per_row": per_row,
              "per_village_row": per_village_row}
    cursor.execute(
        "INSERT INTO units (id, county_id, parent_id, level, code, name, path, boundary, "
        "population, households) VALUES (%(county)s, %(county)s, NULL, 'county', %(code)s, "
        f"'格点县', %(code)s::ltree, {box.format(i0=0, j0=0, i1='%(side)s', j1='%(side)s')}, "
        "%(side)s * %(side)s * 300, %(side)s * %(side)s * 100)", params)
    # Townships: blocks of t × t cells (clipped at the lattice's edge).
    cursor.execute(
        "INSERT INTO units (county_id, parent_id, level, code, name, path, boundary, "
        "population, households) "
        "SELECT %(county)s, %(county)s, 'township', c.code, '第' || (k + 1) || '镇', "
        "(%(code)s || '.' || c.code)::ltree, "
        + box.format(i0="tx * %(t)s", j0="ty * %(t)s", i1="least((tx + 1) * %(t)s, %(side)s)",
                     j1="least((ty + 1) * %(t)s, %(side)s)")
        + ", 0, 0 FROM generate_series(0, %(per_row)s - 1) tx, "
        "generate_series(0, %(per_row)s - 1) ty, LATERAL (SELECT ty * %(per_row)s + tx AS k) "
        "n, LATERAL (SELECT left(%(code)s, 6) || (101 + k)::text || '000' AS code) c", params)
    # Villages: blocks of v × v cells inside their township.
    cursor.execute(
        "INSERT INTO units (county_id, parent_id, level, code, name, path, boundary, "
        "population, households) "
        "SELECT %(county)s, t.id, 'village', c.code, t.name || (k + 1) || '村', "
        "(t.path::text || '.' || c.code)::ltree, "
        + box.format(i0="vx * %(v)s", j0="vy * %(v)s", i1="least((vx + 1) * %(v)s, %(side)s)",
                     j1="least((vy + 1) * %(v)s, %(side)s)")
        + ", 0, 0 FROM generate_series(0, (%(side)s - 1) / %(v)s) vx, "
        "generate_series(0, (%(side)s - 1) / %(v)s) vy, "
        "LATERAL (SELECT (vy * %(v)s / %(t)s) * %(per_row)s + vx * %(v)s / %(t)s AS tk, "
        "  ((vy * %(v)s) %% %(t)s / %(v)s) * %(per_village_row)s "
        "  + (vx * %(v)s) %% %(t)s / %(v)s AS k) n "
        "JOIN units t ON t.code = left(%(code)s, 6) || (101 + n.tk)::text || '000', "
        "LATERAL (SELECT left(t.code, 9) || (201 + k)::text AS code) c", params)
    cursor.execute(
        f"CREATE TABLE {LATTICE_TABLE} (i int, j int, cell_id int, PRIMARY KEY (i, j))")
    cursor.execute(
        "WITH made AS (INSERT INTO grid_cells (county_id, village_id, code, name, kind, path, "
        "boundary, households, population) "
        "SELECT %(county)s, v.id, v.code || lpad((k + 1)::text, 3, '0'), "
        "v.name || (k + 1) || '号网格', 'comprehensive', (v.path::text || '.' || v.code "
        "|| lpad((k + 1)::text, 3, '0'))::ltree, "
        + box.format(i0="i", j0="j", i1="i + 1", j1="j + 1")
        + ", 100, 300 FROM generate_series(0, %(side)s - 1) i, "
        "generate_series(0, %(side)s - 1) j, "
        "LATERAL (SELECT (j / %(t)s) * %(per_row)s + i / %(t)s AS tk, "
        "  (j %% %(t)s / %(v)s) * %(per_village_row)s + i %% %(t)s / %(v)s AS vk, "
        "  (j %% %(v)s) * %(v)s + i %% %(v)s AS k) n "
        "JOIN units v ON v.code = left(%(code)s, 6) || (101 + n.tk)::text || (201 + n.vk)::text "
        "RETURNING id, boundary) "
        f"INSERT INTO {LATTICE_TABLE} SELECT round((ST_XMin(boundary) - %(x0)s) / %(dx)s)::int, "
        "round((ST_YMin(boundary) - %(y0)s) / %(dy)s)::int, id FROM made", params)
    return county_id


def load_cases(cursor: Any, county_id: int, size: Size) -> int:
    """Insert the drawn cases and the refused/merged ones (indexes dropped and rebuilt);
    the number of rows written."""
    counts = drawn_counts(size)
    cell, month = np.nonzero(counts)
    i, j = cell % size.side, cell // size.side
    cursor.execute("SET LOCAL session_replication_role = replica")  # no FK triggers
    cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
    cursor.execute("SET LOCAL work_mem = '256MB'")
    cursor.execute("SELECT setseed(%s)", (SEED % 1000 / 1000,))
    cursor.execute("SELECT id FROM case_categories WHERE parent_id IS NOT NULL ORDER BY code")
    categories = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "CREATE TEMP TABLE drawn ON COMMIT DROP AS SELECT * FROM unnest(%s::int[], %s::int[], "
        "%s::int[], %s::int[], %s::text[]) AS d(i, j, m, n, state)",
        (i.tolist(), j.tolist(), month.tolist(), counts[cell, month].tolist(),
         ["counted"] * len(cell)))
    # The refused and merged reports: anywhere, any time in the window.
    excluded = int(size.cases * EXCLUDED_SHARE)
    cursor.execute(
        "INSERT INTO drawn SELECT floor(random() * %(side)s), floor(random() * %(side)s), "
        "floor(random() * %(months)s), 1, CASE WHEN random() < 0.7 THEN 'rejected' "
        "ELSE 'merged' END FROM generate_series(1, %(n)s)",
        {"side": size.side, "months": size.months, "n": excluded})
    definitions = _drop_indexes(cursor)
    x0, y0 = ORIGIN
    dx, dy = CELL
    thresholds = np.cumsum([share for _state, share in STATES])
    pick = " ".join(f"WHEN r.s < {edge:.4f} THEN '{state}'"
                    for (state, _share), edge in zip(STATES[:-1], thresholds[:-1], strict=True))
    cursor.execute(
        "INSERT INTO cases (id, county_id, township_id, village_id, grid_cell_id, "
        "location_path, owner_unit_id, owner_level, point, category_id, severity, is_urgent, "
        "source, title, description, people_involved, state, version, extended, "
        "rebound_count, escalation_count, occurred_at, reported_at, created_at, updated_at) "
        "SELECT gen_random_uuid(), %(county)s, v.parent_id, v.id, g.id, g.path, v.id, "
        "'village', ST_SetSRID(ST_MakePoint(%(x0)s + (r.i + random()) * %(dx)s, "
        "%(y0)s + (r.j + random()) * %(dy)s), 4326), "
        "(%(categories)s::int[])[1 + floor(random() * %(n_categories)s)::int], "
        "CASE WHEN random() < 0.9 THEN 'general' ELSE 'major' END::severity, "
        "random() < 0.02, 'grid_worker', '网格上报', '', 2, "
        f"(CASE WHEN r.state <> 'counted' THEN r.state ELSE CASE {pick} "
        f"ELSE '{STATES[-1][0]}' END END)::case_state, 1, false, 0, 0, "
        "r.at - interval '3 hours', r.at, r.at, r.at "
        "FROM (SELECT d.i, d.j, d.state, random() AS s, ((make_date(%(year)s, %(month)s, 1) "
        "  + make_interval(months => d.m))::timestamp + random() * ((make_date(%(year)s, "
        "  %(month)s, 1) + make_interval(months => d.m + 1))::timestamp - (make_date("
        "  %(year)s, %(month)s, 1) + make_interval(months => d.m))::timestamp)) "
        "  AT TIME ZONE 'Asia/Shanghai' AS at "
        "  FROM drawn d CROSS JOIN LATERAL generate_series(1, d.n) k OFFSET 0) r "  # one draw
        f"JOIN {LATTICE_TABLE} l ON l.i = r.i AND l.j = r.j "
        "JOIN grid_cells g ON g.id = l.cell_id JOIN units v ON v.id = g.village_id "
        "ORDER BY r.at",  # stored in report order, as real cases are
        {"county": county_id, "x0": x0, "y0": y0, "dx": dx, "dy": dy,
         "categories": categories, "n_categories": len(categories),
         "year": FIRST_MONTH.year, "month": FIRST_MONTH.month})
    written = cursor.rowcount
    for definition in definitions:
        cursor.execute(definition)
    return written


def load(url: str, size: Size) -> float:
    """Recreate and fill the bench database; the seconds it took."""
    import psycopg2
    from flask_migrate import upgrade

    from govgrid import create_app
    from govgrid.cases.categories import seed_categories

    started = time.perf_counter()
    recreate(url)
    app = create_app()
    with app.app_context():
        upgrade()
        seed_categories()
    print(f"load: schema and categories {time.perf_counter() - started:.0f} s", flush=True)
    parsed = make_url(url)
    conn = psycopg2.connect(host=parsed.host, port=parsed.port, user=parsed.username,
                            password=parsed.password, dbname=parsed.database)
    cursor = conn.cursor()
    step = time.perf_counter()
    county_id = load_lattice(cursor, size.side)
    conn.commit()
    cursor.execute("SELECT count(*) FILTER (WHERE level = 'township'), "
                   "count(*) FILTER (WHERE level = 'village'), "
                   "(SELECT count(*) FROM grid_cells) FROM units")
    townships, villages, cells = cursor.fetchone()
    print(f"load: county, {townships} townships, {villages} villages, {cells:,} grid cells "
          f"{time.perf_counter() - step:.1f} s", flush=True)
    step = time.perf_counter()
    written = load_cases(cursor, county_id, size)
    conn.commit()
    print(f"load: {written:,} cases ({size.cases:,} counted, the rest refused or merged), "
          f"indexes rebuilt {time.perf_counter() - step:.0f} s", flush=True)
    step = time.perf_counter()
    conn.autocommit = True
    cursor.execute("VACUUM (ANALYZE) units, grid_cells, cases")
    print(f"load: VACUUM ANALYZE {time.perf_counter() - step:.0f} s", flush=True)
    seconds = time.perf_counter() - started
    cursor.execute(f"CREATE TABLE {MARKER_TABLE} (side int, months int, cases int, "
                   "first_month date, seconds float)")
    cursor.execute(f"INSERT INTO {MARKER_TABLE} VALUES (%s, %s, %s, %s, %s)",
                   (size.side, size.months, size.cases, FIRST_MONTH, seconds))
    conn.close()
    return seconds


# ---- measuring --------------------------------------------------------------------------

def timed(label: str, work: Callable[[], T], runs: int, budget: float) -> T:
    """Run `work` `runs` times (fewer, at least once, when the runs so far exceed `budget`
    seconds); print the median and every run; the last result."""
    times: list[float] = []
    result: Any = None
    while len(times) < runs and (not times or sum(times) <= budget):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    report(label, times)
    return result


def report(label: str, times: list[float]) -> None:
    runs_text = ", ".join(f"{t:.3f}" for t in times)
    print(f"{label:<62} median {statistics.median(times):8.3f} s   runs: {runs_text}",
          flush=True)


def lattice_order(cells: Any, county_id: int) -> np.ndarray:
    """For each row of the analysis's cell order, the cell's index in the lattice order
    (j * side + i) used by drawn_counts."""
    from govgrid.extensions import db

    rows = db.session.execute(text(f"SELECT l.cell_id, l.j, l.i FROM {LATTICE_TABLE} l "
                                   "JOIN grid_cells g ON g.id = l.cell_id "
                                   "WHERE g.county_id = :c"), {"c": county_id}).all()
    side = max(row.i for row in rows) + 1
    where = {row.cell_id: row.j * side + row.i for row in rows}
    return np.array([where[int(cell_id)] for cell_id in cells.ids])


# The functions pipeline.hot_spots calls, by what they are part of: Gi* per slice, and the
# trend and emerging category per cell.
PARTS = {"gi_star": "Gi*", "mann_kendall": "trends", "category": "trends"}


def split_hot_spots(name: str, counts: np.ndarray, weights: Any, runs: int,
                    budget: float) -> Any:
    """Time pipeline.hot_spots --runs times and, within each run, the time spent in the
    functions it calls for Gi* (gi_star, once per slice) and for the trends (mann_kendall
    and category, once per cell), measured by wrapping them for the run; the last result.
    What hot_spots runs is what is timed, split without copying its loop."""
    from govgrid.analysis import pipeline

    totals: list[float] = []
    spent: dict[str, list[float]] = {part: [] for part in PARTS.values()}
    calls: Counter[str] = Counter()
    spots: Any = None
    originals = {function: getattr(pipeline, function) for function in PARTS}

    def wrap(function: str, run_spent: dict[str, float]) -> Callable[..., Any]:
        original = originals[function]

        def timed_call(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                run_spent[PARTS[function]] += time.perf_counter() - started
                calls[function] += 1
        return timed_call

    while len(totals) < runs and (not totals or sum(totals) <= budget):
        run_spent = dict.fromkeys(spent, 0.0)
        calls.clear()
        for function in PARTS:
            setattr(pipeline, function, wrap(function, run_spent))
        try:
            started = time.perf_counter()
            spots = pipeline.hot_spots(counts, weights)
            totals.append(time.perf_counter() - started)
        finally:
            for function, original in originals.items():
                setattr(pipeline, function, original)
        for part, seconds in run_spent.items():
            spent[part].append(seconds)
    described = {"Gi*": f"{calls['gi_star']} slices", "trends": f"{calls['mann_kendall']:,} "
                 "cells (mann_kendall + category)"}
    for part, times in spent.items():
        report(f"{part}: {described[part]}, {name}", times)
    report(f"hot_spots in all, {name}", totals)
    return spots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=100, help="cells per side of the lattice")
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--budget", type=float, default=60.0,
                        help="seconds of runs per stage after which no further run starts")
    parser.add_argument("--distance", type=float, default=1000.0,
                        help="metres of the distance-band weights")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database if it already holds a load of this size")
    args = parser.parse_args()
    size = Size(args.side, args.months, args.cases)
    os.environ["GOVGRID_DATABASE_URL"] = BENCH_URL
    os.environ["GOVGRID_REDIS_URL"] = REDIS_URL

    seconds = loaded(BENCH_URL, size) if args.reuse else None
    if seconds is not None:
        print(f"reusing {make_url(BENCH_URL).database}: {size.cells:,} cells, "
              f"{size.cases:,} cases, loaded earlier in {seconds:.0f} s")
    else:
        seconds = load(BENCH_URL, size)
        print(f"loaded {size.cells:,} cells and {size.cases:,} cases in {seconds:.0f} s")

    from govgrid import create_app
    from govgrid.analysis.inputs import contiguity, county_cells, monthly_counts
    from govgrid.extensions import db

    app = create_app()
    print(f"machine: {machine(app)}")
    months = month_starts(FIRST_MONTH, size.months)
    print(f"window: {months[0]:%Y-%m} to {months[-1]:%Y-%m} ({len(months)} local months); "
          f"{args.runs} runs per stage (fewer past {args.budget:.0f} s)\n")
    runs, budget = args.runs, args.budget
    with app.app_context():
        county_id = db.session.execute(text("SELECT id FROM units WHERE code = :c"),
                                       {"c": COUNTY}).scalar_one()
        cells = timed("cells (county_cells)", lambda: county_cells(county_id), runs, budget)
        counts = timed(f"binning: monthly_counts, {len(months)} months",
                       lambda: monthly_counts(cells, county_id, months), runs, budget)
        queen = timed("weights: contiguity, queen",
                      lambda: contiguity(cells, county_id), runs, budget)
        band = timed(f"weights: contiguity, distance band {args.distance:,.0f} m",
                     lambda: contiguity(cells, county_id, distance_m=args.distance),
                     runs, budget)
        db.session.rollback()
        order = lattice_order(cells, county_id)
    expected = drawn_counts(size)[order]
    assert np.array_equal(counts, expected), "binned counts differ from the drawn ones"
    print(f"  binned {int(counts.sum()):,} cases, the same as drawn in each of the "
          f"{counts.size:,} cell-months")
    for name, weights in (("queen", queen), ("band", band)):
        degree = np.asarray(weights.sum(axis=1)).ravel()
        print(f"  {name}: {weights.nnz:,} links, neighbours per cell {degree.min():.0f}–"
              f"{degree.max():.0f} (mean {degree.mean():.1f})")

    print()
    for name, weights in (("queen", queen), (f"band {args.distance:,.0f} m", band)):
        spots = split_hot_spots(name, counts, weights, runs, budget)
        final = Counter(int(k) for k in spots.klass[:, -1])
        patterns = Counter(f"{'hot' if side > 0 else 'cold'} {pattern}"
                           for pattern, side in zip(spots.patterns, spots.sides, strict=True)
                           if side)
        print(f"  final slice: {sum(v for k, v in final.items() if k > 0):,} hot cells, "
              f"{sum(v for k, v in final.items() if k < 0):,} cold; patterns: "
              + ", ".join(f"{k} {v}" for k, v in patterns.most_common()))

if __name__ == "__main__":
    main()
