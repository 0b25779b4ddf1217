"""Load the demo history (history.py) into the database: once, in one transaction, with COPY.

Inputs come from the database itself (grid cells with their boundaries, the category
dictionary, the demo accounts), so every case lies in a cell as stored, whatever seed drew
the county. Rows go in with PostgreSQL COPY on the session's own connection (inside its
transaction): ~200,000 rows in a few seconds where ORM objects would take minutes. Parties'
ID numbers and phones are encrypted, indexed and masked exactly as `cases.parties.build_party`
does. One audit entry, "demo.history", records the load and marks it done; a county that
already has that entry, or any case at all, is left alone (never mix invented history with
real cases).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import shapely
from sqlalchemy import select, text

from ..audit.models import AuditEntry
from ..audit.recorder import record
from ..auth.models import User
from ..auth.roles import Role
from ..auth.scope import unscoped
from ..cases.models import Category
from ..cases.parties import ID_CONTEXT, PHONE_CONTEXT
from ..extensions import db
from ..pii.keys import cipher
from ..pii.masking import mask_id_number, mask_phone
from .history import CategoryInfo, DemoUsers, History, Place, generate_history, summarise

MARKER = "demo.history"
CASE_COLUMNS = (
    "id", "county_id", "township_id", "village_id", "grid_cell_id", "location_path",
    "owner_unit_id", "owner_level", "point", "accuracy_m", "address", "category_id", "severity",
    "is_urgent", "source", "title", "description", "people_involved", "amount_involved",
    "state", "version", "reporter_id", "handler_id", "outcome", "referral_route",
    "referral_receiver", "duplicate_of_id", "extended", "rebound_count", "escalation_count",
    "occurred_at", "reported_at", "accepted_at", "due_started_at", "due_soon_at", "due_at",
    "resolved_at", "resolved_late", "closed_at", "archived_at", "created_at", "updated_at")
EVENT_COLUMNS = ("county_id", "case_id", "action", "from_state", "to_state", "actor_id",
                 "actor_unit_id", "at", "note", "payload")
PARTY_COLUMNS = ("county_id", "case_id", "kind", "role", "name", "id_number_enc",
                 "id_number_index", "id_number_masked", "phone_enc", "phone_index",
                 "phone_masked", "address")
SESSION_COLUMNS = ("county_id", "case_id", "mediator_id", "held_at", "place", "participants",
                   "summary", "result", "created_at")
ASSIGNMENT_COLUMNS = ("county_id", "case_id", "user_id", "kind", "task", "active", "done_at",
                      "created_at")


@dataclass(frozen=True)
class HistoryLoadResult:
    loaded: bool
    reason: str  # why not loaded ("" when loaded)
    summary: dict[str, Any]


# --- inputs from the database -------------------------------------------------------------


def read_places(county_id: int) -> list[Place]:
    rows = db.session.execute(text(
        "SELECT g.id, g.code, g.name, g.kind, g.households, g.path::text AS path, "
        "v.id AS village_id, v.code AS village_code, v.name AS village_name, "
        "t.id AS township_id, t.name AS township_name, ST_AsBinary(g.boundary) AS wkb "
        "FROM grid_cells g JOIN units v ON v.id = g.village_id "
        "JOIN units t ON t.id = v.parent_id "
        "WHERE g.county_id = :county ORDER BY g.code"), {"county": county_id}).all()
    shapes = shapely.from_wkb([bytes(r.wkb) for r in rows])
    return [Place(r.id, r.code, r.name, str(r.kind), r.households, r.path, r.village_id,
                  r.village_code, r.village_name, r.township_id, r.township_name, county_id,
                  shape) for r, shape in zip(rows, shapes, strict=True)]


def read_categories() -> list[CategoryInfo]:
    rows = db.session.execute(
        select(Category).where(Category.parent_id.is_not(None), Category.is_active,
                               Category.county_id.is_(None), Category.weight > 0)
        .order_by(Category.code)).scalars()
    return [CategoryInfo(c.id, c.code, c.name,
                         c.default_severity.value if c.default_severity else "general",
                         c.time_limit_days, c.weight) for c in rows]


def read_users(county_id: int) -> DemoUsers:
    """Accounts that can play a part: first (by id) of each role per unit."""
    found: dict[Role, dict[int, int]] = {role: {} for role in Role}
    for user in db.session.execute(
        select(User.id, User.role, User.unit_id).where(
            User.county_id == county_id, User.is_active.is_(True)).order_by(User.id)
        .execution_options(**unscoped())):
        found[user.role].setdefault(user.unit_id, user.id)
    return DemoUsers(
        grid_workers=found[Role.grid_worker], village_staff=found[Role.village_staff],
        dispatchers=found[Role.township_dispatcher], mediators=found[Role.mediator],
        county_staff=found[Role.county_staff])


def already_loaded(county_id: int) -> str:
    """Why the history must not be loaded into this county, or "" if it may."""
    marker = db.session.execute(
        select(AuditEntry.id).where(AuditEntry.action == MARKER,
                                    AuditEntry.county_id == county_id).limit(1)).first()
    if marker is not None:
        return "demo history already loaded"
    if db.session.execute(text("SELECT 1 FROM cases WHERE county_id = :c LIMIT 1"),
                          {"c": county_id}).first() is not None:
        return "the county already has cases"
    return ""


# --- loading --------------------------------------------------------------------------------


def load_history(county_code: str = "150521000000", *, n: int = 15000, seed: int = 150521,
                 end: dt.datetime) -> HistoryLoadResult:
    """Generate `n` cases for the year before `end` and COPY them in, unless present."""
    session = db.session
    county_id = session.execute(text("SELECT id FROM units WHERE code = :code"),
                                {"code": county_code}).scalar_one_or_none()
    if county_id is None:
        return HistoryLoadResult(False, "no such county; load the demo county first", {})
    reason = already_loaded(county_id)
    if reason:
        return HistoryLoadResult(False, reason, {})
    history = generate_history(read_places(county_id), read_categories(), end=end, n=n,
                               seed=seed, users=read_users(county_id))
    summary = summarise(history)
    try:
        write_history(history)
        record(MARKER, object_type="cases", object_id=county_code, county_id=county_id,
               summary={"seed": seed, "end": end.isoformat(), "cases": summary["cases"],
                        "events": summary["events"]})
        session.commit()
    except Exception:
        session.rollback()
        raise
    return HistoryLoadResult(True, "", summary)


def write_history(history: History) -> None:
    """COPY every row of the history on the session's connection (the caller commits)."""
    cursor = db.session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    points = shapely.points([c["point"] for c in history.cases])
    shapely.set_srid(points, 4326)
    ewkb = shapely.to_wkb(points, hex=True, include_srid=True)
    cases = ({**c, "point": p} for c, p in zip(history.cases, ewkb, strict=True))
    _copy(cursor, "cases", CASE_COLUMNS, cases)
    _copy(cursor, "case_events", EVENT_COLUMNS, history.events)
    _copy(cursor, "case_parties", PARTY_COLUMNS, _sealed(history.parties))
    _copy(cursor, "mediation_sessions", SESSION_COLUMNS, history.sessions)
    _copy(cursor, "case_assignments", ASSIGNMENT_COLUMNS, history.assignments)
    # Fresh statistics, so the first map and list queries plan with the new rows in mind.
    cursor.execute("ANALYZE cases, case_events, case_parties, mediation_sessions")


def _sealed(parties: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """Parties as build_party stores them: encrypted, blind-indexed, masked."""
    pii = cipher()
    for party in parties:
        number, phone = party["id_number"], party["phone"]
        yield {**party,
               "id_number_enc": pii.encrypt(number, ID_CONTEXT),
               "id_number_index": pii.blind_index(number, ID_CONTEXT),
               "id_number_masked": mask_id_number(number),
               "phone_enc": pii.encrypt(phone, PHONE_CONTEXT),
               "phone_index": pii.blind_index(phone, PHONE_CONTEXT),
               "phone_masked": mask_phone(phone)}


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"


# COPY text format, one converter per kind of column: looking the kind up once per column
# instead of testing each value's type halves the time spent building the rows.
def _plain(value: Any) -> str:  # numbers, ids, codes: nothing to escape
    return NULL if value is None else str(value)


def _escaped(value: Any) -> str:  # free text
    return NULL if value is None else str(value).translate(_ESCAPES)


def _time(value: dt.datetime | None) -> str:
    return NULL if value is None else value.isoformat()


def _flag(value: bool | None) -> str:
    return NULL if value is None else "t" if value else "f"


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False).translate(_ESCAPES)


def _bytes(value: bytes | None) -> str:  # bytea hex input, its backslash escaped for COPY
    return NULL if value is None else "\\\\x" + value.hex()


def _array(value: list[str]) -> str:
    items = ('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in value)
    return ("{" + ",".join(items) + "}").translate(_ESCAPES)


CONVERTERS = {
    **dict.fromkeys(("title", "description", "address", "note", "summary", "result", "place",
                     "name", "referral_receiver", "task"), _escaped),
    **dict.fromkeys(("occurred_at", "reported_at", "accepted_at", "due_started_at",
                     "due_soon_at", "due_at", "resolved_at",
                     "closed_at", "archived_at", "created_at", "updated_at", "at", "held_at",
                     "done_at"), _time),
    **dict.fromkeys(("is_urgent", "extended", "active", "resolved_late"), _flag),
    **dict.fromkeys(("id_number_enc", "phone_enc"), _bytes),
    "payload": _json, "participants": _array,
}


def _copy(cursor: Any, table: str, columns: Sequence[str],
          rows: Iterable[dict[str, Any]]) -> None:
    spec = [(column, CONVERTERS.get(column, _plain)) for column in columns]
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join([convert(row[column]) for column, convert in spec]))
        buffer.write("\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
