"""Analysis API (研判): runs and their progress, per-cell results as map layers, the
predictive check, the county's risk settings. Filled in by issue 8's UI work."""

from __future__ import annotations

from flask_smorest import Blueprint

bp = Blueprint("analysis", __name__, description="Hot spots, trends and risk 研判分析")
