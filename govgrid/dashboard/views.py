"""The county dashboard page (/dashboard): a unit or grid cell and a period chosen in the
query string (so a view can be shared and the back button works), rendered as a shell whose
scripts ask the statistics API for the numbers. For county staff, leaders and assessors (the
whole county) and township centres (their own township: the jurisdiction hook scopes every
query, so another township is simply not found). Everyone else gets the 403 page."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from ..auth.permissions import require_role
from ..auth.principal import Principal, current_principal
from ..auth.roles import Role
from ..geo.schemas import PLACE_CODE
from ..stats.period import local_today
from ..stats.places import Place, find_place
from ..stats.schemas import PERIOD_ERRORS
from ..timestamps import utcnow
from .analysis import analysis_layers
from .labels import script_labels
from .periods import (
    EARLIEST,
    LATEST,
    Choice,
    PeriodChoiceError,
    Preset,
    choose,
    presets,
    trend_window,
)
from .trail import trail

bp = Blueprint("dashboard", __name__)

DASHBOARD_ROLES = frozenset({Role.county_staff, Role.county_leader, Role.assessor,
                             Role.township_dispatcher})
PLACEHOLDER_ID = uuid.UUID(int=0)  # in the case page's URL, replaced by each case's id


@bp.app_context_processor
def dashboard_nav() -> dict[str, Any]:
    """Who gets the dashboard link in the page header (base.html)."""
    return {"dashboard_roles": DASHBOARD_ROLES}


def _require_dashboard() -> Principal:
    return require_role(current_principal(), DASHBOARD_ROLES, _(
        "The dashboard is for county staff, leaders and assessors and township centres."))


def _period_error(error: PeriodChoiceError) -> tuple[str, str]:
    field, reason = error.args
    if reason in PERIOD_ERRORS:
        return field, str(PERIOD_ERRORS[reason])
    if reason == "unknown":
        return field, _("Choose a period from the list.")
    if reason == "missing":
        return field, _("Enter both the first and the last day.")
    if reason == "out_of_range":
        return field, _("Enter a day between %(first)s and %(last)s.",
                        first=EARLIEST.isoformat(), last=LATEST.isoformat())
    return field, _("Enter a date as YYYY-MM-DD.")


def _page_query(place: Place, choice: Choice) -> dict[str, str]:
    """The query string that reproduces this view (drill-down links keep the period)."""
    query = {"unit": place.code, "period": choice.preset.value}
    if choice.preset is Preset.custom:
        query.update({"from": choice.first.isoformat(), "to": choice.last.isoformat()})
    return query


def _ranking_title(level: str) -> str:
    return {"county": _("Townships ranked"), "township": _("Villages ranked"),
            "village": _("Grid cells ranked")}.get(level, _("A grid cell has no places below"))


def _trail_links(place: Place, query: dict[str, str]) -> list[dict[str, str]]:
    return [{**step, "href": url_for("dashboard.dashboard", **{**query, "unit": step["code"]})}
            for step in trail(place)]


def _render(place: Place, choice: Choice | None, form: dict[str, str],
            errors: dict[str, str], today: Any) -> tuple[str, int]:
    query = _page_query(place, choice) if choice else {}
    return render_template(
        "dashboard/dashboard.html", place=place, trail=_trail_links(place, query),
        choice=choice, form=form, errors=errors, presets=presets(today),
        ranking_title=_ranking_title(place.level),
        config=_config(place, choice) if choice and not errors else None,
    ), 400 if errors else 200


def _config(place: Place, choice: Choice) -> dict[str, Any]:
    period, trend = choice.period, trend_window(choice.period)
    return {
        "place": place.as_dict(),
        "query": _page_query(place, choice),
        "period": {"first": period.first.isoformat(), "last": period.last.isoformat(),
                   # The instants the case list compares reported_at with (end excluded).
                   "start": period.start.isoformat(), "end": period.end.isoformat()},
        "trend": {"first": trend.first.isoformat(), "last": trend.last.isoformat()},
        "urls": {
            "dashboard": url_for("dashboard.dashboard"),
            "indicators": url_for("stats.Indicators"),
            "ranking": url_for("stats.Ranking"),
            "rankingExport": url_for("stats.RankingExport"),
            "trend": url_for("stats.Trend"),
            "categories": url_for("stats.Categories"),
            "gridCells": url_for("stats.GridCellChoropleth"),
            "analysisCells": url_for("analysis.Cells"),
            "points": url_for("case_points_api.CasePointsResource"),
            "units": url_for("geo.Units"),
            "cells": url_for("geo.GridCells"),
            "console": url_for("console.queue_page"),
            "urgent": url_for("sla_pages.urgent_board"),
            "casePage": url_for("cases_pages.case_page", case_id=PLACEHOLDER_ID),
            "casePageId": str(PLACEHOLDER_ID),
        },
        "map": {
            "tileUrl": current_app.config["TILE_URL"],
            "tileAttribution": current_app.config["TILE_ATTRIBUTION"],
            # Marker clustering needs a maximum zoom, which without tiles nothing else sets.
            "maxZoom": current_app.config["TILE_MAX_ZOOM"],
        },
        "analysis": analysis_layers(period.last),
        "labels": script_labels(),
    }


@bp.get("/dashboard")
def dashboard() -> tuple[str, int]:
    """Indicators, charts, ranking and map of a unit or grid cell for a period."""
    principal = _require_dashboard()
    today = local_today(utcnow())
    errors: dict[str, str] = {}
    unit = (request.args.get("unit") or "").strip() or None
    if unit is not None:
        try:
            PLACE_CODE(unit)
        except ValidationError as error:
            errors["unit"] = str(error.messages[0])
    choice: Choice | None = None
    try:
        choice = choose(request.args, today)
    except PeriodChoiceError as error:
        field, message = _period_error(error)
        errors[field] = message
    form = {k: request.args.get(k, "") for k in ("period", "from", "to")}
    if errors or choice is None:
        # A page without numbers, the form showing what was wrong.
        place = find_place(None if "unit" in errors else unit, principal)
        return _render(place, None, form, errors, today)
    place = find_place(unit, principal)  # 404 outside the jurisdiction
    form.update({"period": choice.preset.value, "from": choice.first.isoformat(),
                 "to": choice.last.isoformat()})
    return _render(place, choice, form, errors, today)
