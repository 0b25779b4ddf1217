"""Request and response schemas of the monthly reports API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate

from ..stats.period import local_today
from ..timestamps import utcnow
from .months import MonthError, parse_month
from .service import MONTH_ERRORS

UNIT_CODE = validate.Regexp(r"^[0-9]{12}$", error=_l("A unit code has 12 digits."))


class MonthField(fields.String):
    """'YYYY-MM' -> the month's first day; a month not begun yet is refused."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.date:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return parse_month(text, local_today(utcnow()))
        except MonthError as error:
            raise ValidationError(str(MONTH_ERRORS[str(error)])) from error

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else f"{value:%Y-%m}"


class MonthlyReportRequest(Schema):
    unit = fields.String(required=True, validate=UNIT_CODE, metadata={
        "description": "The county or township (12 digits) within your jurisdiction; a "
                       "township centre asks for its own township.",
        "example": "150521100000"})
    month = MonthField(required=True, metadata={
        "description": "The month (Asia/Shanghai) as YYYY-MM: a past month, or this month "
                       "so far.", "example": "2026-11"})


class MonthlyReportQuery(Schema):
    unit = fields.String(validate=UNIT_CODE, metadata={
        "description": "Only this unit's reports.", "example": "150521100000"})
    month = MonthField(metadata={"description": "Only reports of this month (YYYY-MM).",
                                 "example": "2026-11"})


class ReportUnitOut(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.String(metadata={"description": "county or township"})


class ReportLinksOut(Schema):
    self = fields.String(metadata={"description": "This resource (poll it for progress)."})
    html = fields.String(metadata={"description": "The A4 report page, once done."})
    xlsx = fields.String(metadata={"description": "The xlsx appendix, once done."})


class MonthlyReportOut(Schema):
    id = fields.Integer()
    unit = fields.Nested(ReportUnitOut)
    month = MonthField()
    status = fields.String(metadata={"description": "queued, running, done or failed"})
    progress = fields.Integer(metadata={"description": "Per cent done."})
    stage = fields.String(allow_none=True, metadata={
        "description": "analysis, figures, maps, appendix, storing, done"})
    error = fields.String(allow_none=True)
    xlsx_size = fields.Integer(allow_none=True)
    requested_by = fields.Integer(allow_none=True, metadata={
        "description": "Who asked; null: the month-end schedule."})
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    links = fields.Nested(ReportLinksOut)


REQUEST_EXAMPLES = {
    "township": {"summary": "This month so far, for a township",
                 "value": {"unit": "150521100000", "month": "2026-01"}},
    "county": {"summary": "A past month, for the county",
               "value": {"unit": "150521000000", "month": "2025-12"}},
}
