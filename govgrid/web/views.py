"""Pages: the home map."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..auth.principal import current_principal
from ..extensions import db
from ..geo.models import Unit

bp = Blueprint("web", __name__)


@bp.app_context_processor
def locale_context() -> dict[str, str]:
    """`html_lang` for <html lang> on every page (error pages too): zh-CN or en.

    Babel expands zh_CN to zh_Hans_CN; language and territory are what pages and fonts use."""
    locale = get_locale()
    parts = (locale.language, locale.territory) if locale else ("zh", "CN")
    return {"html_lang": "-".join(p for p in parts if p)}


def _map_labels() -> dict[str, str]:
    """Words the map script shows, translated here because JavaScript has no catalog."""
    return {
        "township": _("Township"),
        "village": _("Village"),
        "comprehensive": _("Grid cell"),
        "dedicated": _("Dedicated grid cell"),
        "loadFailed": _("Map data could not be loaded."),
    }


@bp.get("/")
def home() -> str:
    """The reader's jurisdiction on a map (the county for county staff, a township for its
    centre, a village for its station and grid workers): units and grid cells by zoom."""
    principal = current_principal()
    county = db.session.execute(
        select(
            Unit.code, Unit.name, Unit.population, Unit.households,
            func.ST_XMin(Unit.boundary).label("min_lon"),
            func.ST_YMin(Unit.boundary).label("min_lat"),
            func.ST_XMax(Unit.boundary).label("max_lon"),
            func.ST_YMax(Unit.boundary).label("max_lat"),
        )
        .where(Unit.id == principal.unit_id)
    ).first()
    map_config = {
        "tileUrl": current_app.config["TILE_URL"],
        "tileAttribution": current_app.config["TILE_ATTRIBUTION"],
        "maxZoom": current_app.config["TILE_MAX_ZOOM"],
        "countyCode": county.code if county else None,
        # The top layer: townships for county and township users (a township user sees its
        # own), the village itself for village users (nobody reads up).
        "topLevel": "village" if principal.unit_level == "village" else "township",
        # Leaflet order: [[south, west], [north, east]].
        "bounds": (
            [[county.min_lat, county.min_lon], [county.max_lat, county.max_lon]] if county else None
        ),
        "unitsUrl": url_for("geo.Units"),
        "cellsUrl": url_for("geo.GridCells"),
        "labels": _map_labels(),
    }
    return render_template("web/home.html", county=county, map_config=map_config)
