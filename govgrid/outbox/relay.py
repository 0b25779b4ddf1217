"""The relay: hands outbox rows to RQ, one job per row (DESIGN §3).

Why it cannot lose or double-send a message:
- Rows are locked `FOR UPDATE SKIP LOCKED`, oldest first: two relays running at once (the
  periodic one and one asked for by `relay_soon`) take disjoint rows.
- Each job's id is derived from the row (`job_id`) and enqueued with RQ's `unique=True`: if
  the relay dies between enqueueing and its commit, the next run finds the job already in
  Redis (DuplicateJobError) and only marks the row.
- On a Redis error the rows not yet enqueued stay unrelayed with `attempts` + 1 and the
  error noted; the run stops, and the next one (cron, every 10 s once Redis is back) retries.
- Handlers are idempotent, so even a message delivered twice (an operator's redelivery)
  changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from flask import current_app
from redis.exceptions import RedisError
from rq import Queue
from rq.exceptions import DuplicateJobError
from sqlalchemy import func, select, update

from ..auth.principal import SYSTEM, acting_as
from ..extensions import db
from ..jobs.context import with_app_context
from ..jobs.queues import queue
from ..timestamps import utcnow
from ..unit_of_work import committing
from .handlers import handle
from .models import OutboxMessage

log = logging.getLogger(__name__)

RELAY_INTERVAL_S = 10  # how often rq cron runs the relay
MAX_BATCHES = 50  # per run: a long backlog is worked off by successive runs, not one endless job
ERROR_LENGTH = 300
QUIET_AFTER_FAILURE_S = 15.0  # relay_soon stops trying Redis for this long after a failure
_SOON_STATE = "govgrid_relay_soon"


def job_id(message_id: int, created_at: dt.datetime) -> str:
    """`outbox-<id>-<creation time in µs>`: the same for every relay of one row, and never
    the same for a row of another database life. Ids alone restart after a restore or a
    re-created database, and RQ keeps finished jobs for minutes and failed ones for a year: a
    reused `outbox-<id>` would be taken for a duplicate and the new message never sent."""
    return f"outbox-{message_id}-{round(created_at.timestamp() * 1_000_000)}"


@with_app_context
def relay(batch_size: int = 200) -> int:
    """Hand pending outbox rows to RQ, oldest first; returns how many were handed over.
    Runs as SYSTEM: the outbox belongs to the platform, not to whoever caused the rows."""
    total = 0
    with acting_as(SYSTEM):
        for _ in range(MAX_BATCHES):
            relayed, go_on = _relay_batch(batch_size)
            total += relayed
            if not go_on:
                break
    return total


def _relay_batch(batch_size: int) -> tuple[int, bool]:
    """One transaction: lock a batch, enqueue it, mark it. Returns (rows relayed, whether
    another batch may be waiting)."""
    error: RedisError | None = None
    with committing():
        rows = db.session.execute(
            select(OutboxMessage.id, OutboxMessage.created_at)
            .where(OutboxMessage.relayed_at.is_(None))
            .order_by(OutboxMessage.id).limit(batch_size)
            .with_for_update(skip_locked=True)
        ).all()
        ids = [row.id for row in rows]
        done: list[int] = []
        jobs = queue()
        for message_id, created_at in rows:
            try:
                _enqueue(jobs, message_id, created_at)
            except RedisError as exc:
                error = exc
                break
            done.append(message_id)
        if done:
            _mark(done, relayed_at=utcnow())
        if error is not None:
            # Count the attempt on every row of the batch that did not go: an operator sees
            # how long a message has been waiting and why (`flask outbox relay`).
            _mark(ids[len(done):], attempts=OutboxMessage.attempts + 1,
                  last_error=f"{type(error).__name__}: {error}"[:ERROR_LENGTH])
    if error is not None:
        log.warning("outbox relay stopped: Redis unavailable (%s); %d row(s) wait for the "
                    "next run", error, len(ids) - len(done))
        return len(done), False
    return len(done), len(ids) == batch_size


def _enqueue(jobs: Queue, message_id: int, created_at: dt.datetime) -> None:
    try:
        jobs.enqueue_call(handle, args=(message_id,), job_id=job_id(message_id, created_at),
                          unique=True)
    except DuplicateJobError:
        # An earlier relay enqueued it and died before committing: RQ has it; just mark it.
        log.info("outbox message %s was already in RQ", message_id)


def _mark(ids: list[int], **values: object) -> None:
    if ids:
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(**values)
            .execution_options(synchronize_session=False)
        )


def pending_count() -> int:
    return db.session.execute(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.relayed_at.is_(None))
    ).scalar_one()


def relay_soon() -> None:
    """Best effort, right after a commit that wrote outbox rows: ask a worker to relay now,
    so linkage reaches a department in seconds rather than at the next cron tick.

    Never raises: the rows are committed, and if Redis is down the periodic relay takes them
    when it is back. After a failure it stays quiet for a few seconds, so that an unreachable
    Redis (connect timeout) does not slow down every report in the meantime.
    """
    state = current_app.extensions.setdefault(_SOON_STATE, {"quiet_until": 0.0})
    if time.monotonic() < state["quiet_until"]:
        return
    try:
        # result_ttl=0: these jobs are many and their result (a count) is of no interest.
        queue().enqueue_call(relay, result_ttl=0)
    except Exception:  # whatever goes wrong here must not turn a saved report into an error
        state["quiet_until"] = time.monotonic() + QUIET_AFTER_FAILURE_S
        log.warning("could not ask for an outbox relay now; the periodic relay will catch up",
                    exc_info=True)
