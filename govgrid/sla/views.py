"""Pages: the county urgent-incident board (/urgent) and recording a report from it or from a
case page (the partial templates/sla/_urgent_clocks.html, fed by `urgent_panel`).

The board is for those who watch and report urgent incidents: county staff and leaders
(the whole county) and township dispatchers (their township: the jurisdiction hook scopes
every query). Everyone else gets the 403 page. The service owns the transaction; refusals
come back as a flashed message on the page the form was sent from.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.permissions import Forbidden
from ..auth.principal import current_principal
from ..auth.roles import Role
from ..errors import DomainError
from ..timestamps import DISPLAY_TZ
from . import urgent_queries
from .store import deadlines_for
from .urgent import ClockKind
from .urgent_models import Channel
from .urgent_service import UrgentReportInput, record_report

bp = Blueprint("sla_pages", __name__)

BOARD_ROLES = frozenset({Role.county_staff, Role.county_leader, Role.township_dispatcher})
MAX_CONTENT = 5000
MAX_RECEIVER = 100


@bp.app_context_processor
def urgent_panel_helper() -> dict[str, Any]:
    # A function, not data: it runs only when a page (the case page) includes the partial.
    return {"urgent_panel": urgent_queries.urgent_panel}


def _require_board() -> None:
    principal = current_principal()
    if not (principal.is_system or principal.role in BOARD_ROLES):
        raise Forbidden(_("The urgent incident board is for county staff and leaders and "
                          "township dispatchers."))


@bp.get("/urgent")
def urgent_board() -> str:
    _require_board()
    principal = current_principal()
    limits = None
    if principal.county_id:
        urgent = deadlines_for(principal.county_id).policy.urgent
        # Hours as the county configured them: 1, 3, 6 (or 1.5), never "1.0".
        limits = {"county": f"{urgent.county_hours:g}", "upper": f"{urgent.upper_hours:g}",
                  "general": f"{urgent.general_hours:g}"}
    return render_template("sla/urgent_board.html", panels=urgent_queries.board(principal),
                           limits=limits)


def _local_time(value: str) -> dt.datetime | None:
    """A datetime-local field (the county's wall clock) as an aware time; empty = now."""
    if not value.strip():
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise DomainError(_("Enter the time of the report as date and time.")) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=DISPLAY_TZ)
    if not 2000 <= moment.year < 2100:
        raise DomainError(_("Enter the time of the report as date and time."))
    return moment


def _form_input() -> UrgentReportInput:
    form = request.form
    try:
        clock = ClockKind(form.get("clock", ""))
        channel = Channel(form.get("channel") or Channel.phone.value)
    except ValueError:
        raise DomainError(_("Choose the clock and the channel of the report.")) from None
    content = form.get("content", "")
    receiver = form.get("reported_to", "").strip()
    if len(content) > MAX_CONTENT or len(receiver) > MAX_RECEIVER:
        raise DomainError(_("The report is too long."))
    return UrgentReportInput(clock=clock, reported_to=receiver or None,
                             reported_at=_local_time(form.get("reported_at", "")),
                             content=content, channel=channel)


def _back(case_id: uuid.UUID) -> Response:
    # Where the form came from, as a fixed choice (never a URL from the form: no open
    # redirect): the case page, or this case on the board.
    if request.form.get("back") == "case":
        return redirect(f"/cases/{case_id}#urgent-clocks")  # type: ignore[return-value]
    return redirect(url_for("sla_pages.urgent_board", _anchor=f"urgent-{case_id}"))  # type: ignore[return-value]


@bp.post("/urgent/<uuid:case_id>/reports")
def record_report_form(case_id: uuid.UUID) -> Response:
    try:
        record_report(current_principal(), case_id, _form_input())
    except DomainError as error:
        if error.status == 404:
            raise  # out of jurisdiction: the 404 page, as for every read
        flash(str(error.message), "error")
    else:
        flash(_("The report was recorded."), "message")
    return _back(case_id)
