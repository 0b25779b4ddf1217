"""Each county's risk weights and thresholds: read by everyone in the county, changed by
those with `manage_risk_settings`, optimistic-locked, audited. Jobs read them with
`config_for` (unscoped: a job acts for the platform)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..audit.recorder import record
from ..auth.permissions import Permission, require
from ..auth.principal import Principal
from ..auth.scope import unscoped
from ..county_settings import save_versioned
from ..errors import Unprocessable
from ..extensions import db
from ..unit_of_work import committing
from .models import RiskSetting
from .risk import RiskConfig, from_data, to_data


def config_for(county_id: int) -> RiskConfig:
    data = db.session.execute(
        select(RiskSetting.data).where(RiskSetting.county_id == county_id)
        .execution_options(**unscoped())).scalar_one_or_none()
    return from_data(data or {})


def county_of(principal: Principal) -> int:
    if principal.county_id is None:
        raise Unprocessable(_l("You belong to no county."))
    return principal.county_id


def read(principal: Principal) -> dict[str, Any]:
    """The settings in force (defaults filled in) and their version (0: never changed)."""
    row = db.session.execute(select(RiskSetting).where(
        RiskSetting.county_id == county_of(principal))).scalar_one_or_none()
    return {**to_data(from_data(row.data if row else {})),
            "version": row.version if row else 0,
            "updated_at": row.updated_at if row else None}


def save(principal: Principal, data: dict[str, Any], version: int) -> dict[str, Any]:
    require(principal, Permission.manage_risk_settings)
    county_id = county_of(principal)
    try:
        stored = to_data(from_data(data))
    except ValueError:
        raise Unprocessable(_l("Risk weights cannot be negative, and the thresholds must "
                               "fall from red to orange to yellow.")) from None
    with committing():
        won = save_versioned(RiskSetting, county_id, stored, version, principal.user_id)
        # Core statements bypass the automatic audit capture: say it explicitly.
        record("analysis.risk_settings_changed", object_type="analysis_risk_settings",
               object_id=won, county_id=county_id,
               summary={"version": version + 1, "settings": stored})
    db.session.expire_all()
    return read(principal)
