"""Asking for an analysis run and finding the results in force.

A run is requested by county staff (or by the nightly schedule) and carried out by a worker
(analysis.job); the request commits the run as `queued` and hands it to RQ after the commit,
so a run exists before any worker can look for it, and a Redis outage leaves it queued for
the requeue sweep (jobs.schedule) rather than lost.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth.permissions import Permission, require
from ..auth.principal import Principal
from ..errors import NotFound, Unprocessable
from ..extensions import db
from ..geo.models import Unit, UnitLevel
from ..jobs import progress
from ..jobs.progress import JobStatus
from ..stats.period import local_today, months_back
from ..timestamps import utcnow
from ..unit_of_work import committing
from .job import run_analysis
from .models import AnalysisRun, RunKind
from .risk import to_data
from .settings import config_for

WINDOW_MONTHS = 12  # monthly slices a hot-spot run looks at (the trend's length)
JOB_PREFIX = "analysis-run"


def this_month(now: dt.datetime | None = None) -> dt.date:
    return local_today(now or utcnow()).replace(day=1)


def request_run(principal: Principal, kind: RunKind, month: dt.date,
                category_id: int | None = None, distance_m: float | None = None,
                requested_by: int | None = None) -> AnalysisRun:
    """Queue a run of the principal's county (county-level staff only: a run covers the
    whole county) and hand it to a worker."""
    require(principal, Permission.run_analysis)
    if not principal.is_system and principal.unit_level != UnitLevel.county:
        raise Unprocessable(_l("Hot-spot analysis covers the whole county: ask the county "
                               "centre."))
    if principal.county_id is None:
        raise Unprocessable(_l("You belong to no county."))
    return queue_run(principal.county_id, kind, month, category_id, distance_m,
                     principal.user_id if requested_by is None else requested_by)


def queue_run(county_id: int, kind: RunKind, month: dt.date, category_id: int | None = None,
              distance_m: float | None = None, requested_by: int | None = None
              ) -> AnalysisRun:
    month = month.replace(day=1)
    if month > this_month():
        raise Unprocessable(_l("That month has not begun yet."))
    county = db.session.get(Unit, county_id)
    if county is None:
        raise NotFound(_l("No such county."))
    with committing():
        run = AnalysisRun(
            county_id=county_id, path=county.path, kind=kind, month=month,
            category_id=category_id, window_months=WINDOW_MONTHS, distance_m=distance_m,
            settings=to_data(config_for(county_id)), status=JobStatus.queued, progress=0,
            requested_by=requested_by,
            created_at=utcnow())  # the platform's clock (tests move it), not SQL now()
        db.session.add(run)
    progress.enqueue(run_analysis, run.id, progress.job_id(JOB_PREFIX, run.id, run.created_at))
    return run


def get_run(run_id: int) -> AnalysisRun:
    run = db.session.get(AnalysisRun, run_id)  # scoped: another county's run is not found
    if run is None:
        raise NotFound(_l("No such analysis run."))
    return run


def recent_runs(limit: int = 20) -> list[AnalysisRun]:
    return list(db.session.execute(
        select(AnalysisRun).order_by(AnalysisRun.created_at.desc(), AnalysisRun.id.desc())
        .limit(limit)).scalars())


def current_run(county_id: int, kind: RunKind, month: dt.date | None = None,
                category_id: int | None = None) -> AnalysisRun | None:
    """The latest finished run of the county for the month (any month when None)."""
    query = select(AnalysisRun).where(
        AnalysisRun.county_id == county_id, AnalysisRun.kind == kind,
        AnalysisRun.status == JobStatus.done,
        AnalysisRun.category_id.is_(None) if category_id is None
        else AnalysisRun.category_id == category_id)
    if month is not None:
        query = query.where(AnalysisRun.month == month.replace(day=1))
    return db.session.execute(
        query.order_by(AnalysisRun.month.desc(), AnalysisRun.finished_at.desc()).limit(1)
    ).scalar_one_or_none()


def backfill(county_id: int, months: int) -> list[int]:
    """Hot-spot runs of the last `months` months (this one included) and a backtest whose
    last month checked is last month, each unless a finished or waiting one exists: what a
    county loaded with its history needs before its maps and checks have anything to show."""
    recent = months_back(this_month(), months)
    wanted = [(RunKind.hotspots, month) for month in recent]
    wanted.append((RunKind.backtest, months_back(this_month(), 3)[0]))
    return [queue_run(county_id, kind, month).id for kind, month in wanted
            if not has_run(county_id, kind, month)]


def has_run(county_id: int, kind: RunKind, month: dt.date,
            since: dt.datetime | None = None) -> bool:
    """A whole-county run of `month`, finished or waiting (not failed), asked for since
    `since` when given."""
    query = select(AnalysisRun.id).where(
        AnalysisRun.county_id == county_id, AnalysisRun.kind == kind,
        AnalysisRun.month == month, AnalysisRun.category_id.is_(None),
        AnalysisRun.status != JobStatus.failed)
    if since is not None:
        query = query.where(AnalysisRun.created_at >= since)
    return db.session.execute(query.limit(1)).scalar_one_or_none() is not None
