"""Request and response schemas of the analysis API."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from ..geo.schemas import PLACE_CODE, SimplifyQuery
from .models import RunKind

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
CATEGORY_CODE = validate.Regexp(r"^[0-9]{2,8}$", error=_l("A category code has 2 to 8 "
                                                            "digits."))
WEIGHT = validate.Range(0, 1000, error=_l("A weight is between 0 and 1,000."))
THRESHOLD = validate.Range(0, 10000, error=_l("A threshold is between 0 and 10,000."))


class MonthField(fields.Field):
    """`YYYY-MM` ↔ the first day of that month (between 2000 and 2100)."""

    default_error_messages = {"invalid": _l("Enter a month as YYYY-MM, between 2000 and "
                                            "2100.")}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.date:
        match = MONTH.match(value) if isinstance(value, str) else None
        if match is None:
            raise self.make_error("invalid")
        year, month = int(match.group(1)), int(match.group(2))
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise self.make_error("invalid")
        return dt.date(year, month, 1)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else f"{value:%Y-%m}"


class RunIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(
        [k.value for k in RunKind], error=_l("The kind is hotspots or backtest.")),
        metadata={"description": "hotspots: Gi*, emerging patterns and risk grades of the "
                                 "month; backtest: the predictive check of every month up to "
                                 "it against the month after."})
    month = MonthField(required=True, metadata={
        "description": "The month analysed (Asia/Shanghai), YYYY-MM; not a future one.",
        "example": "2026-05"})
    category = fields.String(load_default=None, validate=CATEGORY_CODE, metadata={
        "description": "Only the cases of this category group (a top-level category code)."})
    # Up to 10 km: a wider band makes the weights nearly dense in a large county (at 10,000
    # cells, 5 km already takes 44 s; docs/PERFORMANCE.md) and says little about hot spots.
    distance_m = fields.Float(load_default=None, validate=validate.Range(
        100, 10000, error=_l("The distance band is between 100 m and 10 km.")), metadata={
        "description": "Neighbours within this many metres instead of touching cells."})


RUN_EXAMPLE = {"kind": "hotspots", "month": "2026-05"}


class RunOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    month = fields.String(metadata={"example": "2026-05"})
    category = fields.String(allow_none=True)
    distance_m = fields.Float(allow_none=True)
    window_months = fields.Integer()
    status = fields.String(metadata={"description": "queued, running, done or failed"})
    progress = fields.Integer(metadata={"description": "Percent done."})
    stage = fields.String(allow_none=True)
    stage_label = fields.String(metadata={"description": "The stage in words."})
    error = fields.String(allow_none=True)
    summary = fields.Dict()
    settings = fields.Dict(metadata={"description": "The risk weights and thresholds used."})
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)


class CellsQuery(SimplifyQuery):
    month = MonthField(required=True, metadata={"example": "2026-05"})
    category = fields.String(validate=CATEGORY_CODE, metadata={
        "description": "The run limited to this category group; all cases if left out."})
    unit = fields.String(validate=PLACE_CODE, metadata={
        "description": "The unit or grid cell whose cells to show; your own unit if left out.",
        "example": "150521100000"})


class PredictionQuery(Schema):
    category = fields.String(validate=CATEGORY_CODE, metadata={
        "description": "The backtest limited to this category group; all cases if left out."})


class CheckOut(Schema):
    month = fields.String(metadata={"description": "The month flagged; checked against the "
                                                   "month after it."})
    method = fields.String(metadata={"description": "risk (our score) or kde (baseline)"})
    target = fields.Float(metadata={"description": "Share of the area to flag: 0.01, 0.05, "
                                                   "0.10."})
    area_share = fields.Float()
    cells = fields.Integer()
    hits = fields.Integer()
    total = fields.Integer()
    hit_rate = fields.Float(allow_none=True)
    pai = fields.Float(allow_none=True)


class AverageOut(Schema):
    method = fields.String()
    target = fields.Float()
    months = fields.Integer(metadata={"description": "Months whose next month had cases."})
    hit_rate = fields.Float(allow_none=True, metadata={"description": "Mean of the months."})
    pai = fields.Float(allow_none=True, metadata={"description": "Mean of the months."})
    area_share = fields.Float(allow_none=True)
    hits = fields.Integer()
    total = fields.Integer()
    pooled_hit_rate = fields.Float(allow_none=True, metadata={
        "description": "All hits ÷ all cases of the months counted."})


class PredictionOut(Schema):
    run = fields.Nested(RunOut)
    rows = fields.List(fields.Nested(CheckOut))
    averages = fields.List(fields.Nested(AverageOut))


class WeightsIn(Schema):
    hot = fields.Float(validate=WEIGHT)
    emerging = fields.Float(validate=WEIGHT)
    repeat = fields.Float(validate=WEIGHT)
    escalated = fields.Float(validate=WEIGHT)
    rebound = fields.Float(validate=WEIGHT)
    urgent = fields.Float(validate=WEIGHT)


class ThresholdsIn(Schema):
    red = fields.Float(validate=THRESHOLD)
    orange = fields.Float(validate=THRESHOLD)
    yellow = fields.Float(validate=THRESHOLD)


class RiskSettingsIn(Schema):
    version = fields.Integer(required=True, validate=validate.Range(0, 2**31 - 1), metadata={
        "description": "The version you read (0 when the county never changed the "
                       "defaults); a stale one is refused with 409."})
    weights = fields.Nested(WeightsIn, load_default=dict)
    thresholds = fields.Nested(ThresholdsIn, load_default=dict)


RISK_EXAMPLE = {"version": 0,
                "weights": {"hot": 3, "emerging": 3, "repeat": 1, "escalated": 1, "rebound": 2,
                            "urgent": 5},
                "thresholds": {"red": 12, "orange": 7, "yellow": 3}}


class RiskSettingsOut(Schema):
    version = fields.Integer()
    updated_at = fields.DateTime(allow_none=True)
    weights = fields.Dict(keys=fields.String(), values=fields.Float())
    thresholds = fields.Dict(keys=fields.String(), values=fields.Float())

