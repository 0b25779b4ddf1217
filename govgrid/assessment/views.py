"""Assessment pages: the township scorecard (/assessment), the map by ladder status, the
annual assessment table as xlsx."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("assessment_pages", __name__)


@bp.get("/assessment")
def scorecard_page() -> str:
    return "考核"
