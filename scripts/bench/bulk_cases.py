"""A million synthetic cases for benchmarks, made in SQL from the demo history.

Playing a million cases through the state machine (govgrid.demo.history) would take hours,
so the demo history (15,000 cases over a year, played through the real state machine and
loaded by history_loader) serves as templates, and every synthetic case is a copy of them
made by one INSERT … SELECT:

- where and what (cell, village, township, path, category, severity, urgency, source, title,
  reporter) come from a template drawn at random, so the demo's spatial model (households
  and hot spots) and seasons carry over; the point is a fresh random point inside the same
  grid cell (a pool of ST_GeneratePoints per cell);
- when: the template's report moment moved back 0, 1 or 2 years of 52 weeks (same season,
  same weekday; three years in all) plus up to ±1.5 days;
- how it went (state, outcome, owner level, resolved_late, rebound and escalation counts,
  every timestamp, the timeline rows — follow-up visits included) come from the same
  template, shifted in time with it; a copy moved a year or more back takes its fate from a
  random template old enough to have settled (over 120 days, or finished), since a case of
  last year is not still waiting for acceptance. Nothing ends after the history's end.

Parties, mediation sessions and assignments are not copied (the dashboard does not read
them). Secondary indexes of cases and case_events are dropped for the load and rebuilt
after it (how bulk loads are done), foreign-key triggers are skipped (the rows are copies of
rows already checked), then VACUUM ANALYZE leaves the tables as a long-running database's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from govgrid.demo.history_loader import CASE_COLUMNS as HISTORY_CASE_COLUMNS

# The workflow's open states (stats.predicates.OPEN_STATES): a template in one of them and
# younger than SETTLED_DAYS has not found its end yet.
OPEN_STATES = ("reported", "accepted", "mediating", "suspended", "resolved", "referred")
SETTLED_DAYS = 120
POINTS_PER_CELL = 200
YEARS = 3
WEEKS_PER_YEAR = 52
TABLES = ("cases", "case_events")

# Every column of a case, as the demo history loads them (one list to keep in step).
CASE_COLUMNS = HISTORY_CASE_COLUMNS
# Per column: where the synthetic value comes from (t: the place-and-matter template,
# f: the fate template, s: the draw; shifted timestamps move by s.shift).
_SHIFTED = ("occurred_at", "reported_at", "accepted_at", "due_started_at", "due_soon_at",
            "due_at", "resolved_at", "closed_at", "archived_at", "updated_at")
_FROM_T = ("county_id", "township_id", "village_id", "grid_cell_id", "location_path",
           "accuracy_m", "address", "category_id", "severity", "is_urgent", "source", "title",
           "description", "people_involved", "amount_involved", "reporter_id")
_FROM_F = ("owner_level", "state", "version", "handler_id", "outcome", "referral_route",
           "referral_receiver", "extended", "rebound_count", "escalation_count",
           "resolved_late")


def _case_select() -> str:
    exprs = []
    for column in CASE_COLUMNS:
        if column in _SHIFTED:
            exprs.append(f"f.{column} + s.shift")
        elif column in _FROM_T:
            exprs.append(f"t.{column}")
        elif column in _FROM_F:
            exprs.append(f"f.{column}")
        elif column == "id":
            exprs.append("s.id")
        elif column == "point":
            exprs.append("p.geom")
        elif column == "owner_unit_id":  # the unit at the owner level above the new place
            exprs.append("CASE f.owner_level WHEN 'village' THEN t.village_id "
                         "WHEN 'township' THEN t.township_id ELSE t.county_id END")
        elif column == "duplicate_of_id":
            exprs.append("NULL")  # merged copies point nowhere: never read by statistics
        elif column == "created_at":
            exprs.append("f.reported_at + s.shift")
        else:  # pragma: no cover - a new column must be placed above
            raise ValueError(column)
    return ", ".join(exprs)


def _drop_indexes(cursor: Any) -> list[str]:
    """Drop the secondary indexes of the bulk tables; their definitions to rebuild them."""
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) "
        "AND i.schemaname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
        "WHERE c.conname = i.indexname)", (list(TABLES),))
    rows = cursor.fetchall()
    for name, _definition in rows:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in rows]


def add_cases(connection: Any, county_code: str, total: int, end: dt.datetime,
              seed: float = 0.150521, log: Any = print) -> int:
    """Add synthetic cases until the county has `total` (one transaction, committed here).
    `connection` is a psycopg2 connection; returns the number of cases added."""
    cursor = connection.cursor()
    cursor.execute("SELECT id FROM units WHERE code = %s", (county_code,))
    county_id = cursor.fetchone()[0]
    cursor.execute("SELECT count(*) FROM cases WHERE county_id = %s", (county_id,))
    have = cursor.fetchone()[0]
    wanted = total - have
    if wanted <= 0:
        return 0
    cursor.execute("SET LOCAL session_replication_role = replica")  # no FK triggers
    cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
    cursor.execute("SET LOCAL work_mem = '256MB'")
    cursor.execute("SELECT setseed(%s)", (seed,))
    cursor.execute(
        "CREATE TEMP TABLE tpl ON COMMIT DROP AS "
        "SELECT row_number() OVER (ORDER BY c.reported_at, c.id)::int AS n, c.*, "
        "greatest(c.reported_at, c.accepted_at, c.resolved_at, c.closed_at, c.archived_at, "
        "c.due_started_at, (SELECT max(e.at) FROM case_events e WHERE e.case_id = c.id)) "
        "AS last_at, (c.state::text <> ALL(%s) OR c.reported_at < %s - make_interval("
        "days => %s)) AS settled FROM cases c WHERE c.county_id = %s",
        (list(OPEN_STATES), end, SETTLED_DAYS, county_id))
    cursor.execute("CREATE TEMP TABLE settled ON COMMIT DROP AS SELECT row_number() OVER "
                   "(ORDER BY n)::int AS m, n FROM tpl WHERE settled")
    cursor.execute("SELECT count(*) FROM tpl")
    templates = cursor.fetchone()[0]
    cursor.execute("SELECT count(*) FROM settled")
    settled = cursor.fetchone()[0]
    cursor.execute(
        "CREATE TEMP TABLE pool ON COMMIT DROP AS SELECT g.id AS cell_id, "
        "(d.path[1] - 1) AS k, d.geom FROM grid_cells g, "
        "ST_Dump(ST_GeneratePoints(g.boundary, %s, g.id)) d WHERE g.county_id = %s",
        (POINTS_PER_CELL, county_id))
    cursor.execute("CREATE INDEX ON pool (cell_id, k)")
    log(f"  templates: {templates:,} demo cases ({settled:,} settled); "
        f"{POINTS_PER_CELL} points per grid cell")
    # The draws, then each synthetic case's id, templates and time shift.
    cursor.execute(
        "CREATE TEMP TABLE syn ON COMMIT DROP AS "
        "WITH d AS (SELECT 1 + floor(random() * %(templates)s)::int AS t_n, "
        "  floor(random() * %(years)s)::int AS k, (random() - 0.5) * 3 AS jitter, "
        "  1 + floor(random() * %(settled)s)::int AS m, "
        "  floor(random() * %(points)s)::int AS pk FROM generate_series(1, %(wanted)s)), "
        "p AS (SELECT d.*, CASE WHEN d.k > 0 AND NOT t.settled THEN s.n ELSE d.t_n END AS f_n,"
        "  t.reported_at - make_interval(weeks => d.k * %(weeks)s) "
        "  + d.jitter * interval '1 day' AS target FROM d JOIN tpl t ON t.n = d.t_n "
        "  JOIN settled s ON s.m = d.m) "
        "SELECT gen_random_uuid() AS id, p.t_n, p.f_n, p.pk, "
        "  least(p.target - f.reported_at, %(end)s - f.last_at) AS shift "
        "FROM p JOIN tpl f ON f.n = p.f_n",
        {"templates": templates, "years": YEARS, "settled": settled,
         "points": POINTS_PER_CELL, "wanted": wanted, "weeks": WEEKS_PER_YEAR, "end": end})
    definitions = _drop_indexes(cursor)
    log(f"  dropped {len(definitions)} secondary indexes for the load")
    columns = ", ".join(CASE_COLUMNS)
    cursor.execute(
        f"INSERT INTO cases ({columns}) SELECT {_case_select()} FROM syn s "
        "JOIN tpl t ON t.n = s.t_n JOIN tpl f ON f.n = s.f_n "
        "JOIN pool p ON p.cell_id = t.grid_cell_id AND p.k = s.pk "
        "ORDER BY f.reported_at + s.shift")  # stored in report order, as real cases are
    log(f"  inserted {cursor.rowcount:,} cases")
    cursor.execute(
        "INSERT INTO case_events (county_id, case_id, action, from_state, to_state, actor_id, "
        "actor_unit_id, at, note, payload) SELECT e.county_id, s.id, e.action, e.from_state, "
        "e.to_state, e.actor_id, e.actor_unit_id, e.at + s.shift, e.note, e.payload "
        "FROM syn s JOIN tpl f ON f.n = s.f_n JOIN case_events e ON e.case_id = f.id "
        "ORDER BY e.at + s.shift")
    log(f"  inserted {cursor.rowcount:,} timeline rows")
    for definition in definitions:
        cursor.execute(definition)
    log(f"  rebuilt {len(definitions)} indexes")
    connection.commit()
    return wanted
