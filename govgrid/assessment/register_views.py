"""What the scheme editor (/assessment/scheme) and the register of major events
(/assessment/events) show: read through the jurisdiction, their query strings checked (a
broken value is a 400 page naming it, never a 500). unit_views.py holds the routes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.permissions import Permission, allowed
from ..auth.principal import Principal
from ..errors import NotFound
from ..extensions import db
from ..geo.models import Unit
from ..pagination import MAX_PAGE
from ..stats.indicators import BY_KEY, INDICATORS, Kind
from ..stats.period import local_midnight, local_today
from ..timestamps import local, utcnow
from . import events as register
from . import schemes_store
from . import unit_labels as words
from .models import SchemeStatus
from .scheme import DeductionBasis, TriggerBasis, to_data
from .vocabulary import LADDER, EventKind, EventSeverity

PAGE_SIZE = 50
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


class BadQuery(ValueError):
    pass


def _when(moment: dt.datetime | None) -> str:
    shown = local(moment)
    return shown.strftime("%Y-%m-%d %H:%M") if shown else ""


def _int(args: Mapping[str, str], name: str, low: int, high: int, message: str) -> int | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise BadQuery(message)
    return int(raw)


def _day(args: Mapping[str, str], name: str) -> dt.date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw) if DAY.match(raw) else None
    except ValueError:
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        raise BadQuery(_("Enter a day as YYYY-MM-DD, between 2000 and 2100."))
    return day


def _choice(args: Mapping[str, str], name: str, allowed_values: Mapping[str, str]) -> str:
    raw = (args.get(name) or "").strip()
    if raw and raw not in allowed_values:
        raise BadQuery(_("Choose one of the listed values."))
    return raw


# --- the scheme editor ----------------------------------------------------------------------

def scheme_view(principal: Principal, args: Mapping[str, str]) -> tuple[dict[str, Any],
                                                                       str | None]:
    this_year = local_today(utcnow()).year
    error = None
    try:
        year = _int(args, "year", 2000, 2100, _("Enter a year between 2000 and 2100.")) \
            or this_year
    except BadQuery as problem:
        year, error = this_year, str(problem)
    rows = schemes_store.versions(principal, year) if principal.county_id else []
    active = next((r for r in rows if r.status == SchemeStatus.active), None)
    draft = next((r for r in rows if r.status == SchemeStatus.draft), None)
    in_force = active.data if active else to_data(schemes_store.default_for(year))
    keys = [i.key for i in INDICATORS]  # all of them: the draft may add any
    statuses = {"draft": _("Draft"), "active": _("In force"), "retired": _("Retired")}
    return {
        "year": year, "years": list(range(this_year + 1, this_year - 5, -1)),
        "versions": [{"row": r, "status": statuses[r.status], "created": _when(r.created_at),
                      "activated": _when(r.activated_at)} for r in rows],
        "active": active, "in_force": in_force, "draft": draft,
        "may_edit": allowed(principal, Permission.manage_assessment),
        "indicators": words.indicator_labels([k for k in keys if k in BY_KEY]),
        "rate_keys": {k for k in keys if k in BY_KEY and BY_KEY[k].kind is Kind.rate},
        "steps": words.step_labels(), "kinds": words.kind_labels(),
        "severities": words.severity_labels(), "directions": words.direction_labels(),
        "bases": words.basis_labels(), "trigger_label": words.trigger_label,
        # The draft's choices: indicators to add, bases, kinds, severities, lower steps.
        "catalog": [{"key": i.key, "rate": i.kind is Kind.rate,
                     "direction": "higher_is_better" if i.higher_is_better
                     else "lower_is_better"} for i in INDICATORS],
        "deduction_bases": [b.value for b in DeductionBasis],
        "trigger_bases": [b.value for b in TriggerBasis],
        "event_kinds": [k.value for k in EventKind],
        "severity_order": [s.value for s in EventSeverity],
        "lower_steps": [s.value for s in LADDER[:-1]],
        "config": {"year": year, "draft": None if draft is None else {
            "id": draft.id, "version": draft.version, "revision": draft.revision,
            "data": draft.data},
            "urls": {"schemes": url_for("assessment.Schemes"),
                     "scheme": url_for("assessment.SchemeVersion", scheme_id=0),
                     "activate": url_for("assessment.SchemeActivation", scheme_id=0)},
            "labels": words.scheme_page_labels()},
    }, error


# --- the register of major events -----------------------------------------------------------

def ladder_units() -> list[Unit]:
    """Townships and villages within the jurisdiction, by code (the form's choices)."""
    return list(db.session.execute(select(Unit).where(Unit.level.in_(register.EVENT_LEVELS))
                                   .order_by(Unit.code)).scalars())


def _filters(args: Mapping[str, str]) -> tuple[register.EventFilters, int, int | None]:
    unit = (args.get("unit") or "").strip()
    if unit and not re.fullmatch(r"[0-9]{12}", unit):
        raise BadQuery(_("A unit code has 12 digits."))
    kind = _choice(args, "kind", words.kind_labels())
    severity = _choice(args, "severity", words.severity_labels())
    first, last = _day(args, "from"), _day(args, "to")
    page = _int(args, "page", 1, MAX_PAGE, _("Enter a page number from 1.")) or 1
    event = _int(args, "event", 1, 2**31 - 1, _("Not an event number."))
    filters = register.EventFilters(
        unit_code=unit or None, kind=EventKind(kind) if kind else None,
        severity=EventSeverity(severity) if severity else None,
        occurred_from=local_midnight(first) if first else None,
        occurred_to=local_midnight(last) + dt.timedelta(days=1) if last else None)
    return filters, page, event


def _event_data(row: Any, code: str) -> dict[str, Any]:
    """What the edit form is filled with (the API's field names; Beijing time)."""
    shown = local(row.occurred_at)
    return {"id": row.id, "version": row.version, "unit": code, "kind": row.kind.value,
            "severity": row.severity.value, "title": row.title, "summary": row.summary,
            "occurred_at": shown.strftime("%Y-%m-%dT%H:%M") if shown else "",
            "deaths": row.deaths, "injuries": row.injuries,
            "people_involved": row.people_involved, "reported_late": row.reported_late,
            "concealed": row.concealed}


def events_view(principal: Principal, args: Mapping[str, str]) -> tuple[dict[str, Any],
                                                                       str | None]:
    error = None
    try:
        filters, page, event = _filters(args)
    except BadQuery as problem:
        (filters, page, event), error = (register.EventFilters(), 1, None), str(problem)
    if event is not None:
        rows, total = [register.get_event(event)], 1
    else:
        try:
            rows, total = register.list_events(filters, page, PAGE_SIZE)
        except NotFound:
            raise NotFound(_("No township or village with this code in your "
                             "jurisdiction.")) from None
    units = ladder_units()
    by_id = {u.id: u for u in units}
    kinds, severities = words.kind_labels(), words.severity_labels()
    listed = []
    for row in rows:
        unit = by_id.get(row.unit_id)
        code = unit.code if unit else ""
        listed.append({"row": row, "unit": unit, "code": code, "kind": kinds[row.kind],
                       "severity": severities[row.severity],
                       "occurred": _when(row.occurred_at), "data": _event_data(row, code),
                       "case_href": url_for("cases_pages.case_page", case_id=row.case_id)
                       if row.case_id else None})
    shown = {k: v for k, v in args.items() if k in ("unit", "kind", "severity", "from", "to")}
    return {
        "events": listed, "total": total, "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)), "query": shown if not error else {},
        "single": event is not None, "kinds": kinds,
        "unit_choices": [(u.code, ("\u3000" if u.level.value == "village" else "") + u.name)
                         for u in units],
        "severities": severities,
        "may_record": allowed(principal, Permission.record_major_events),
        "now": local(utcnow()).strftime("%Y-%m-%dT%H:%M"),
        "config": {"urls": {"events": url_for("assessment.Events"),
                            "event": url_for("assessment.Event", event_id=0)},
                   "labels": words.events_page_labels()},
    }, error
