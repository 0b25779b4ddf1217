"""Statistics API: indicators of a unit or grid cell for a period, the ranking of the places
one level down, the monthly trend, the categories, the grid-cell choropleth, and the ranking
as xlsx / CSV. Everything is scoped by jurisdiction; answers are cached briefly."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint

from ..exports.responses import table_response
from ..geo.tolerance import resolve_tolerance
from . import schemas, service
from .tables import ranking_table

bp = Blueprint("stats", __name__, description="Indicators and map statistics 指标与统计")
QUERY = {"location": "query", "error_status_code": 400}


@bp.route("/stats/indicators")
class Indicators(MethodView):
    @bp.arguments(schemas.StatsQuery, **QUERY)
    @bp.response(200, schemas.IndicatorsOut)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Indicators of a unit or grid cell for a period (化解率, 按期办结率, …)

        Each figure carries its numerator and denominator, what each counts, and the case
        list query behind each (`numerator_filter`, `denominator_filter`)."""
        return service.indicators(args.get("unit"), args["period"])


@bp.route("/stats/ranking")
class Ranking(MethodView):
    @bp.arguments(schemas.StatsQuery, **QUERY)
    @bp.response(200, schemas.RankingOut)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The units (or grid cells) one level down, ranked by 化解率, with every indicator"""
        return service.ranking(args.get("unit"), args["period"])


@bp.route("/stats/ranking/export")
class RankingExport(MethodView):
    @bp.arguments(schemas.ExportQuery, **QUERY)
    @bp.response(200, description="The ranking as an xlsx workbook or a CSV file.")
    def get(self, args: dict[str, Any]) -> Response:
        """The ranking as xlsx or CSV, with Chinese headers and each rate's numerator and
        denominator"""
        answer = service.ranking(args.get("unit"), args["period"])
        stem = _("Indicators") + "-" + answer["place"]["name"]
        return table_response([ranking_table(answer)], args["format"], stem,
                              ascii_stem="indicators-" + answer["place"]["code"])


@bp.route("/stats/trend")
class Trend(MethodView):
    @bp.arguments(schemas.StatsQuery, **QUERY)
    @bp.response(200, schemas.TrendOut)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Month by month: the indicators of the cases reported in each month"""
        return service.trend(args.get("unit"), args["period"])


@bp.route("/stats/categories")
class Categories(MethodView):
    @bp.arguments(schemas.StatsQuery, **QUERY)
    @bp.response(200, schemas.CategoriesOut)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Top-level categories: cases reported and 化解率, most reported first"""
        return service.categories(args.get("unit"), args["period"])


@bp.route("/stats/grid-cells")
class GridCellChoropleth(MethodView):
    @bp.arguments(schemas.ChoroplethQuery, **QUERY)
    @bp.response(200, description="GeoJSON FeatureCollection of grid cells with `reported`, "
                                  "`per_1000` (per 1,000 households) and `unresolved`.")
    def get(self, args: dict[str, Any]) -> Response:
        """Grid cells under a place with cases per 1,000 households and unresolved cases"""
        tolerance = resolve_tolerance(args.get("tolerance"), args.get("zoom"))
        document = service.grid_cells(args.get("unit"), args["period"], tolerance,
                                      args.get("bbox"))
        response = jsonify(document)
        response.mimetype = "application/geo+json"
        return response
