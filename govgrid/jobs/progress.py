"""Progress of long jobs (analysis runs, monthly reports) that people wait for.

A job row holds its status, a percentage and the stage it is in. Progress is written on its
own short connection and committed at once, so a page polling the row sees it move while the
job's own transaction (which stores the results) is still open; a job that fails leaves
`failed` and its error, never a row stuck in `running` with half its results.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Callable
from typing import Any

from redis.exceptions import RedisError
from rq.exceptions import DuplicateJobError
from sqlalchemy import Engine, Executable, Table, update

from ..extensions import db
from ..timestamps import utcnow
from .queues import ANALYSIS, queue

log = logging.getLogger(__name__)

JOB_TIMEOUT_S = 3600  # a county's analysis takes seconds to minutes; an hour is a hang


class JobStatus(enum.StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


FINISHED = (JobStatus.done, JobStatus.failed)


def _write(statement: Executable) -> Any:
    """Run `statement` on its own connection and commit it. Tests bind the session to one
    connection inside a transaction they roll back; there the row is only visible on that
    connection, so the statement runs on it."""
    bind = db.session.get_bind()
    if isinstance(bind, Engine):
        with bind.begin() as connection:
            return connection.execute(statement).scalar_one_or_none()
    return bind.execute(statement).scalar_one_or_none()


def report(table: Table, row_id: int, **values: Any) -> None:
    """Write `values` (status, progress, stage, error, …) to the job row, committed now."""
    _write(update(table).where(table.c.id == row_id).values(**values).returning(table.c.id))


def step(table: Table, row_id: int, progress: int, stage: str) -> None:
    report(table, row_id, progress=max(0, min(progress, 100)), stage=stage)


def failed(table: Table, row_id: int, error: str) -> None:
    report(table, row_id, status=JobStatus.failed, error=error[:2000], finished_at=utcnow())


def claim(table: Table, row_id: int) -> bool:
    """Take a queued row for this worker (conditional UPDATE): a job enqueued twice, or
    picked up again by the requeue sweep, runs once."""
    won = _write(
        update(table).where(table.c.id == row_id, table.c.status == JobStatus.queued)
        .values(status=JobStatus.running, progress=0, started_at=utcnow(), error=None)
        .returning(table.c.id))
    return won is not None


def job_id(prefix: str, row_id: int, created_at: dt.datetime) -> str:
    """One RQ job id per row, whatever enqueues it (the request, the requeue sweep); the
    creation time keeps a restored or recreated database's row 1 from meeting an old job."""
    return f"{prefix}-{row_id}-{int(created_at.timestamp() * 1e6)}"


def enqueue(func: Callable[[int], Any], row_id: int, key: str) -> bool:
    """Best effort, after the row is committed: hand it to a worker now. If Redis is down
    the row stays queued and the periodic requeue (jobs.schedule) hands it over later."""
    try:
        queue(ANALYSIS).enqueue_call(func, args=(row_id,), job_id=key, unique=True,
                             timeout=JOB_TIMEOUT_S, result_ttl=3600)
    except DuplicateJobError:
        return True
    except RedisError:
        log.warning("could not enqueue %s now; the requeue sweep will", key)
        return False
    return True
