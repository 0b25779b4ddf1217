"""Pages of the centre console: the queue with its map (/console) and the mediator workload
board (/console/workload), for the staff of governance centres (auth.roles.CENTRE_STAFF).
Everyone else gets the 403 page. What each reads is their jurisdiction: the scoping hook
applies to every query behind these pages.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..auth.labels import LEVEL_LABELS
from ..auth.permissions import require_role
from ..auth.principal import Principal, current_principal
from ..auth.roles import CENTRE_STAFF
from ..cases.case_page import DEADLINE_LABELS, SEVERITY_LABELS
from ..cases.categories import active_categories
from ..cases.deadlines import DeadlineState
from ..cases.messages import STATE_LABELS
from ..cases.vocabulary import Severity
from ..cases.workflow import CaseState, Level
from ..extensions import db
from ..geo.models import Unit
from ..timestamps import local, utcnow
from . import queue, workload

bp = Blueprint("console", __name__)

# The export endpoint (another part of the API) takes the list's own query string.
EXPORT_URL = "/api/v1/cases/export"
# Drafts live on phones and at intake; the console never lists them.
LISTED_STATES = [s for s in CaseState if s is not CaseState.draft]
PLACEHOLDER_ID = uuid.UUID(int=0)  # in the case page's URL, replaced by each case's id


@bp.app_context_processor
def console_nav() -> dict[str, Any]:
    """Who gets the console link in the page header (base.html)."""
    return {"console_roles": CENTRE_STAFF}


def _require_console() -> Principal:
    return require_role(current_principal(), CENTRE_STAFF, _(
        "The centre console is for the staff of village stations and township and county "
        "centres."))


def _query_string(params: dict[str, str], **extra: Any) -> str:
    return urlencode({**params, **{k: v for k, v in extra.items() if v is not None}})


def _own_unit(principal: Principal) -> Any:
    return db.session.execute(
        select(Unit.id, Unit.code, Unit.name, Unit.level,
               func.ST_XMin(Unit.boundary).label("min_lon"),
               func.ST_YMin(Unit.boundary).label("min_lat"),
               func.ST_XMax(Unit.boundary).label("max_lon"),
               func.ST_YMax(Unit.boundary).label("max_lat"))
        .where(Unit.id == principal.unit_id)).first()


def _units_below(unit_id: int | None) -> list[Any]:
    """The filter's units: the level under one's own (a county's townships, a township's
    villages; a village has none)."""
    return list(db.session.execute(select(Unit.code, Unit.name).where(Unit.parent_id == unit_id)
                                   .order_by(Unit.code)).all())


def _map_config(unit: Any, points_query: str) -> dict[str, Any]:
    level = unit.level.value if unit else None
    # The base drawn instead of tiles: one's own unit and the level below it.
    base = []
    if unit is not None:
        base.append({"kind": "unit", "url": url_for("geo.Units", level=level, zoom=13)})
        if level in ("county", "township"):
            below = "township" if level == "county" else "village"
            base.append({"kind": "below", "url": url_for("geo.Units", level=below, zoom=13,
                                                         parent=unit.code)})
        else:
            base.append({"kind": "below", "url": url_for("geo.GridCells", village=unit.code,
                                                         zoom=15)})
    return {
        "tileUrl": current_app.config["TILE_URL"],
        "tileAttribution": current_app.config["TILE_ATTRIBUTION"],
        # Marker clustering needs a maximum zoom, which without tiles nothing else sets.
        "maxZoom": current_app.config["TILE_MAX_ZOOM"],
        "bounds": ([[unit.min_lat, unit.min_lon], [unit.max_lat, unit.max_lon]]
                   if unit else None),
        "base": base,
        "pointsUrl": url_for("case_points_api.CasePointsResource") + "?" + points_query,
        "caseUrl": url_for("cases_pages.case_page", case_id=PLACEHOLDER_ID),
        "caseUrlId": str(PLACEHOLDER_ID),
        "labels": {
            "overdue": str(DEADLINE_LABELS[DeadlineState.overdue]),
            "due_soon": str(DEADLINE_LABELS[DeadlineState.due_soon]),
            "normal": str(DEADLINE_LABELS[DeadlineState.normal]),
            "none": _("No time limit running"),
            "urgent": _("Urgent"),
            "approximate": _("No GPS point: placed in its grid cell or village"),
            "open": _("Open the case"),
            "shown": _("%(shown)s of %(total)s cases on the map"),
            "loadFailed": _("Map data could not be loaded."),
        },
    }


@bp.get("/console")
def queue_page() -> tuple[str, int]:
    """The queue: cases of my jurisdiction that need action, new and overdue first."""
    principal = _require_console()
    parsed = queue.parse(request.args)
    rows: list[queue.QueueRow] = []
    total = 0
    if not parsed.errors:
        rows, total = queue.rows(parsed.args, parsed.page)
    unit = _own_unit(principal)
    api_query = _query_string(parsed.api_params)
    form_query = _query_string(parsed.form)
    handler = parsed.args.get("handler")
    return render_template(
        "console/queue.html",
        rows=rows, total=total, page=parsed.page,
        pages=max((total + queue.PAGE_SIZE - 1) // queue.PAGE_SIZE, 1),
        form=parsed.form, errors=parsed.errors, now=utcnow(),
        page_url=lambda n: url_for("console.queue_page") + "?" + _query_string(parsed.form,
                                                                                page=n),
        export_urls={kind: f"{EXPORT_URL}?{_query_string({'format': kind})}&{api_query}"
                     for kind in ("xlsx", "csv")},
        map_config=_map_config(unit, api_query) if not parsed.errors else None,
        handler_name=queue.handler_name(handler) if handler else None,
        clear_handler_url=url_for("console.queue_page") + "?" + _query_string(
            {k: v for k, v in parsed.form.items()
             if k not in ("handler", "active", "resolved_from")}),
        metric_words=queue.metric_words(parsed.form["metric"]) if "metric" in parsed.form
        else None,
        clear_metric_url=url_for("console.queue_page") + "?" + _query_string(
            {k: v for k, v in parsed.form.items()
             if k not in ("metric", "visits_from", "visits_to", "reported_from",
                          "reported_to")}),
        form_query=form_query,
        states=[(s.value, STATE_LABELS[s]) for s in LISTED_STATES],
        deadline_states=[(s.value, DEADLINE_LABELS[s]) for s in DeadlineState],
        severities=[(s.value, SEVERITY_LABELS[s]) for s in Severity],
        levels=[(level.value, LEVEL_LABELS[level.value]) for level in Level],
        categories=active_categories(principal.county_id),
        units=_units_below(principal.unit_id),
    ), 400 if parsed.errors else 200


def _queue_link(**params: Any) -> str:
    return url_for("console.queue_page") + "?" + _query_string(
        {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in params.items()})


@bp.get("/console/workload")
def workload_page() -> tuple[str, int]:
    """The mediator workload board of my jurisdiction."""
    _require_console()
    sort = request.args.get("sort") or workload.DEFAULT_SORT
    if sort not in workload.SORTS:
        return render_template("console/workload.html", rows=[], since=None, sort=None,
                               error=_("Unknown sort order."), links=None), 400
    rows, since = workload.board(sort)
    since_day = local(since).date().isoformat()  # type: ignore[union-attr]

    def links(row: workload.WorkloadRow) -> dict[str, str]:
        mine = {"handler": row.user_id}
        return {
            "active": _queue_link(**mine, active=True),
            "accepted": _queue_link(**mine, state="accepted"),
            "mediating": _queue_link(**mine, state="mediating"),
            "suspended": _queue_link(**mine, state="suspended"),
            "overdue": _queue_link(**mine, active=True, deadline_state="overdue"),
            "due_soon": _queue_link(**mine, active=True, deadline_state="due_soon"),
            "resolved": _queue_link(**mine, state=queue.ALL_STATES, resolved_from=since_day),
        }

    return render_template("console/workload.html", rows=rows, since=since_day, sort=sort,
                           error=None, links=links), 200
