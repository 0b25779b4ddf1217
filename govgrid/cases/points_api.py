"""Case points API: where the cases of a (filtered) list are, as GeoJSON for map layers.

Generic on purpose: the centre console's clustered markers and the county dashboard's heat
and cluster layers ask the same endpoint with the list's own filters.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from ..geo.schemas import Feature
from .deadlines import DeadlineState
from .points import MAX_POINTS, case_points
from .schemas import CasesQuery

bp = Blueprint("case_points_api", __name__, description="Case points for maps 案件点位")
QUERY = {"location": "query", "error_status_code": 400}


class PointsQuery(CasesQuery):
    limit = fields.Integer(load_default=MAX_POINTS, validate=validate.Range(1, MAX_POINTS),
                           metadata={"description": "At most this many points, the first in "
                                                    "the list's order (sort).",
                                     "example": 1000})


class CasePointProperties(Schema):
    """Documents the properties of each Feature (the response is built by PostgreSQL)."""

    id = fields.UUID()
    title = fields.String()
    state = fields.String()
    severity = fields.String()
    deadline_state = fields.String(allow_none=True, metadata={
        "enum": [s.value for s in DeadlineState],
        "description": "normal (正常), due_soon (将到期) or overdue (超期) now; null when no "
                       "clock runs."})
    is_urgent = fields.Boolean()
    approximate = fields.Boolean(metadata={
        "description": "Reported without a GPS point: placed inside its grid cell or unit."})


class CasePoint(Feature):
    properties = fields.Nested(CasePointProperties)


class CasePoints(Schema):
    type = fields.Constant("FeatureCollection")
    features = fields.List(fields.Nested(CasePoint))
    total = fields.Integer(metadata={"description": "How many cases match the filters; more "
                                                    "than the features when truncated."})
    truncated = fields.Boolean(metadata={"description": "More cases matched than returned."})


@bp.route("/cases/points")
class CasePointsResource(MethodView):
    @bp.arguments(PointsQuery, **QUERY)
    @bp.response(200, CasePoints)
    def get(self, args: dict[str, Any]) -> Response:
        """Where the cases within my jurisdiction are, with the list's filters (GeoJSON)

        The same filters as GET /api/v1/cases; at most `limit` points (the first in the
        `sort` order), with `total` the number of all matching cases. Cases reported without
        GPS are placed inside their grid cell or unit and marked `approximate`.
        """
        limit = args.pop("limit")
        response = jsonify(case_points(args, limit))
        # Built by PostgreSQL and sent as is, like the geo layers.
        response.mimetype = "application/geo+json"
        return response
