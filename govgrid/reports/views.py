"""Report pages (/reports): the list with generation progress and the form asking for a
report; each report's A4 page (the stored HTML inside the site's frame, with a print
button); the xlsx appendix as a download with its Chinese name. For the dashboard's readers;
another township's report is 404."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template, send_file, url_for
from flask_babel import gettext as _

from ..auth.permissions import Permission, allowed
from ..dashboard.views import DASHBOARD_ROLES
from ..exports.responses import XLSX_TYPE, attachment_disposition
from ..jobs.progress import JobStatus
from ..stats.period import local_today, previous_month
from ..timestamps import utcnow
from . import service
from .api import as_dicts, reader
from .render import local_time, month_text, title
from .xlsx import filename

bp = Blueprint("reports_pages", __name__)


@bp.app_context_processor
def reports_nav() -> dict[str, Any]:
    return {"report_roles": DASHBOARD_ROLES}


def _labels() -> dict[str, str]:
    return {
        "queued": _("Waiting"), "running": _("Being made"), "done": _("Done"),
        "failed": _("Failed"), "open": _("Open"), "download": _("xlsx appendix"),
        "requestFailed": _("The report could not be requested."),
        "pollFailed": _("Progress could not be read; retrying."),
        "stages": {"analysis": _("hot-spot analysis"), "figures": _("figures"),
                   "maps": _("maps"), "appendix": _("appendix"), "storing": _("storing"),
                   "done": _("done")},
    }


@bp.get("/reports")
def list_page() -> str:
    """Reports within the jurisdiction, newest first, with progress; the request form."""
    principal = reader()
    rows, total = service.list_reports(page_size=50)
    today = local_today(utcnow())
    may_request = allowed(principal, Permission.run_analysis)
    config = {
        "urls": {"reports": url_for("reports.Reports")},
        "labels": _labels(),
    }
    return render_template(
        "reports/list.html", reports=as_dicts(rows), total=total, config=config,
        local_time=local_time,
        may_request=may_request,
        units=service.reportable_units(principal) if may_request else [],
        default_month=f"{previous_month(today):%Y-%m}", max_month=f"{today:%Y-%m}",
        month_text=month_text, labels=_labels())


@bp.get("/reports/<int:report_id>")
def report_page(report_id: int) -> str:
    """The report's A4 page (or its progress while it is being made)."""
    reader()
    report = service.get_report(report_id)
    view = as_dicts([report])[0]
    return render_template(
        "reports/report.html", report=report, view=view, done=report.status == JobStatus.done,
        title=title(view["unit"]["name"], report.month), labels=_labels())


@bp.get("/reports/<int:report_id>.xlsx")
def report_xlsx(report_id: int) -> Response:
    """The xlsx appendix, named 保康镇2026-11研判报告附表.xlsx (ASCII fallback too)."""
    reader()
    report = service.get_report(report_id)
    path = service.xlsx_file(report)
    unit = as_dicts([report])[0]["unit"]
    response = send_file(path, mimetype=XLSX_TYPE, conditional=False, etag=False,
                         max_age=None)
    response.headers["Content-Disposition"] = attachment_disposition(
        filename(unit["name"], report.month),
        f"report-{unit['code']}-{report.month:%Y-%m}.xlsx")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
