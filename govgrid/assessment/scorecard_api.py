"""The assessment's read side for people: the scorecards of a period, the map by ladder
status and the annual assessment table as xlsx or CSV. For county staff, leaders,
assessors and admins (the county) and township centres (their own township and its
villages); everyone else 403. docs/ASSESSMENT.md ("Reading the scorecards")."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from ..auth.principal import current_principal
from ..exports.responses import table_response
from ..geo.tolerance import resolve_tolerance
from ..timestamps import utcnow
from . import scorecard_schemas as schemas
from .annual_table import annual_table
from .scorecards import require_reader, scorecards, subject
from .standing_map import standing_map

bp = Blueprint("assessment_scorecards", __name__,
               description="Assessment scorecards, standing map, annual table 考核结果")
QUERY = {"location": "query", "error_status_code": 400}


@bp.route("/assessment/scorecards")
class Scorecards(MethodView):
    @bp.arguments(schemas.ScorecardQuery, **QUERY)
    @bp.response(200, schemas.ScorecardsOut)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The townships of a county (or the villages of a township) scored for a month,
        quarter or year, ranked

        Each indicator against its target with the case-list queries behind its numerator
        and denominator; deductions with their evidence; vetoes; the ladder standing today;
        the scheme version used (0: the built-in default)."""
        return scorecards(current_principal(), args.get("unit"), args["period"])


@bp.route("/assessment/standing-map")
class StandingMap(MethodView):
    @bp.arguments(schemas.StandingMapQuery, **QUERY)
    @bp.response(200, description="GeoJSON FeatureCollection of the units with `step` (the "
                                  "highest step in force, or null), `disqualified_until` and "
                                  "`proposed` (pending proposals).")
    def get(self, args: dict[str, Any]) -> Response:
        """The townships (or a township's villages) with their standing on the ladder"""
        principal = require_reader(current_principal())
        parent, _units = subject(principal, args.get("unit"))
        tolerance = resolve_tolerance(args.get("tolerance"), args.get("zoom"))
        response = jsonify(standing_map(parent, utcnow(), tolerance))
        response.mimetype = "application/geo+json"
        return response


@bp.route("/assessment/annual-table")
class AnnualTable(MethodView):
    @bp.arguments(schemas.AnnualQuery, **QUERY)
    @bp.response(200, description="The annual assessment table as xlsx or CSV.")
    def get(self, args: dict[str, Any]) -> Response:
        """The annual assessment table (年度考核结果汇总表) as xlsx or CSV, in Chinese"""
        now = utcnow()
        answer = scorecards(current_principal(), args.get("unit"), args["period"], now)
        table = annual_table(answer, args["year"], now)
        stem = f"{answer['place']['name']}{args['year']}年度考核结果汇总表"
        return table_response([table], args["format"], stem,
                              ascii_stem=f"assessment-{answer['place']['code']}-{args['year']}",
                              now=now)
