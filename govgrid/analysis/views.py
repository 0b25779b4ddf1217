"""The analysis page (/analysis): runs with live progress, the recent runs, the predictive
check and the county's risk settings. A shell: its scripts (static/js/analysis/) read and
write through the analysis API; the request itself only reads (no computing here)."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.permissions import Permission, allowed, require_role
from ..auth.principal import Principal, current_principal
from ..cases.models import Category
from ..dashboard.views import DASHBOARD_ROLES
from ..extensions import db
from ..geo.models import UnitLevel
from .labels import page_labels
from .models import RunKind
from .risk import WEIGHT_KEYS
from .runs import current_run, this_month

bp = Blueprint("analysis_pages", __name__)
MONTH = re.compile(r"^(20\d{2}|2100)-(0[1-9]|1[0-2])$")


def may_run(principal: Principal) -> bool:
    return allowed(principal, Permission.run_analysis) and (
        principal.is_system or principal.unit_level == UnitLevel.county)


def category_groups() -> list[dict[str, str]]:
    english = str(get_locale()).startswith("en")
    rows = db.session.execute(select(Category.code, Category.name, Category.name_en).where(
        Category.parent_id.is_(None), Category.is_active.is_(True)).order_by(Category.code))
    return [{"code": code, "name": name_en if english else name} for code, name, name_en in rows]


def _config(principal: Principal, month: str) -> dict[str, Any]:
    return {
        "month": month,
        "canRun": may_run(principal),
        "canEdit": allowed(principal, Permission.manage_risk_settings),
        # Asked for only when there is one: the page never fetches a 404 on opening.
        "hasPrediction": principal.county_id is not None and current_run(
            principal.county_id, RunKind.backtest) is not None,
        "weightKeys": list(WEIGHT_KEYS),
        "urls": {
            "runs": url_for("analysis.Runs"),
            "run": url_for("analysis.Run", run_id=0),
            "prediction": url_for("analysis.Prediction"),
            "riskSettings": url_for("analysis.RiskSettings"),
            "dashboard": url_for("dashboard.dashboard"),
        },
        "labels": page_labels(),
    }


@bp.get("/analysis")
def analysis_page() -> tuple[str, int]:
    principal = require_role(current_principal(), DASHBOARD_ROLES, _(
        "The analysis page is for county staff, leaders and assessors and township centres."))
    default = f"{this_month():%Y-%m}"
    asked = (request.args.get("month") or "").strip()
    error = None
    if asked and not MONTH.match(asked):
        error = _("Enter a month as YYYY-MM, between 2000 and 2100.")
    month = asked if asked and error is None else default
    if month > default:
        error, month = _("That month has not begun yet."), default
    groups = category_groups()
    return render_template(
        "analysis/analysis.html", month=month, latest=default, error=error,
        groups=groups, config=_config(principal, month), can_run=may_run(principal),
        can_edit=allowed(principal, Permission.manage_risk_settings),
        weight_keys=WEIGHT_KEYS,
    ), 400 if error else 200
