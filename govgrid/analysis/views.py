"""The analysis page (/analysis): runs with progress, the predictive check, risk settings."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("analysis_pages", __name__)


@bp.get("/analysis")
def analysis_page() -> str:
    return "研判分析"
