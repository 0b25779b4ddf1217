"""Analysis API (研判): runs and their progress, per-cell results as map layers, the
predictive check, the county's risk settings. Runs are computed by RQ workers, never here:
asking for one commits it as queued and answers 202 at once."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint

from ..auth.permissions import Forbidden, Permission, require
from ..auth.principal import current_principal
from ..geo.models import UnitLevel
from ..geo.tolerance import resolve_tolerance
from . import layers, runs, schemas, settings
from .models import RunKind

bp = Blueprint("analysis", __name__, description="Hot spots, trends and risk 研判分析")
QUERY = {"location": "query", "error_status_code": 400}


@bp.route("/analysis/runs")
class Runs(MethodView):
    @bp.response(200, schemas.RunOut(many=True))
    def get(self) -> list[dict[str, Any]]:
        """My county's recent analysis runs, newest first"""
        return [layers.run_answer(run) for run in runs.recent_runs()]

    @bp.arguments(schemas.RunIn, example=schemas.RUN_EXAMPLE, error_status_code=400)
    @bp.response(202, schemas.RunOut)
    @bp.alt_response(403, description="Only county centre staff and admins run analyses.")
    @bp.alt_response(422, description="A future month, or not a category group.")
    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        """Ask for an analysis run of my county (carried out by a worker)

        Answers at once with the queued run; poll GET /analysis/runs/{run_id} for its
        progress. A hot-spot run covers the month and the eleven before it (the trend)."""
        principal = current_principal()
        require(principal, Permission.run_analysis)
        if not principal.is_system and principal.unit_level != UnitLevel.county:
            raise Forbidden(_l("Hot-spot analysis covers the whole county: ask the county "
                               "centre."))
        run = runs.request_run(principal, RunKind(args["kind"]), args["month"],
                               layers.category_group(args["category"]), args["distance_m"])
        return layers.run_answer(run)


@bp.route("/analysis/runs/<int:run_id>")
class Run(MethodView):
    @bp.response(200, schemas.RunOut)
    @bp.alt_response(404, description="No such run within your county.")
    def get(self, run_id: int) -> dict[str, Any]:
        """One analysis run: status, progress, stage, summary or error"""
        return layers.run_answer(runs.get_run(run_id))


@bp.route("/analysis/cells")
class Cells(MethodView):
    @bp.arguments(schemas.CellsQuery, **QUERY)
    @bp.response(200, description="GeoJSON FeatureCollection of grid cells with hot_class, "
                                  "pattern, pattern_side, grade, score, cases, z, q and the "
                                  "facts behind the grade; `run` names the run read.")
    @bp.alt_response(404, description="No finished hot-spot run for that month (or the place "
                                      "is outside your jurisdiction).")
    def get(self, args: dict[str, Any]) -> Response:
        """Grid cells under a place with their hot-spot class, emerging pattern and risk grade
        in the month's latest finished run"""
        tolerance = resolve_tolerance(args.get("tolerance"), args.get("zoom"))
        document = layers.cells(current_principal(), args["month"], args.get("category"),
                                args.get("unit"), tolerance)
        response = jsonify(document)
        response.mimetype = "application/geo+json"
        return response


@bp.route("/analysis/prediction")
class Prediction(MethodView):
    @bp.arguments(schemas.PredictionQuery, **QUERY)
    @bp.response(200, schemas.PredictionOut)
    @bp.alt_response(404, description="No backtest has finished yet.")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Does it predict? The latest backtest: hit rate and PAI per month, method and area
        share, with the averages

        Each month's cells are flagged by our risk score and by a kernel-density baseline
        until they cover 1 %, 5 % or 10 % of the area; the hit rate is the share of the next
        month's cases in the flagged cells and PAI = hit rate ÷ area share (1 = chance)."""
        return layers.prediction(current_principal(), args.get("category"))


@bp.route("/analysis/risk-settings")
class RiskSettings(MethodView):
    @bp.response(200, schemas.RiskSettingsOut)
    def get(self) -> dict[str, Any]:
        """My county's risk weights and thresholds (defaults filled in)"""
        return settings.read(current_principal())

    @bp.arguments(schemas.RiskSettingsIn, example=schemas.RISK_EXAMPLE)
    @bp.response(200, schemas.RiskSettingsOut)
    @bp.alt_response(403, description="Only county centre staff and admins change them.")
    @bp.alt_response(409, description="Someone changed the settings since you read them.")
    @bp.alt_response(422, description="A negative weight, or thresholds not falling from red "
                                      "to orange to yellow.")
    def put(self, args: dict[str, Any]) -> dict[str, Any]:
        """Change my county's risk weights and thresholds

        What you leave out keeps its default; runs from now on use the new settings, finished
        runs keep the ones they used."""
        return settings.save(current_principal(),
                             {"weights": args["weights"], "thresholds": args["thresholds"]},
                             args["version"])
