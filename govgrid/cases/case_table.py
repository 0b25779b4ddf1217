"""A case list as an export table (exports/table.py): the columns, with headers in the
reader's language, one ORM statement that brings every case with its category and the names
of its places, and the rows read from it in batches on a server-side cursor.

Jurisdiction: the statement is `queries.filtered()` (an ORM select of Case), so the scoping
hook limits it like the case list. The category and unit names are read from the tables, not
the mapped classes, so the hook's rules do not apply to them: a village keeps the name of the
township centre now holding its case, as the case page shows it (case_page.py reads those
names unscoped too). Which cases are listed is decided by the Case rule alone.

No personal data: parties (names, ID numbers, phones, addresses) live in case_parties, which
is never joined; the free-text description and the address are left out as well, since they
often name the parties. What is exported is what the case list shows, minus those.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, cast, select

from ..auth.labels import LEVEL_LABELS
from ..exports.table import Column, Table
from ..extensions import db
from ..geo.models import GridCell, Unit
from . import queries
from .case_page import DEADLINE_LABELS, SEVERITY_LABELS
from .deadlines import deadline_state
from .messages import OUTCOME_LABELS, SOURCE_LABELS, STATE_LABELS
from .models import Case, Category

# Rows fetched from the server-side cursor at a time: large enough that round trips do not
# dominate, small enough that a 200,000-row export never holds more than this in memory.
BATCH_ROWS = 2000

TITLE = _l("Case list")


def _name(table: Any, key: Any, label: str, column: str = "name") -> Any:
    """The name of the row of `table` that `key` points at, as a correlated scalar subquery
    on its primary key. A table, not a mapped class: see the module docstring.

    Not joins: the planner cannot estimate the jurisdiction rule (it compares columns with
    current_setting()), guesses a hundred rows where there are thousands, and joins the
    unit tables by nested loops over a full scan of each; 15,000 cases took 7 s that way.
    Primary-key probes per row cost the same whatever the estimate (under a second)."""
    alias = table.alias(f"export_{label}")
    return select(alias.c[column]).where(alias.c.id == key).scalar_subquery().label(label)


_UNITS, _CELLS, _CATEGORIES = Unit.__table__, GridCell.__table__, Category.__table__

_SELECTED = (
    # As text from the database: parsing 200,000 UUIDs only to print them again costs seconds.
    cast(Case.id, String).label("id"), Case.title, Case.severity, Case.state, Case.source,
    _name(_UNITS, Case.county_id, "county"), _name(_UNITS, Case.township_id, "township"),
    _name(_UNITS, Case.village_id, "village"), _name(_CELLS, Case.grid_cell_id, "cell"),
    _name(_UNITS, Case.owner_unit_id, "owner"), Case.owner_level, Case.reported_at,
    Case.accepted_at, Case.due_soon_at, Case.due_at, Case.resolved_at, Case.outcome,
    Case.is_urgent, Case.rebound_count, Case.escalation_count, Case.people_involved,
    Case.amount_involved,
)
# The dictionary names each category in Chinese and in English: the reader's is selected.
_CATEGORY = {"zh": _name(_CATEGORIES, Case.category_id, "category"),
             "en": _name(_CATEGORIES, Case.category_id, "category", column="name_en")}

# (key, header, kind): the headers stay lazy until a table is made for a reader.
_COLUMNS: tuple[tuple[str, Any, str], ...] = (
    ("id", _l("ID"), "text"),
    ("title", _l("Title"), "text"),
    ("category", _l("Category"), "text"),
    ("severity", _l("Severity level"), "text"),
    ("state", _l("State"), "text"),
    ("source", _l("Source"), "text"),
    ("place", _l("Place of occurrence"), "text"),
    ("owner", _l("Holding unit"), "text"),
    ("level", _l("Level"), "text"),
    ("reported_at", _l("Time reported"), "datetime"),
    ("accepted_at", _l("Time accepted"), "datetime"),
    ("due_at", _l("Due by"), "datetime"),
    ("deadline", _l("Deadline status"), "text"),
    ("resolved_at", _l("Time resolved"), "datetime"),
    ("outcome", _l("Outcome"), "text"),
    ("urgent", _l("Major urgent incident"), "text"),
    ("rebounds", _l("Rebounds"), "int"),
    ("escalations", _l("Escalations"), "int"),
    ("people", _l("People involved"), "int"),
    ("amount", _l("Amount involved (yuan)"), "decimal"),
)
# A UUID is 36 characters; measuring it from the rows would give the same, but fixing it keeps
# the sheet the same however few rows there are.
_WIDTHS = {"id": 38.0}


@dataclass(frozen=True)
class Labels:
    """Every word a row may hold, translated once for the table rather than once per cell."""

    state: Mapping[Any, str]
    severity: Mapping[Any, str]
    source: Mapping[Any, str]
    outcome: Mapping[Any, str]
    level: Mapping[str, str]
    deadline: Mapping[Any, str]
    yes: str
    no: str
    english_categories: bool  # the dictionary has each name in Chinese and in English

    @classmethod
    def current(cls) -> Labels:
        """In the language of the current request."""
        def plain(labels: Mapping[Any, Any]) -> dict[Any, str]:
            return {key: str(text) for key, text in labels.items()}
        return cls(state=plain(STATE_LABELS), severity=plain(SEVERITY_LABELS),
                   source=plain(SOURCE_LABELS), outcome=plain(OUTCOME_LABELS),
                   level=plain(LEVEL_LABELS), deadline=plain(DEADLINE_LABELS),
                   yes=str(_l("Yes")), no=str(_l("No")),
                   english_categories=in_english())


def in_english() -> bool:
    """Whether the reader reads English (categories have a Chinese and an English name)."""
    locale = get_locale()
    return locale is not None and locale.language == "en"


def columns() -> list[Column]:
    return [Column(key, str(header), kind, _WIDTHS.get(key))  # type: ignore[arg-type]
            for key, header, kind in _COLUMNS]


def statement(args: Mapping[str, Any], english: bool = False) -> Select:
    """The filtered case list (the same filters and order as GET /cases) with the export's
    columns, every name read in the same statement: one query whatever the row count."""
    order = queries.ORDERS[args.get("sort", "-reported_at")]
    return (
        queries.filtered(dict(args))
        .with_only_columns(*_SELECTED, _CATEGORY["en" if english else "zh"])
        .order_by(*order)
    )


def case_table(args: Mapping[str, Any], now: dt.datetime, notes: list[str]) -> Table:
    """The table of the cases `args` select, its rows read only when a writer iterates them
    (one statement, fetched BATCH_ROWS at a time). `now` decides 期限状态, as the list does."""
    labels = Labels.current()
    return Table(title=str(TITLE), columns=columns(),
                 rows=_rows(statement(args, labels.english_categories), labels, now),
                 notes=notes)


def _rows(stmt: Select, labels: Labels, now: dt.datetime) -> Iterator[dict[str, Any]]:
    # yield_per streams from a server-side cursor (psycopg2 named cursor): memory stays at one
    # batch however many rows the export has.
    result = db.session.execute(stmt.execution_options(yield_per=BATCH_ROWS))
    try:
        for row in result:
            yield row_values(row, labels, now)
    finally:
        result.close()  # also when the client went away mid-download


def row_values(row: Any, labels: Labels, now: dt.datetime) -> dict[str, Any]:
    """One exported row from one selected row (pure)."""
    deadline = deadline_state(now, row.state, row.due_soon_at, row.due_at)
    places = [name for name in (row.township, row.village, row.cell) if name]
    return {
        "id": row.id,
        "title": row.title,
        "category": row.category,
        "severity": labels.severity.get(row.severity, row.severity),
        "state": labels.state.get(row.state, row.state),
        "source": labels.source.get(row.source, row.source),
        # Where it happened, from the township down; a case placed at the county itself
        # (reported by unit only) reads as the county.
        "place": "/".join(places) or row.county,
        "owner": row.owner,
        "level": labels.level.get(row.owner_level.value, row.owner_level.value),
        "reported_at": row.reported_at,
        "accepted_at": row.accepted_at,
        # Only a running clock's due time, as the list sorts by it: a finished case keeps
        # the last one it had, which would read as a deadline still to meet.
        "due_at": row.due_at if deadline is not None else None,
        "deadline": labels.deadline[deadline] if deadline is not None else None,
        "resolved_at": row.resolved_at,
        "outcome": labels.outcome.get(row.outcome, row.outcome) if row.outcome else None,
        "urgent": labels.yes if row.is_urgent else labels.no,
        "rebounds": row.rebound_count,
        "escalations": row.escalation_count,
        "people": row.people_involved,
        "amount": row.amount_involved,
    }
