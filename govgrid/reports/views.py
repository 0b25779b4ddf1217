"""Report pages (/reports): the list with generation progress, each report's A4 page."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports_pages", __name__)


@bp.get("/reports")
def list_page() -> str:
    return "月度研判报告"
