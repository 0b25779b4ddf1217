"""Assessment pages: the township scorecard (/assessment) — the townships of the county (or
the villages of a township, `?unit=`) for a month, quarter or year (`?period=2026-11`,
`2026-Q3`, `2026`), ranked, each indicator against its target in colour with links to its
cases on the console, deductions with their evidence, the standing badge; the map coloured
by ladder status (static/js/assessment/standing-map.js); links to the annual table.

Rendered on the server from the same answer as GET /api/v1/assessment/scorecards, so the
page and the API cannot disagree. For county staff, leaders, assessors, admins and township
centres (their own township); everyone else gets the 403 page. A broken query value is a 400
page naming the field."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.principal import current_principal
from ..errors import Unprocessable
from ..stats.period import local_today
from ..timestamps import utcnow
from .assessment_periods import Kind, NamedPeriodError, choices, parse
from .scorecard_labels import GOOD_STANDING, STEP_LABELS
from .scorecard_schemas import PERIOD_MESSAGES
from .scorecards import require_reader, scorecards
from .vocabulary import LADDER

bp = Blueprint("assessment_pages", __name__)
CODE = re.compile(r"^[0-9]{12}$")


def _console(filter_: dict[str, str] | None) -> str | None:
    if not filter_:
        return None
    return url_for("console.queue_page") + "?" + urlencode(filter_)


def _links(answer: dict[str, Any]) -> None:
    """Each figure's console link beside its filter (the template only prints)."""
    for row in answer["rows"]:
        for item in row["indicators"]:
            item["numerator_href"] = _console(item["numerator_filter"])
            item["denominator_href"] = _console(item["denominator_filter"])
        row["drill_href"] = (url_for("assessment_pages.scorecard_page",
                                     unit=row["unit"]["code"], period=answer["period"]["name"])
                             if row["unit"]["level"] == "township" else None)


def _map_config(answer: dict[str, Any], unit: str | None) -> dict[str, Any]:
    return {
        "standingMap": url_for("assessment_scorecards.StandingMap"),
        "unit": unit,
        "map": {"tileUrl": current_app.config["TILE_URL"],
                "tileAttribution": current_app.config["TILE_ATTRIBUTION"],
                "maxZoom": current_app.config["TILE_MAX_ZOOM"]},
        "labels": {
            "steps": {step.value: str(STEP_LABELS[step]) for step in LADDER},
            "none": str(GOOD_STANDING),
            "legend": _("Standing on the ladder"),
            "until": _("disqualified until %(day)s"),
            "proposed": _("%(count)s proposal(s) waiting for a decision"),
            "open": _("Open the unit's page"),
            "loadFailed": _("The map could not be loaded. Reload the page to try again."),
        },
    }


@bp.get("/assessment")
def scorecard_page() -> tuple[str, int]:
    """The scorecards of a period, ranked, with the map by ladder status."""
    principal = require_reader(current_principal())
    today = local_today(utcnow())
    errors: dict[str, str] = {}
    unit = (request.args.get("unit") or "").strip() or None
    if unit is not None and not CODE.match(unit):
        errors["unit"] = _("A unit code has 12 digits.")
    raw_period = request.args.get("period", "")
    named = None
    try:
        named = parse(raw_period, today)
    except NamedPeriodError as error:
        errors["period"] = str(PERIOD_MESSAGES[str(error)])
    answer = None
    if not errors and named is not None:
        try:
            answer = scorecards(principal, unit, named)  # 404 outside the jurisdiction
        except Unprocessable as error:
            errors["unit"] = str(error.message)
    if answer is not None:
        _links(answer)
    picker = choices(today)
    shown = named.name if named else raw_period
    if named is not None and named.name not in picker[named.kind]:
        picker[named.kind].insert(0, named.name)
    return render_template(
        "assessment/scorecard.html", answer=answer, errors=errors, unit=unit,
        period=shown, picker=picker, kinds=Kind, year=(named.full.first.year if named
                                                       else today.year),
        config=_map_config(answer, unit) if answer else None,
    ), 400 if errors else 200
