"""The counts behind the indicators, aggregated in PostgreSQL: one statement of
`count(*) FILTER (WHERE …)` columns over the cases under a unit (optionally grouped: by child
unit, by grid cell, by month, by category), and one over the follow-up visits. Never a loop
over cases in Python.

Both statements are ORM selects through Case, so the jurisdiction hook scopes
them like every other read: a township user asking about the county gets its township's
numbers, not the county's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal, or_, select

from ..cases.models import Case, Category
from ..cases.workflow import OPEN_STATES
from ..extensions import db
from ..geo.ltree import LTree
from .indicators import SNAPSHOT_COUNTS, VISIT_COUNTS, Count
from .period import Period
from .predicates import (
    EVENTS,
    FOLLOW_UP,
    case_predicates,
    in_period,
    visit_predicates,
)

Counts = dict[Count, int]
# A grouping: given the table's time column, the expression to group by (None: one group).
Grouping = Callable[[ColumnElement[Any]], ColumnElement[Any]] | None

CASE_COUNTS = tuple(c for c in Count if c not in VISIT_COUNTS)


def under(path: str) -> ColumnElement[bool]:
    """Cases that happened at or below the unit with this path (GiST-indexed <@)."""
    return Case.location_path.descendant_of(literal(path, LTree()))


def case_counts(path: str, period: Period, now: dt.datetime, group: Grouping = None,
                snapshot: bool = True) -> dict[Any, Counts]:
    """Case counts under the unit, per group key (None when not grouped). Cohort counts are
    about cases reported in the period; snapshot counts (overdue, urgent open) about every
    open case now, unless `snapshot` is False (trends: a month has no "now")."""
    predicates = case_predicates(now)
    cohort = in_period(Case.reported_at, period.start, period.end)
    columns = []
    for count in CASE_COUNTS:
        if count in SNAPSHOT_COUNTS:
            if not snapshot:
                continue
            condition = predicates[count]
        else:
            condition = and_(cohort, predicates[count])
        columns.append(func.count().filter(condition).label(count.value))
    # Only rows that can count: the cohort, or (for the snapshot counts) the open cases.
    rows_that_count = or_(cohort, Case.state.in_(OPEN_STATES)) if snapshot else cohort
    key = group(Case.reported_at) if group else literal(None)
    query = (select(key.label("key"), *columns).select_from(Case)
             .where(under(path), rows_that_count))
    if group:
        query = query.group_by(key)
    return _collect(query)


def visit_counts(path: str, period: Period, group: Grouping = None) -> dict[Any, Counts]:
    """Follow-up visits made in the period to cases under the unit, per group key."""
    predicates = visit_predicates()
    columns = [func.count().filter(predicates[c]).label(c.value) for c in VISIT_COUNTS]
    key = group(EVENTS.c.at) if group else literal(None)
    # From the timeline table through a scoped Case (predicates.EVENTS says why).
    query = (select(key.label("key"), *columns).select_from(EVENTS)
             .join(Case, Case.id == EVENTS.c.case_id)
             .where(EVENTS.c.action == FOLLOW_UP,
                    in_period(EVENTS.c.at, period.start, period.end), under(path)))
    if group:
        query = query.group_by(key)
    return _collect(query)


def all_counts(path: str, period: Period, now: dt.datetime, group: Grouping = None,
               visit_group: Grouping = None, snapshot: bool = True) -> dict[Any, Counts]:
    """Case and visit counts merged per key (keys with only visits, or only cases, get 0 for
    the others). Two statements whatever the data."""
    merged = case_counts(path, period, now, group, snapshot)
    visits = visit_counts(path, period, visit_group if visit_group else group)
    for key, counts in visits.items():
        merged.setdefault(key, {c: 0 for c in CASE_COUNTS}).update(counts)
    for counts in merged.values():
        for count in VISIT_COUNTS:
            counts.setdefault(count, 0)
    if group is None and None not in merged:
        merged[None] = {c: 0 for c in Count}
    return merged


def _collect(query: Any) -> dict[Any, Counts]:
    out: dict[Any, Counts] = {}
    for row in db.session.execute(query).mappings():
        out[row["key"]] = {Count(name): int(value) for name, value in row.items()
                           if name != "key"}
    return out


# ---- groupings -------------------------------------------------------------------------

def by_column(column: ColumnElement[Any]) -> Grouping:
    """Group by a column of Case (township_id, village_id, grid_cell_id); for visits the same
    column through the join."""
    return lambda _time: column


def by_local_month(zone: str = "Asia/Shanghai") -> Grouping:
    """Group by the calendar month (local time) of the time column: reported_at for cases,
    the visit's time for visits."""
    return lambda time: func.date(func.date_trunc("month", func.timezone(zone, time)))


def by_top_category() -> Grouping:
    """Group by the top-level category (the first two digits of the code)."""
    code = (select(func.substr(Category.code, 1, 2)).where(Category.id == Case.category_id)
            .correlate(Case).scalar_subquery())
    return lambda _time: code
