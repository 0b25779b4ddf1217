"""Monthly analysis reports API: request (generated in RQ), list, progress, download."""

from __future__ import annotations

from flask_smorest import Blueprint

bp = Blueprint("reports", __name__, description="Monthly analysis reports 月度研判报告")
