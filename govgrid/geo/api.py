"""Geography API: point location, unit tree, unit and grid-cell boundaries."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from . import schemas, services
from .tolerance import resolve_tolerance


def _geojson(document: dict[str, object]) -> Response:
    """GeoJSON built by PostgreSQL goes out as is: the schemas document it, but re-serialising
    thousands of features through marshmallow would only cost time."""
    response = jsonify(document)
    response.mimetype = "application/geo+json"
    return response


# A malformed query string is a bad request (400); 422 is kept for refusals of well-formed
# requests, such as a point outside the county.
QUERY = {"location": "query", "error_status_code": 400}

bp = Blueprint("geo", __name__, description="Administrative units and grid cells 行政区划与网格")


@bp.route("/locate")
class Locate(MethodView):
    @bp.arguments(schemas.LocateQuery, **QUERY)
    @bp.response(200, schemas.LocateResult)
    @bp.alt_response(422, description="The point lies outside the county.")
    def get(self, args: dict[str, float]) -> dict[str, object]:
        """Locate a point: grid cell, village, township and county containing it"""
        return services.locate(args["lon"], args["lat"])


@bp.route("/units/tree")
class UnitTree(MethodView):
    @bp.arguments(schemas.TreeQuery, **QUERY)
    @bp.response(200, schemas.TreeNode(many=True))
    @bp.alt_response(404, description="No unit with the root code.")
    def get(self, args: dict[str, Any]) -> list[dict[str, object]]:
        """Unit tree: county, townships and villages as nested nodes"""
        return services.unit_tree(args.get("root"), args.get("depth"))


@bp.route("/units")
class Units(MethodView):
    @bp.arguments(schemas.UnitsQuery, **QUERY)
    @bp.response(200, schemas.FeatureCollection)
    def get(self, args: dict[str, Any]) -> Response:
        """Unit boundaries of one level as a GeoJSON FeatureCollection"""
        tolerance = resolve_tolerance(args.get("tolerance"), args.get("zoom"))
        return _geojson(
            services.unit_features(args["level"], tolerance, args.get("bbox"), args.get("parent"))
        )


@bp.route("/units/<code>")
class UnitDetail(MethodView):
    @bp.arguments(schemas.SimplifyQuery, **QUERY)
    @bp.response(200, schemas.Feature)
    @bp.alt_response(404, description="No unit with this code.")
    def get(self, args: dict[str, Any], code: str) -> Response:
        """One unit with its boundary as a GeoJSON Feature"""
        tolerance = resolve_tolerance(args.get("tolerance"), args.get("zoom"))
        return _geojson(services.unit_feature(code, tolerance))


@bp.route("/grid-cells")
class GridCells(MethodView):
    @bp.arguments(schemas.CellsQuery, **QUERY)
    @bp.response(200, schemas.FeatureCollection)
    def get(self, args: dict[str, Any]) -> Response:
        """Grid-cell boundaries within a bbox or a village as a GeoJSON FeatureCollection"""
        tolerance = resolve_tolerance(args.get("tolerance"), args.get("zoom"))
        return _geojson(services.cell_features(tolerance, args.get("bbox"), args.get("village")))
