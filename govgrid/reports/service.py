"""Asking for a monthly report, and finding reports within the jurisdiction.

A report is requested by a person (county staff for the county or any township, a township
centre for its own township) or by the month-end schedule (analysis.schedule); the request
commits the row as `queued` and hands it to RQ after the commit (reports.job), so a report
exists before any worker looks for it and a Redis outage leaves it queued for the requeue
sweep rather than lost. Reading goes through the scoped session: another township's report
is simply not found.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..auth.permissions import Permission, require
from ..auth.principal import Principal
from ..errors import NotFound, Unprocessable
from ..extensions import db
from ..files import store
from ..geo.models import Unit, UnitLevel
from ..jobs import progress
from ..jobs.progress import JobStatus
from ..stats.period import local_today
from ..timestamps import utcnow
from ..unit_of_work import committing
from .job import JOB_PREFIX, generate_report
from .models import MonthlyReport
from .months import MonthError, check_month

REPORTED_LEVELS = (UnitLevel.county, UnitLevel.township)
MONTH_ERRORS = {
    "malformed": _l("Enter the month as YYYY-MM."),
    "too_early": _l("Choose a month from 2000 on."),
    "future": _l("That month has not begun yet."),
}


def request_report(principal: Principal, unit_code: str, month: dt.date) -> MonthlyReport:
    """Queue the report of a county or township within the principal's jurisdiction (the
    scoped look-up: a unit outside it is not found). A report of the same unit and month
    still waiting or being made is returned rather than made twice."""
    require(principal, Permission.run_analysis)
    unit = db.session.execute(select(Unit).where(Unit.code == unit_code)).scalar_one_or_none()
    if unit is None:
        raise NotFound(_l("No unit with code %(code)s in your jurisdiction.", code=unit_code))
    if unit.level not in REPORTED_LEVELS:
        raise Unprocessable(_l("Monthly reports are made for a county or a township."))
    pending = db.session.execute(
        select(MonthlyReport).where(
            MonthlyReport.unit_id == unit.id, MonthlyReport.month == month.replace(day=1),
            MonthlyReport.status.in_((JobStatus.queued, JobStatus.running)))
        .order_by(MonthlyReport.id.desc()).limit(1)).scalar_one_or_none()
    if pending is not None:
        return pending
    return queue_report(unit.id, month, requested_by=principal.user_id)


def queue_report(unit_id: int, month: dt.date, requested_by: int | None = None
                 ) -> MonthlyReport:
    """Commit a queued report of the unit (a county or township) and month, then hand it to
    a worker. Used by request_report and by the month-end schedule (requested_by None)."""
    try:
        month = check_month(month, local_today(utcnow()))
    except MonthError as error:
        raise Unprocessable(MONTH_ERRORS[str(error)]) from error
    unit = db.session.get(Unit, unit_id)
    if unit is None or unit.level not in REPORTED_LEVELS:
        raise NotFound(_l("No such county or township."))
    with committing():
        report = MonthlyReport(county_id=unit.county_id, unit_id=unit.id, path=unit.path,
                               month=month, status=JobStatus.queued, progress=0,
                               requested_by=requested_by)
        db.session.add(report)
    progress.enqueue(generate_report, report.id,
                     progress.job_id(JOB_PREFIX, report.id, report.created_at))
    return report


def get_report(report_id: int) -> MonthlyReport:
    if not 0 < report_id < 2**31:  # beyond the column's range: no such row, not an error
        raise NotFound(_l("No such report."))
    report = db.session.get(MonthlyReport, report_id)  # scoped: out of reach is not found
    if report is None:
        raise NotFound(_l("No such report."))
    return report


def list_reports(unit_code: str | None = None, month: dt.date | None = None,
                 page: int = 1, page_size: int = 20) -> tuple[list[MonthlyReport], int]:
    """Reports within the jurisdiction, newest first, optionally of one unit and month."""
    query = select(MonthlyReport)
    if unit_code is not None:
        query = query.join(Unit, Unit.id == MonthlyReport.unit_id).where(Unit.code == unit_code)
    if month is not None:
        query = query.where(MonthlyReport.month == month.replace(day=1))
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(
        query.order_by(MonthlyReport.created_at.desc(), MonthlyReport.id.desc())
        .offset((page - 1) * page_size).limit(page_size)).scalars().all()
    return list(rows), int(total)


def unit_names(reports: list[MonthlyReport]) -> dict[int, tuple[str, str, str]]:
    """unit id -> (code, name, level) for the reports' units."""
    ids = {r.unit_id for r in reports}
    if not ids:
        return {}
    return {row.id: (row.code, row.name, row.level.value) for row in db.session.execute(
        select(Unit.id, Unit.code, Unit.name, Unit.level).where(Unit.id.in_(ids)))}


def reportable_units(principal: Principal) -> list[Unit]:
    """The county and townships the principal may ask a report of (the scoped units of those
    levels), county first, then townships in code order."""
    return list(db.session.execute(
        select(Unit).where(Unit.level.in_(REPORTED_LEVELS))
        .order_by(Unit.level, Unit.code)).scalars())


def xlsx_file(report: MonthlyReport) -> Path:
    if report.status != JobStatus.done or report.xlsx_sha256 is None:
        raise NotFound(_l("This report has no appendix yet."))
    return store.blob_path(Path(current_app.config["FILES_DIR"]), report.xlsx_sha256)
