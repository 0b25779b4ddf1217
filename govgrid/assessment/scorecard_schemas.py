"""Request and response schemas of the scorecards, the standing map and the annual table."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, post_load, validate

from ..geo.schemas import SimplifyQuery
from ..stats.period import EARLIEST, LATEST, local_today
from ..timestamps import utcnow
from .assessment_periods import NamedPeriodError, parse

UNIT_CODE = validate.Regexp(r"^[0-9]{12}$", error=_l("A unit code has 12 digits."))
PERIOD_MESSAGES = {
    "format": _l("Name a month (2026-11), a quarter (2026-Q3) or a year (2026)."),
    "out_of_range": _l("Choose a year between 2000 and 2100."),
    "not_begun": _l("This period has not begun yet."),
}


class _UnitQuery(Schema):
    unit = fields.String(validate=UNIT_CODE, metadata={
        "description": "A county (its townships are scored) or a township (its villages); "
                       "your county's townships if left out.", "example": "150521000000"})


class ScorecardQuery(_UnitQuery):
    period = fields.String(metadata={
        "description": "A month `2026-11`, a quarter `2026-Q3` or a year `2026` (local "
                       "days; a period still running ends today). This month if left out.",
        "example": "2026-03"})

    @post_load
    def named(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        try:
            data["period"] = parse(data.get("period"), local_today(utcnow()))
        except NamedPeriodError as error:
            raise ValidationError(str(PERIOD_MESSAGES[str(error)]), "period") from error
        return data


class StandingMapQuery(_UnitQuery, SimplifyQuery):
    pass


class AnnualQuery(_UnitQuery):
    year = fields.Integer(validate=validate.Range(
        EARLIEST.year, LATEST.year, error=_l("Choose a year between 2000 and 2100.")),
        metadata={"description": "The year assessed; this year if left out.",
                  "example": 2026})
    format = fields.String(required=True, validate=validate.OneOf(
        ("xlsx", "csv"), error=_l("The format is xlsx or csv.")), metadata={"example": "xlsx"})

    @post_load
    def named(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        today = local_today(utcnow())
        data["year"] = data.get("year") or today.year
        try:
            data["period"] = parse(str(data["year"]), today)
        except NamedPeriodError as error:
            raise ValidationError(str(PERIOD_MESSAGES[str(error)]), "year") from error
        return data


class ScorecardUnitOut(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.String()


class ScorecardEvidenceOut(Schema):
    type = fields.String(metadata={"description": "event (the register) or case"})
    id = fields.Raw(metadata={"description": "an event id, or a case id (UUID)"})
    title = fields.String(allow_none=True)
    occurred_on = fields.String(allow_none=True)
    url = fields.String()
    case_url = fields.String(allow_none=True)


class ScorecardIndicatorOut(Schema):
    key = fields.String()
    label = fields.String()
    value = fields.Float(allow_none=True, metadata={"description": "None: no figure."})
    numerator = fields.Integer()
    denominator = fields.Integer(allow_none=True)
    target = fields.Float()
    floor = fields.Float()
    weight = fields.Float()
    points = fields.Float(allow_none=True, metadata={"description": "On its own weight."})
    scaled = fields.Float(metadata={"description": "Counted in the total."})
    met = fields.Boolean(allow_none=True)
    grade = fields.String(metadata={"description": "met, near, missed or none"})
    higher_is_better = fields.Boolean()
    numerator_text = fields.String()
    denominator_text = fields.String(allow_none=True)
    numerator_filter = fields.Dict(metadata={
        "description": "GET /api/v1/cases query listing the cases behind the numerator."})
    denominator_filter = fields.Dict(allow_none=True)


class ScorecardDeductionOut(Schema):
    code = fields.String()
    label = fields.String()
    basis = fields.String()
    count = fields.Integer()
    each = fields.Float()
    points = fields.Float()
    capped = fields.Boolean()
    evidence = fields.List(fields.Nested(ScorecardEvidenceOut))


class ScorecardVetoOut(Schema):
    code = fields.String(metadata={"description": "the scheme's veto trigger, or "
                                                  "ladder_veto: a 一票否决 confirmed by the "
                                                  "period's last day and in force now"})
    label = fields.String()
    evidence = fields.List(fields.Nested(ScorecardEvidenceOut))
    sanction_id = fields.Integer(allow_none=True)


class ScorecardStandingOut(Schema):
    step = fields.String(allow_none=True, metadata={
        "description": "The highest step in force: notice, interview, supervision, veto."})
    label = fields.String()
    sanction_id = fields.Integer(allow_none=True)
    in_force = fields.List(fields.Integer())
    disqualified_until = fields.String(allow_none=True, metadata={
        "description": "The first local day no longer disqualified."})


class ScorecardRow(Schema):
    unit = fields.Nested(ScorecardUnitOut)
    unit_page = fields.String()
    rank = fields.Integer()
    total = fields.Float()
    indicator_points = fields.Float()
    deducted = fields.Float()
    scale = fields.Float()
    passed = fields.Boolean()
    vetoed = fields.Boolean()
    qualified = fields.Boolean()
    grade = fields.String(metadata={"description": "excellent, good, qualified, unqualified"})
    grade_label = fields.String()
    veto = fields.Nested(ScorecardVetoOut, allow_none=True)
    vetoes = fields.List(fields.Nested(ScorecardVetoOut))
    indicators = fields.List(fields.Nested(ScorecardIndicatorOut))
    deductions = fields.List(fields.Nested(ScorecardDeductionOut))
    standing = fields.Nested(ScorecardStandingOut)


class ScorecardPeriodOut(Schema):
    name = fields.String(metadata={"example": "2026-Q3"})
    kind = fields.String()
    first = fields.String()
    last = fields.String()
    running = fields.Boolean()


class ScorecardsOut(Schema):
    place = fields.Nested(ScorecardUnitOut)
    level = fields.String(metadata={"description": "township or village: the rows' level"})
    period = fields.Nested(ScorecardPeriodOut)
    scheme_version = fields.Integer(metadata={"description": "0: the built-in default."})
    scheme_year = fields.Integer()
    pass_score = fields.Float()
    as_of = fields.String()
    ranked_among = fields.Integer()
    rows = fields.List(fields.Nested(ScorecardRow))
