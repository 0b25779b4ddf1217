"""The report job: one MonthlyReport from the month's figures to the stored HTML and xlsx.

Stages (written to the row as they pass, jobs.progress): the hot-spot analysis of the
county and month (run here, inline, when no finished run exists: a report always has its
hot spots), the figures, the maps, the appendix, and the stored result — the HTML, the
appendix's digest and `done` committed together (done ⇔ content present). Runs as the
platform (unscoped): the row's own unit bounds every query.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import current_app

from ..analysis.job import run_analysis
from ..analysis.models import AnalysisRun, RunKind
from ..analysis.runs import current_run, queue_run
from ..auth.principal import SYSTEM, acting_as
from ..extensions import db
from ..files import store
from ..jobs import progress
from ..jobs.context import with_app_context
from ..jobs.progress import JobStatus
from ..timestamps import utcnow
from ..unit_of_work import committing
from .models import MonthlyReport

log = logging.getLogger(__name__)

JOB_PREFIX = "monthly-report"
REPORTS = MonthlyReport.__table__
MAX_XLSX_BYTES = 200 * 1024 * 1024


@with_app_context
def generate_report(report_id: int) -> str:
    """The RQ job: make report `report_id` if it is still queued; returns its final status."""
    if not progress.claim(REPORTS, report_id):
        return "skipped"
    with acting_as(SYSTEM):
        try:
            report = db.session.get(MonthlyReport, report_id)
            assert report is not None
            _generate(report)
        except Exception as error:  # shown on the row, then re-raised for RQ's record
            log.exception("monthly report %s failed", report_id)
            db.session.rollback()
            progress.failed(REPORTS, report_id, f"{type(error).__name__}: {error}")
            raise
    return JobStatus.done.value


def hotspot_run(county_id: int, report: MonthlyReport) -> AnalysisRun:
    """The county's latest finished hot-spot run of the month, made now if there is none."""
    run = current_run(county_id, RunKind.hotspots, report.month)
    if run is not None:
        return run
    progress.step(REPORTS, report.id, 5, "analysis")
    queued = queue_run(county_id, RunKind.hotspots, report.month)
    run_analysis(queued.id)  # inline; the copy handed to RQ finds it taken and skips
    db.session.expire_all()
    run = db.session.get(AnalysisRun, queued.id)
    assert run is not None and run.status == JobStatus.done
    return run


def _generate(report: MonthlyReport) -> None:
    from .content import gather
    from .render import render_html
    from .xlsx import appendix_bytes

    report_id = report.id
    run = hotspot_run(report.county_id, report)
    report = db.session.get(MonthlyReport, report_id)
    assert report is not None
    progress.step(REPORTS, report_id, 30, "figures")
    now = utcnow()
    content = gather(report.unit_id, report.month, run, now)
    progress.step(REPORTS, report_id, 60, "maps")
    html = render_html(content, report_id)
    progress.step(REPORTS, report_id, 80, "appendix")
    blob = store.put(Path(current_app.config["FILES_DIR"]), [appendix_bytes(content)],
                     MAX_XLSX_BYTES)
    progress.step(REPORTS, report_id, 95, "storing")
    with committing():
        report.html = html
        report.xlsx_sha256 = blob.sha256
        report.xlsx_size = blob.size
        report.status = JobStatus.done
        report.progress = 100
        report.stage = "done"
        report.finished_at = utcnow()
