"""Monthly analysis reports API: request (generated in RQ), list, progress.

For county staff, leaders and assessors and township centres (the dashboard's readers);
asking for a report takes the run_analysis permission. Every read goes through the
jurisdiction hook: another township's report is 404, as if it did not exist."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint

from ..auth.permissions import require_role
from ..auth.principal import Principal, current_principal
from ..dashboard.views import DASHBOARD_ROLES
from . import service
from .models import MonthlyReport
from .schemas import REQUEST_EXAMPLES, MonthlyReportOut, MonthlyReportQuery, MonthlyReportRequest

bp = Blueprint("reports", __name__, description="Monthly analysis reports 月度研判报告")
QUERY = {"location": "query", "error_status_code": 400}


def reader() -> Principal:
    return require_role(current_principal(), DASHBOARD_ROLES, _l(
        "Reports are for county staff, leaders and assessors and township centres."))


def as_dicts(reports: list[MonthlyReport]) -> list[dict[str, Any]]:
    units = service.unit_names(reports)
    out = []
    for report in reports:
        code, name, level = units.get(report.unit_id, ("", "", ""))
        out.append({
            "id": report.id, "unit": {"code": code, "name": name, "level": level},
            "month": report.month, "status": report.status.value,
            "progress": report.progress, "stage": report.stage, "error": report.error,
            "xlsx_size": report.xlsx_size, "requested_by": report.requested_by,
            "created_at": report.created_at, "started_at": report.started_at,
            "finished_at": report.finished_at,
            "links": {"self": url_for("reports.Report", report_id=report.id),
                      "html": url_for("reports_pages.report_page", report_id=report.id),
                      "xlsx": url_for("reports_pages.report_xlsx", report_id=report.id)},
        })
    return out


@bp.route("/reports")
class Reports(MethodView):
    @bp.arguments(MonthlyReportQuery, **QUERY)
    @bp.response(200, MonthlyReportOut(many=True))
    @bp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[dict[str, Any]]:
        """Monthly reports within my jurisdiction, newest first"""
        reader()
        rows, total = service.list_reports(args.get("unit"), args.get("month"),
                                           pagination_parameters.page,
                                           pagination_parameters.page_size)
        pagination_parameters.item_count = total
        return as_dicts(rows)

    @bp.arguments(MonthlyReportRequest, examples=REQUEST_EXAMPLES)
    @bp.response(202, MonthlyReportOut)
    @bp.alt_response(403, description="Only county staff, admins and township centres ask "
                                      "for reports.")
    @bp.alt_response(404, description="No such unit within your jurisdiction.")
    @bp.alt_response(422, description="Not a county or township, or a month not begun.")
    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        """Ask for a monthly report of a county or township (made in the background)

        Poll the returned report's `links.self` for its progress; a report of the same
        unit and month still being made is returned instead of a second one."""
        report = service.request_report(current_principal(), args["unit"], args["month"])
        return as_dicts([report])[0]


@bp.route("/reports/<int:report_id>")
class Report(MethodView):
    @bp.response(200, MonthlyReportOut)
    @bp.alt_response(404, description="No such report within your jurisdiction.")
    def get(self, report_id: int) -> dict[str, Any]:
        """One report: its status and progress, and links to the page and the appendix"""
        reader()
        return as_dicts([service.get_report(report_id)])[0]
