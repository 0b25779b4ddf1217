"""The audit trail against real PostgreSQL: entries commit with their transaction and chain
correctly, writes to audited models are captured, the database refuses changes to the log,
and tampering (with the triggers switched off by a superuser) is found at the right entry.

Every test but the concurrency one runs inside db_session's rolled-back outer transaction,
where a service "commit" releases the session's SAVEPOINT: `before_commit` fires there too, so
the entries are really inserted and then vanish with the outer rollback. The tests look only
at entries after a baseline id, since other tests may have committed entries for real.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from decimal import Decimal

import psycopg2.errors
import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError

from govgrid.audit.chain import GENESIS
from govgrid.audit.models import AuditEntry
from govgrid.audit.recorder import record
from govgrid.audit.verify import check_chain, verify_chain
from govgrid.auth.models import User
from govgrid.auth.principal import Principal, acting_as
from govgrid.auth.roles import Role
from govgrid.geo.models import Unit, UnitLevel


def _last_id(session) -> int:
    return session.execute(select(func.coalesce(func.max(AuditEntry.id), 0))).scalar_one()


def _entries_after(session, baseline: int) -> list[AuditEntry]:
    session.expire_all()
    return list(session.execute(
        select(AuditEntry).where(AuditEntry.id > baseline).order_by(AuditEntry.id)
    ).scalars())


def _county_id(session) -> int:
    return session.execute(select(Unit.id).where(Unit.level == UnitLevel.county)).scalar_one()


def _commit_entries(session, n: int) -> list[int]:
    baseline = _last_id(session)
    for i in range(n):
        record("test.entry", object_type="tests", object_id=i, summary={"n": i}, session=session)
    session.commit()
    return [e.id for e in _entries_after(session, baseline)]


def _without_triggers(session, statement: str, **params) -> None:
    """What a superuser bent on rewriting history would do: switch the triggers off."""
    session.execute(text("SET LOCAL session_replication_role = replica"))
    session.execute(text(statement), params)
    session.execute(text("SET LOCAL session_replication_role = origin"))


def test_record_writes_on_commit_with_a_chained_hash(app, db_session):
    county_id = _county_id(db_session)
    baseline = _last_id(db_session)
    previous = db_session.execute(
        select(AuditEntry.hash).where(AuditEntry.id == baseline)
    ).scalar() or GENESIS
    alice = Principal(username="alice", user_id=7, county_id=county_id, unit_id=county_id)
    with app.test_request_context(environ_base={"REMOTE_ADDR": "10.1.2.3"}), acting_as(alice):
        record("parties.unmask", object_type="parties", object_id=42,
               summary={"field": "id_number", "when": dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
                        "fee": Decimal("1.50"), "role": Role.mediator, "blob": b"\x00"},
               session=db_session)
        record("parties.unmask", object_type="parties", object_id=43, session=db_session)
        assert _entries_after(db_session, baseline) == []  # queued, not yet written
        db_session.commit()

    first, second = _entries_after(db_session, baseline)
    assert (first.actor_name, first.actor_id, first.actor_unit_id, first.county_id, first.ip) == (
        "alice", 7, county_id, county_id, "10.1.2.3")
    assert (first.action, first.object_type, first.object_id) == ("parties.unmask", "parties", "42")
    assert first.summary == {"field": "id_number", "when": "2026-01-02T00:00:00+00:00",
                             "fee": "1.50", "role": "mediator", "blob": "[binary]"}
    assert first.at.tzinfo is not None
    assert first.previous_hash == previous and second.previous_hash == first.hash
    assert second.id > first.id
    result = check_chain(db_session, batch_size=3)  # several batches
    assert result.intact and result.checked == db_session.scalar(select(func.count(AuditEntry.id)))


def test_awkward_values_survive_the_jsonb_round_trip(db_session):
    """JSONB keeps numbers as numeric and refuses NUL: what is hashed must be what comes back."""
    baseline = _last_id(db_session)
    record("test.values", summary={"small": 0.1, "huge": 1e100, "minus_zero": -0.0,
                                   "nan": float("nan"), "big": 2**70, "nul": "a\x00b",
                                   "nested": {1: {"s", "t"}, "list": (1, 2.5)}},
           session=db_session)
    db_session.commit()
    (entry,) = _entries_after(db_session, baseline)
    assert entry.summary == {"small": 0.1, "huge": "1e+100", "minus_zero": "-0.0", "nan": "nan",
                             "big": 2**70, "nul": "a\ufffdb",
                             "nested": {"1": ["s", "t"], "list": [1, 2.5]}}
    assert verify_chain(db_session) is None


def test_outside_requests_the_actor_is_system(db_session):
    baseline = _last_id(db_session)
    record("jobs.sweep", session=db_session)
    db_session.commit()
    (entry,) = _entries_after(db_session, baseline)
    assert (entry.actor_name, entry.actor_id, entry.ip) == ("system", None, None)


def test_entries_of_a_rolled_back_transaction_are_not_written(db_session):
    baseline = _last_id(db_session)
    record("test.discarded", session=db_session)
    db_session.rollback()
    record("test.kept", session=db_session)
    with pytest.raises(RuntimeError), db_session.begin_nested():
        record("test.savepoint_discarded", session=db_session)
        raise RuntimeError("rolls the savepoint back")
    with db_session.begin_nested():
        record("test.savepoint_kept", session=db_session)
    db_session.commit()
    assert [e.action for e in _entries_after(db_session, baseline)] == [
        "test.kept", "test.savepoint_kept"]
    assert verify_chain(db_session) is None


def test_writes_to_an_audited_model_are_captured(db_session):
    county_id = _county_id(db_session)
    baseline = _last_id(db_session)
    user = User(county_id=county_id, unit_id=county_id, username="audit.probe",
                display_name="Before", role=Role.county_staff, password_hash="x")
    db_session.add(user)
    db_session.commit()
    user_id = user.id
    # After the commit every attribute is expired: the old values must still be recorded.
    user.display_name = "After"
    user.password_hash = "y"
    db_session.commit()
    db_session.execute(update(User).where(User.id == user_id).values(phone="123"))
    db_session.delete(user)
    db_session.commit()

    created, updated, bulk, deleted = _entries_after(db_session, baseline)
    assert (created.action, created.object_type, created.object_id) == (
        "users.create", "users", str(user_id))
    assert created.county_id == county_id
    values = created.summary["values"]
    assert values["username"] == "audit.probe" and values["role"] == "county_staff"
    assert values["password_hash"] == "[redacted]"
    assert updated.action == "users.update" and updated.summary == {"changes": {
        "display_name": ["Before", "After"], "password_hash": ["[redacted]", "[redacted]"]}}
    assert bulk.action == "users.bulk_update"
    assert deleted.action == "users.delete" and deleted.object_id == str(user_id)
    assert deleted.summary["values"]["display_name"] == "After"
    assert deleted.summary["values"]["password_hash"] == "[redacted]"
    assert "x" not in str([e.summary for e in (created, updated, deleted)]).replace("[", "")
    assert verify_chain(db_session) is None


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET summary = '{}'",
    "DELETE FROM audit_log",
    "TRUNCATE audit_log",
])
def test_the_database_refuses_to_change_the_log(db_session, statement):
    _commit_entries(db_session, 1)  # row triggers need a row to fire on
    with pytest.raises(DBAPIError) as raised, db_session.begin_nested():
        db_session.execute(text(statement))
    assert isinstance(raised.value.orig, psycopg2.errors.InsufficientPrivilege)
    assert "append-only" in str(raised.value.orig)
    assert verify_chain(db_session) is None  # the outer transaction lives on


def test_an_edited_entry_is_found_at_that_entry(db_session):
    ids = _commit_entries(db_session, 3)
    _without_triggers(db_session, "UPDATE audit_log SET summary = '{\"n\": 99}' WHERE id = :id",
                      id=ids[1])
    broken = verify_chain(db_session)
    assert (broken.entry_id, broken.reason) == (ids[1], "hash")


def test_a_deleted_entry_is_found_at_the_next_one(db_session):
    ids = _commit_entries(db_session, 3)
    _without_triggers(db_session, "DELETE FROM audit_log WHERE id = :id", id=ids[1])
    broken = verify_chain(db_session)
    assert (broken.entry_id, broken.reason) == (ids[2], "previous")


def test_cli_verify(app, db_session):
    ids = _commit_entries(db_session, 2)
    total = db_session.scalar(select(func.count(AuditEntry.id)))
    runner = app.test_cli_runner()

    result = runner.invoke(args=["audit", "verify", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert f"audit chain intact: {total} entries" in result.output

    _without_triggers(db_session, "UPDATE audit_log SET actor_name = 'mallory' WHERE id = :id",
                      id=ids[0])
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"audit chain broken at entry {ids[0]} (hash)" in result.output


def test_concurrent_transactions_append_one_chain(app):
    """Two connections committing for real at the same moments; their entries stay in the
    (recreated-per-run) test database."""
    from flask_sqlalchemy.session import Session as FsaSession
    from sqlalchemy.orm import Session

    from govgrid.extensions import db

    run, rounds = uuid.uuid4().hex[:8], 8
    barrier = threading.Barrier(2, timeout=10)
    errors: list[BaseException] = []

    def append(name: str) -> None:
        try:
            with app.app_context():
                session = FsaSession(db)
                try:
                    for i in range(rounds):
                        for j in range(3):
                            record("test.concurrent", object_id=f"{run}-{name}-{i}-{j}",
                                   session=session)
                        barrier.wait()  # both commit at once: they must queue on the lock
                        session.commit()
                finally:
                    session.close()
        except BaseException as error:  # reported by the main thread
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=append, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors

    with app.app_context(), db.engine.connect() as connection:
        session = Session(bind=connection)
        ours = session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.object_id.like(f"{run}-%")))
        result = check_chain(session, batch_size=7)
        session.close()
    assert ours == 2 * rounds * 3
    assert result.intact, result.broken
