"""The analysis calendar, run by `rq cron` every SCHEDULE_INTERVAL_S (jobs.cron_config).

Each tick decides from the Asia/Shanghai clock and from what is stored, never from a
cron string (rq cron reads cron strings in the server's own time zone, which a county's
server may not keep in Beijing time) — so a tick missed, doubled or run late changes only
timing:

- nightly, from NIGHTLY_HOUR local time: every county gets a hot-spot run of the month so
  far, unless one was made since that hour today;
- at month end (from NIGHTLY_HOUR on the 1st): the final run of the month just ended and
  its monthly reports (the county and each township), unless they exist already;
- rows left `queued` (Redis was down when they were asked for) are handed to RQ again, and
  rows `running` longer than a job may run (a worker killed mid-job) are marked failed.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import exists, select

from ..auth.principal import SYSTEM, acting_as
from ..extensions import db
from ..geo.models import Unit, UnitLevel
from ..jobs import progress
from ..jobs.context import with_app_context
from ..jobs.progress import JobStatus
from ..stats.period import local_midnight, local_today, previous_month
from ..timestamps import utcnow
from .job import run_analysis
from .models import AnalysisRun, RunKind
from .runs import JOB_PREFIX, has_run, queue_run

log = logging.getLogger(__name__)

SCHEDULE_INTERVAL_S = 15 * 60
NIGHTLY_HOUR = 2  # 02:00 Beijing time: after the day's work, before the morning's
REQUEUE_AFTER = dt.timedelta(minutes=2)
RUNS = AnalysisRun.__table__


@with_app_context
def schedule_analysis() -> dict[str, Any]:
    """One tick of the calendar; returns what it queued (for the logs and the tests)."""
    with acting_as(SYSTEM):
        now = utcnow()
        today = local_today(now)
        night = local_midnight(today) + dt.timedelta(hours=NIGHTLY_HOUR)
        done: dict[str, Any] = {"nightly": [], "month_end": [], "reports": [],
                                "requeued": requeue_waiting(now),
                                "expired": expire_stuck(now)}
        if now < night:
            return done
        this_month = today.replace(day=1)
        last_month = previous_month(this_month)
        month_started = local_midnight(this_month)
        counties = db.session.execute(
            select(Unit.id).where(Unit.level == UnitLevel.county).order_by(Unit.id)).scalars()
        for county_id in counties:
            if not has_run(county_id, RunKind.hotspots, this_month, since=night):
                done["nightly"].append(queue_run(county_id, RunKind.hotspots, this_month).id)
            if not has_run(county_id, RunKind.hotspots, last_month, since=month_started):
                done["month_end"].append(
                    queue_run(county_id, RunKind.hotspots, last_month).id)
            done["reports"].extend(_month_end_reports(county_id, last_month))
        return done


def _month_end_reports(county_id: int, month: dt.date) -> list[int]:
    """The month's reports of the county and each of its townships, those not made yet."""
    from ..reports.models import MonthlyReport
    from ..reports.service import queue_report

    units = db.session.execute(
        select(Unit.id).where(Unit.county_id == county_id,
                              Unit.level.in_((UnitLevel.county, UnitLevel.township)))
        .where(~exists().where(MonthlyReport.unit_id == Unit.id, MonthlyReport.month == month,
                               MonthlyReport.status != JobStatus.failed))
        .order_by(Unit.path)).scalars().all()
    return [queue_report(unit_id, month, requested_by=None).id for unit_id in units]


def requeue_waiting(now: dt.datetime) -> int:
    """Hand rows still queued after REQUEUE_AFTER to RQ again (same job ids: a row whose job
    is in Redis after all is not queued twice, and a job runs its row only once)."""
    from ..reports import job as report_job
    from ..reports.models import MonthlyReport

    count = 0
    for model, func, prefix in ((AnalysisRun, run_analysis, JOB_PREFIX),
                                (MonthlyReport, report_job.generate_report,
                                 report_job.JOB_PREFIX)):
        rows = db.session.execute(select(model.id, model.created_at).where(
            model.status == JobStatus.queued, model.created_at < now - REQUEUE_AFTER)).all()
        for row_id, created_at in rows:
            count += progress.enqueue(func, row_id, progress.job_id(prefix, row_id, created_at))
    return count


def expire_stuck(now: dt.datetime) -> int:
    """Rows running longer than a job may run: their worker is gone; say so."""
    from ..reports.models import MonthlyReport

    expired = 0
    for model in (AnalysisRun, MonthlyReport):
        rows = db.session.execute(select(model.id).where(
            model.status == JobStatus.running,
            model.started_at < now - dt.timedelta(seconds=progress.JOB_TIMEOUT_S))).scalars()
        for row_id in rows:
            progress.failed(model.__table__, row_id, "the worker stopped before finishing")
            expired += 1
    return expired
