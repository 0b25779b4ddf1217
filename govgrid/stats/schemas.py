"""Request and response schemas of the statistics API."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, post_load, validate

from ..geo.schemas import PLACE_CODE, BBoxField, SimplifyQuery
from ..timestamps import utcnow
from .period import PeriodError, resolve

PERIOD_ERRORS = {
    "last_before_first": _l("The period ends before it starts."),
    "too_long": _l("The period is longer than five years."),
    "out_of_range": _l("Choose days between 2000 and 2100."),
}


class StatsQuery(Schema):
    unit = fields.String(validate=PLACE_CODE, metadata={
        "description": "The unit (12 digits) or grid cell (15 digits); your own unit if left "
                       "out.", "example": "150521100000"})
    first = fields.Date(data_key="from", metadata={
        "description": "First day (Asia/Shanghai), included; the first of the last day's "
                       "month if left out.", "example": "2026-01-01"})
    last = fields.Date(data_key="to", metadata={
        "description": "Last day (Asia/Shanghai), included; today if left out.",
        "example": "2026-06-30"})

    @post_load
    def period(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        try:
            data["period"] = resolve(data.pop("first", None), data.pop("last", None), utcnow())
        except PeriodError as error:
            raise ValidationError(str(PERIOD_ERRORS[str(error)]), "to") from error
        return data


class ChoroplethQuery(StatsQuery, SimplifyQuery):
    bbox = BBoxField(metadata={"description": "Only cells meeting this box.",
                               "example": "122.5,43.9,122.9,44.1"})


class ExportQuery(StatsQuery):
    format = fields.String(required=True, validate=validate.OneOf(
        ("xlsx", "csv"), error=_l("The format is xlsx or csv.")), metadata={"example": "xlsx"})


class PlaceOut(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.String(metadata={"description": "county, township, village or cell"})
    households = fields.Integer()
    parent_code = fields.String(allow_none=True)


class FigureOut(Schema):
    key = fields.String(metadata={"description": "resolution_rate, on_time_rate, …"})
    label = fields.String()
    kind = fields.String(metadata={"description": "rate (value is a fraction) or count"})
    value = fields.Float(allow_none=True, metadata={
        "description": "None when the denominator is 0 (shown as —)."})
    numerator = fields.Integer()
    denominator = fields.Integer(allow_none=True)
    numerator_text = fields.String()
    denominator_text = fields.String(allow_none=True)
    higher_is_better = fields.Boolean()
    numerator_filter = fields.Dict(metadata={
        "description": "GET /api/v1/cases query listing the cases behind the numerator."})
    denominator_filter = fields.Dict(allow_none=True)


class _Header(Schema):
    place = fields.Nested(PlaceOut)
    first = fields.String()
    last = fields.String()
    as_of = fields.String(metadata={"description": "When the numbers were computed (UTC)."})


class IndicatorsOut(_Header):
    indicators = fields.List(fields.Nested(FigureOut))
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())


class RankingRow(Schema):
    rank = fields.Integer()
    place = fields.Nested(PlaceOut)
    indicators = fields.List(fields.Nested(FigureOut))


class RankingOut(_Header):
    rows = fields.List(fields.Nested(RankingRow))


class TrendMonth(Schema):
    month = fields.String(metadata={"example": "2026-03"})
    reported = fields.Integer()
    indicators = fields.List(fields.Nested(FigureOut))


class TrendOut(_Header):
    months = fields.List(fields.Nested(TrendMonth))


class CategoryRow(Schema):
    code = fields.String()
    name = fields.String()
    reported = fields.Integer()
    resolution_rate = fields.Nested(FigureOut)


class CategoriesOut(_Header):
    rows = fields.List(fields.Nested(CategoryRow))
