"""Urgent incident reporting clocks API (重大紧急事件报告时限): a case's clocks and reports,
recording a report, and the open clocks of my jurisdiction (the county dashboard's list).
Every route reads through the jurisdiction hook, so a case out of reach is 404 here too."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from ..auth.principal import current_principal
from . import urgent_queries, urgent_service
from .urgent import ClockKind, ClockStatus
from .urgent_models import Channel
from .urgent_queries import clock_view

bp = Blueprint("urgent", __name__, description="Urgent incident reporting clocks "
               "重大紧急事件报告时限（1小时报县、3小时报市、一般突发事件6小时）")
QUERY = {"location": "query", "error_status_code": 400}

NOT_BLANK = validate.Regexp(r"\s*\S", error=_l("This field may not be empty."))
# Bounds that keep any date the schema accepts within what Python and PostgreSQL compute
# with; the service then refuses reports before the incident or in the future.
PLAUSIBLE = validate.Range(dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
                           dt.datetime(2100, 1, 1, tzinfo=dt.UTC),
                           error=_l("Not a plausible time."))


class ClockOut(Schema):
    id = fields.Integer()
    kind = fields.Enum(ClockKind, by_value=True, metadata={
        "description": "county: 重大, to the county (1 h); upper: 重大, to the level above "
                       "the county (3 h); general: 一般突发事件, to the county (6 h)."})
    kind_label = fields.String(metadata={"example": "报告县综治中心"})
    started_at = fields.DateTime(metadata={"description": "The occurrence (or the report "
                                                          "when the occurrence is unknown)."})
    alarm_at = fields.DateTime(metadata={"description": "From here the clock is due soon."})
    due_at = fields.DateTime()
    met_at = fields.DateTime(allow_none=True, metadata={
        "description": "When the earliest report that counts was made; null: not yet."})
    late = fields.Boolean(metadata={"description": "迟报: reported after due, or not "
                                                   "reported and past due (marked by the "
                                                   "sweep)."})
    status = fields.Enum(ClockStatus, by_value=True)
    status_label = fields.String(metadata={"example": "计时中"})
    seconds_left = fields.Integer(metadata={"description": "Until due; negative once past."})


class ReportOut(Schema):
    id = fields.Integer()
    clock = fields.Enum(ClockKind, by_value=True)
    clock_label = fields.String()
    reported_by = fields.Integer(allow_none=True)
    reported_by_name = fields.String(allow_none=True)
    reported_by_unit_id = fields.Integer(allow_none=True)
    reported_by_unit = fields.String(allow_none=True)
    reported_to = fields.String(metadata={"example": "通辽市委政法委"})
    reported_at = fields.DateTime()
    content = fields.String()
    channel = fields.Enum(Channel, by_value=True)
    channel_label = fields.String()
    created_at = fields.DateTime()


class CaseClocksOut(Schema):
    case_id = fields.UUID()
    now = fields.DateTime(metadata={"description": "The server's time the statuses are "
                                                   "reckoned at (for countdowns)."})
    clocks = fields.List(fields.Nested(ClockOut))
    reports = fields.List(fields.Nested(ReportOut))


class ReportIn(Schema):
    clock = fields.Enum(ClockKind, by_value=True, required=True, metadata={
        "description": "The clock this report answers: county/general (to the county "
                       "centre: county staff or township dispatchers), upper (to the city: "
                       "county staff)."})
    reported_to = fields.String(load_default=None,
                                validate=[validate.Length(1, 100), NOT_BLANK], metadata={
        "description": "Whom it went to; the county centre if omitted (required for upper)."})
    reported_at = fields.AwareDateTime(load_default=None, validate=PLAUSIBLE, metadata={
        "description": "When the report was made (a phone call entered afterwards may be "
                       "earlier); now if omitted. Never before the occurrence nor in the "
                       "future."})
    content = fields.String(load_default="", validate=validate.Length(max=5000))
    channel = fields.Enum(Channel, by_value=True, load_default=Channel.phone)


class ReportSaved(ReportOut):
    clock_after = fields.Nested(ClockOut, metadata={
        "description": "The clock as it is after this report."})


class OpenClocksQuery(Schema):
    open = fields.Boolean(load_default=True, metadata={
        "example": True, "description": "true: clocks still owing a report (late ones "
                                        "too), most pressing first; false: every clock, "
                                        "newest first."})


class OpenClockOut(ClockOut):
    case_id = fields.UUID()
    case_title = fields.String(metadata={"example": "某村村民因征地补偿聚集"})
    case_state = fields.String(attribute="case_state.value")
    severity = fields.String()
    place = fields.String(metadata={"example": "保康镇 保南村 村委会门前"})


REPORT_EXAMPLES = {
    "upper": {
        "summary": "County staff reported to the city by phone",
        "value": {"clock": "upper", "reported_to": "通辽市委政法委", "channel": "phone",
                  "reported_at": "2026-11-10T16:20:00+08:00",
                  "content": "电话报告市委政法委值班室：保南村约40名村民因征地补偿聚集，"
                             "已派员现场劝导，无人员受伤。"},
    },
    "county": {
        "summary": "A township dispatcher's phone report to the county centre",
        "value": {"clock": "county", "channel": "phone",
                  "reported_at": "2026-11-10T14:05:00+08:00",
                  "content": "保康镇综治中心电话报告县综治中心值班员，事态已初步控制。"},
    },
}


@bp.route("/cases/<uuid:case_id>/urgent-clocks")
class CaseUrgentClocks(MethodView):
    @bp.response(200, CaseClocksOut)
    @bp.alt_response(404, description="No such case within your jurisdiction.")
    def get(self, case_id: uuid.UUID) -> dict[str, Any]:
        """Reporting clocks of an urgent case, with their status, and the reports made

        An ordinary case has no clocks (an empty list)."""
        return urgent_queries.case_clocks(case_id)


@bp.route("/cases/<uuid:case_id>/urgent-reports")
class CaseUrgentReports(MethodView):
    @bp.arguments(ReportIn, examples=REPORT_EXAMPLES)
    @bp.response(201, ReportSaved)
    @bp.alt_response(403, description="Only county staff and township dispatchers record "
                                      "reports; only county staff report to the city.")
    @bp.alt_response(404, description="No such case within your jurisdiction.")
    @bp.alt_response(422, description="The case has no such clock, or the time is before "
                                      "the occurrence or in the future.")
    def post(self, args: dict[str, Any], case_id: uuid.UUID) -> Any:
        """Record a report of an urgent incident (to the county or to the level above)

        The earliest report for a clock meets it: on time at or before due, otherwise 迟报.
        """
        report, clock = urgent_service.record_report(
            current_principal(), case_id, urgent_service.UrgentReportInput(**args))
        view = urgent_queries.case_clocks(case_id)
        saved = next(r for r in view["reports"] if r.id == report.id)
        return {**saved.__dict__, "clock_after": clock_view(clock, view["now"])}


@bp.route("/urgent-clocks")
class UrgentClocks(MethodView):
    @bp.arguments(OpenClocksQuery, **QUERY)
    @bp.response(200, OpenClockOut(many=True))
    @bp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[Any]:
        """Urgent reporting clocks within my jurisdiction (the county dashboard's list)"""
        rows, total = urgent_queries.list_clocks(args["open"], pagination_parameters.page,
                                                 pagination_parameters.page_size)
        pagination_parameters.item_count = total
        return rows
