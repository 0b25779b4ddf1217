"""Writing the audit trail: explicit `record(...)` calls (unmasked reads, logins, exports…)
and automatic capture of every ORM write to a model marked `__audited__ = True`.

Entries are queued on the session and appended to the hash chain in `before_commit`, inside
the same transaction as the changes they describe: they commit together or not at all.
Appends are serialised by a transaction-scoped advisory lock, so ids (allocated under the
lock) follow chain order and `verify` can walk the table by id.

Outside the ORM unit of work, ORM-enabled bulk statements on audited models
(`session.execute(update(User)...)`) are recorded as one "<table>.bulk_<kind>" entry each;
raw SQL text and Core statements on a bare connection are not seen.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import has_request_context, request
from sqlalchemy import event, func, insert, inspect, select, text
from sqlalchemy.orm import Mapper, ORMExecuteState, Session, SessionTransaction, scoped_session

from ..auth.principal import current_principal
from ..timestamps import utcnow
from .chain import GENESIS, entry_hash
from .models import AuditEntry
from .values import column_value, jsonable

PENDING_KEY = "govgrid_audit_pending"
_BOOKKEEPING = "govgrid_audit_bookkeeping"
_MARKS_KEY = "govgrid_audit_savepoint_marks"
_COMMITTING_KEY = "govgrid_audit_committing"

# One lock for the whole chain ("govaud" in ASCII): concurrent committers append in turn.
ADVISORY_LOCK_KEY = 0x676F76617564

__all__ = ["ADVISORY_LOCK_KEY", "PENDING_KEY", "install", "record", "write_pending"]
log = logging.getLogger(__name__)


def record(
    action: str,
    *,
    object_type: str | None = None,
    object_id: str | int | None = None,
    summary: dict[str, Any] | None = None,
    county_id: int | None = None,
    session: Session | scoped_session[Session] | None = None,
) -> None:
    """Queue an audit entry in the session's transaction; it is written when that transaction
    commits and dropped if it rolls back (so a read-only view that unmasks PII must commit)."""
    session = _resolve(session)
    if session.get_transaction() is None:
        # Tie the entry to a transaction now: a later rollback()/close() of a session with no
        # transaction fires no event, and the entry would otherwise leak into the next one.
        session.begin()
    _queue(session, action, object_type, object_id, summary or {}, county_id)


def _resolve(session: Session | scoped_session[Session] | None) -> Session:
    if session is None:
        from ..extensions import db

        session = db.session
    return session() if isinstance(session, scoped_session) else session


def _queue(
    session: Session,
    action: str,
    object_type: str | None,
    object_id: str | int | None,
    summary: dict[str, Any],
    county_id: int | None,
) -> None:
    principal = current_principal()
    session.info.setdefault(PENDING_KEY, []).append({
        "county_id": principal.county_id if county_id is None else county_id,
        "at": utcnow(),
        "actor_id": principal.user_id,
        "actor_name": principal.username,
        "actor_unit_id": principal.unit_id,
        "ip": request.remote_addr if has_request_context() else None,
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        # JSON-safe now, so the hash covers exactly what JSONB will give back to `verify`.
        "summary": jsonable(summary),
    })


def write_pending(session: Session) -> int:
    """Append the session's queued entries to the chain (in its current transaction); returns
    how many were written. Called from `before_commit`; safe to call more than once."""
    entries = session.info.pop(PENDING_KEY, None)
    if not entries:
        return 0
    table = AuditEntry.__table__
    conn = session.connection(bind_arguments={"mapper": inspect(AuditEntry)})
    isolation = conn.execute(
        select(func.pg_advisory_xact_lock(ADVISORY_LOCK_KEY),
               func.current_setting("transaction_isolation"))
    ).one()[1]
    if isolation != "read committed":
        # A repeatable-read snapshot predates the lock: it could miss the entry appended just
        # before ours and fork the chain. Refuse rather than write an unverifiable trail.
        raise RuntimeError(f"audited transactions must run at READ COMMITTED, not {isolation}")
    # Read after the lock is held: under READ COMMITTED this statement sees every append
    # committed before we got the lock.
    previous = conn.execute(
        select(table.c.hash).order_by(table.c.id.desc()).limit(1)
    ).scalar() or GENESIS
    ids = sorted(conn.execute(
        text("SELECT nextval(pg_get_serial_sequence('audit_log', 'id')) "
             "FROM generate_series(1, :n)"), {"n": len(entries)}
    ).scalars())
    rows = []
    for entry_id, fields in zip(ids, entries, strict=True):
        digest = entry_hash(previous, AuditEntry(id=entry_id, **fields).content())
        rows.append({"id": entry_id, **fields, "previous_hash": previous, "hash": digest})
        previous = digest
    conn.execute(insert(table), rows)
    return len(rows)


# --- automatic change capture ---------------------------------------------------------------

def _is_audited(obj: object) -> bool:
    return getattr(type(obj), "__audited__", False) is True


def _identity(obj: object) -> Any:
    state = inspect(obj)
    # Just-inserted objects get their identity key only after after_flush; their primary
    # key is already in the instance dict (from RETURNING).
    identity = state.identity or tuple(
        state.dict.get(state.mapper.get_property_by_column(column).key)
        for column in state.mapper.primary_key
    )
    if all(part is None for part in identity):
        return None
    return identity[0] if len(identity) == 1 else list(identity)


def _changes(obj: object, kind: str) -> dict[str, Any]:
    """{"values": {...}} for a create or delete, {"changes": {col: [old, new]}} for an update;
    many-to-many collections as {"added": [pk…], "removed": [pk…]}."""
    state = inspect(obj)
    redact = set(getattr(type(obj), "__audit_redact__", ()))
    out: dict[str, Any] = {}
    for prop in state.mapper.column_attrs:
        key = prop.key
        history = state.attrs[key].history
        if kind == "update":
            if not history.has_changes():
                continue
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            out[key] = [column_value(prop, old, redact), column_value(prop, new, redact)]
        elif key in state.dict:  # only loaded values: never fire SQL mid-flush for a server default
            out[key] = column_value(prop, state.dict[key], redact)
    if kind != "delete":
        for rel in state.mapper.relationships:
            if rel.secondary is None or rel.viewonly:
                continue
            history = state.attrs[rel.key].history
            if history.added or history.deleted:
                out[rel.key] = {"added": [_identity(o) for o in history.added],
                                "removed": [_identity(o) for o in history.deleted]}
    if not out:
        return {}
    return {"changes": out} if kind == "update" else {"values": out}


def _capture(session: Session, obj: object, kind: str) -> None:
    summary = _changes(obj, kind)
    if kind == "update" and not summary:
        return  # touched but not changed (or only a non-column relationship)
    table = inspect(obj).mapper.local_table.name
    county_id = inspect(obj).dict.get("county_id")
    _queue(session, f"{table}.{kind}", table, _object_id(obj), summary, county_id)


def _object_id(obj: object) -> str | None:
    identity = _identity(obj)
    if identity is None:
        return None
    return ",".join(map(str, identity)) if isinstance(identity, list) else str(identity)


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    # Load what a delete is about to remove, while the row still exists, so its entry can say.
    for obj in session.deleted:
        if _is_audited(obj):
            state = inspect(obj)
            for key in state.unloaded & set(state.mapper.column_attrs.keys()):
                getattr(obj, key)


def _after_flush(session: Session, flush_context: Any) -> None:
    for kind, objects in (("create", session.new), ("update", session.dirty),
                          ("delete", session.deleted)):
        for obj in objects:
            if _is_audited(obj):
                _capture(session, obj, kind)
    if session.info.get(_COMMITTING_KEY):
        # A flush after our before_commit (another listener's late changes) would otherwise
        # queue entries nobody writes.
        write_pending(session)


def bookkeeping() -> dict[str, bool]:
    """Execution options for a bulk write that is the system's bookkeeping, not a change
    anyone made (a token's last-used time): it is not audited. Say why at the call."""
    return {_BOOKKEEPING: True}


def _on_orm_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if state.execution_options.get(_BOOKKEEPING):
        return
    mapper = state.bind_mapper
    if mapper is None or not getattr(mapper.class_, "__audited__", False):
        return
    kind = "insert" if state.is_insert else "update" if state.is_update else "delete"
    rows = len(state.parameters) if isinstance(state.parameters, list) else None
    table = mapper.local_table.name
    _queue(state.session, f"{table}.bulk_{kind}", table, None,
           {} if rows is None else {"rows": rows}, None)


# --- transaction boundaries -----------------------------------------------------------------

def _before_commit(session: Session) -> None:
    # Fires for the root transaction and for every savepoint release; write only at the root
    # (entries of a savepoint stay queued and are dropped if an enclosing savepoint rolls back).
    # Under join_transaction_mode="create_savepoint" the session's root transaction is itself
    # a SAVEPOINT on the joined connection, but it is still the session's root: we write there.
    if session.in_nested_transaction():
        return
    session.flush()  # before_commit runs before commit's own flush: capture those writes now
    session.info[_COMMITTING_KEY] = True
    write_pending(session)


def _after_commit(session: Session) -> None:
    # Only reachable if the root was committed directly while a savepoint was still open
    # (our before_commit then saw a nested transaction and deferred): say so loudly.
    if not session.in_nested_transaction() and session.info.get(PENDING_KEY):
        log.error("%d audit entries not written: the transaction was committed with a "
                  "savepoint still open", len(session.info[PENDING_KEY]))


def _after_transaction_create(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested:
        pending = session.info.get(PENDING_KEY, [])
        session.info.setdefault(_MARKS_KEY, {})[transaction] = len(pending)


def _after_rollback(session: Session) -> None:
    # Fired while the rolled-back transaction is still current (after_soft_rollback comes
    # after it is closed and its mark forgotten). A savepoint drops what was queued inside it.
    nested = session.get_nested_transaction()
    if nested is None:
        session.info.pop(PENDING_KEY, None)
        return
    mark = session.info.get(_MARKS_KEY, {}).get(nested)
    if mark is not None and PENDING_KEY in session.info:
        del session.info[PENDING_KEY][mark:]


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested:
        session.info.get(_MARKS_KEY, {}).pop(transaction, None)
    elif transaction.parent is None:
        # Root ended: after a commit the queue is already written; after a rollback or close
        # its entries describe work that never happened.
        for key in (PENDING_KEY, _MARKS_KEY, _COMMITTING_KEY):
            session.info.pop(key, None)


# --- installation ---------------------------------------------------------------------------

def _keep_old_value(target: Any, value: Any, oldvalue: Any, initiator: Any) -> None:
    """No-op; registered with active_history=True so that setting an attribute that is not
    loaded (e.g. expired after a commit) loads the old value first: updates show [old, new]."""


def _audit_mapper(mapper: Mapper[Any], cls: type) -> None:
    if getattr(cls, "__audited__", False) is not True:
        return
    for prop in mapper.column_attrs:
        attr = getattr(cls, prop.key)
        if not event.contains(attr, "set", _keep_old_value):
            event.listen(attr, "set", _keep_old_value, active_history=True)


_SESSION_LISTENERS = (
    ("before_flush", _before_flush),
    ("after_flush", _after_flush),
    ("do_orm_execute", _on_orm_execute),
    ("before_commit", _before_commit),
    ("after_commit", _after_commit),
    ("after_transaction_create", _after_transaction_create),
    ("after_rollback", _after_rollback),
    ("after_transaction_end", _after_transaction_end),
)


def install(session_class: type[Session]) -> None:
    """Register the listeners on `session_class` (and its subclasses); safe to repeat."""
    for name, listener in _SESSION_LISTENERS:
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)
    if not event.contains(Mapper, "mapper_configured", _audit_mapper):
        event.listen(Mapper, "mapper_configured", _audit_mapper)
    from ..extensions import db

    for mapper in db.Model.registry.mappers:  # those configured before we listened
        if mapper.configured:
            _audit_mapper(mapper, mapper.class_)
