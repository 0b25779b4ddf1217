"""Assessment pages about one unit and the register: the unit's ladder history with its
decisions and rectification reports (/assessment/units/<code>), the scheme editor
(/assessment/scheme) and the register of major events (/assessment/events).

The pages only read (through the jurisdiction, like the API: a unit out of reach is 404);
their scripts (static/js/assessment/) act through the assessment API with the version read,
and a 409 offers a reload. Which forms a reader gets follows the services' own rules
(permissions.py, rectifications.may_submit), which check again when the form is sent."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import User
from ..auth.permissions import Permission, allowed, require_role
from ..auth.principal import Principal, current_principal
from ..auth.roles import Role
from ..auth.scope import unscoped
from ..errors import NotFound
from ..extensions import db
from ..geo.models import Unit
from ..timestamps import local, utcnow
from . import ladder, register_views
from . import unit_labels as words
from .events import EVENT_LEVELS
from .models import MajorEvent, RectificationReport, Sanction
from .rectifications import may_submit
from .vocabulary import AGGRAVATING, Factor, SanctionState, Step

bp = Blueprint("assessment_unit_pages", __name__)
READERS = frozenset({Role.county_staff, Role.county_leader, Role.assessor, Role.admin,
                     Role.township_dispatcher, Role.village_staff})
CODE = re.compile(r"^[0-9]{12}$")
ALARM = dt.timedelta(days=7)  # a rectification deadline turns orange a week before
MAX_EVENTS = 200


def reader() -> Principal:
    return require_role(current_principal(), READERS, _(
        "The assessment pages are for county staff, leaders, assessors and administrators, "
        "and for township and village centres."))


def when(moment: dt.datetime | None) -> str:
    shown = local(moment)
    return shown.strftime("%Y-%m-%d %H:%M") if shown else ""


def ladder_unit(code: str) -> Unit:
    """A township or village within the jurisdiction, else 404 (a county has no ladder)."""
    unit = None
    if CODE.match(code):
        unit = db.session.execute(select(Unit).where(Unit.code == code)).scalar_one_or_none()
    if unit is None or unit.level not in EVENT_LEVELS:
        raise NotFound(_("No township or village with this code in your jurisdiction."))
    return unit


def names_of(user_ids: set[int | None]) -> dict[int, str]:
    ids = [i for i in user_ids if i]
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))
                                   .execution_options(**unscoped())).all())


def _pure(row: Sanction) -> ladder.Sanction:
    return ladder.Sanction(row.id, row.step, row.state, row.confirmed_at, row.deadline,
                           row.rectified_at, frozenset(Factor(f) for f in row.factors),
                           row.disqualified_until)


def factor_chips(codes: list[str]) -> list[dict[str, Any]]:
    labels = words.factor_labels()
    return [{"code": c, "label": labels.get(c, c), "aggravating": Factor(c) in AGGRAVATING}
            for c in codes if c in labels]


def evidence_view(evidence: dict[str, Any], events: set[int]) -> dict[str, Any]:
    """Links to the events (on this page when listed here) and to the cases behind a step."""
    event_ids = [i for i in evidence.get("event_ids") or [] if isinstance(i, int)]
    return {
        "events": [{"id": i, "href": f"#event-{i}" if i in events else
                    url_for(".events_page", event=i)} for i in event_ids],
        "cases": [{"id": str(c), "href": url_for("cases_pages.case_page", case_id=c)}
                  for c in evidence.get("case_ids") or [] if _uuid(c)],
        "sanctions": [i for i in evidence.get("sanction_ids") or [] if isinstance(i, int)],
        "figures": evidence.get("figures") or {},
        "scheme_version": evidence.get("scheme_version"),
        "period": evidence.get("period"),
    }


def _uuid(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"[0-9a-f-]{36}", value) is not None


def _report_view(report: RectificationReport, people: dict[int, str],
                 principal: Principal) -> dict[str, Any]:
    return {
        "row": report, "submitted": when(report.submitted_at),
        "by": people.get(report.submitted_by or 0, ""), "reviewed": when(report.reviewed_at),
        "reviewer": people.get(report.reviewed_by or 0, ""),
        "files": [{"sha256": d, "index": n, "href": url_for(
            "assessment_evidence.EvidenceContent", rectification_id=report.id, sha256=d)}
            for n, d in enumerate(report.attachments or [], 1)],
        "may_review": report.accepted is None and allowed(principal,
                                                          Permission.decide_sanctions),
    }


def _sanction_view(row: Sanction, reports: list[RectificationReport], people: dict[int, str],
                   principal: Principal, events: set[int]) -> dict[str, Any]:
    may_decide = allowed(principal, Permission.decide_sanctions)
    pending = any(r.accepted is None for r in reports)
    return {
        "row": row, "step": words.step_labels()[row.step],
        "state": words.state_labels()[row.state],
        "trigger": words.trigger_label(row.trigger), "factors": factor_chips(row.factors),
        "evidence": evidence_view(row.evidence or {}, events),
        "proposed": when(row.proposed_at),
        "proposer": people.get(row.proposed_by or 0) or _("the assessment rules"),
        "decided": when(row.decided_at), "decider": people.get(row.decided_by or 0, ""),
        "deadline": when(row.deadline), "deadline_at": row.deadline,
        "alarm_at": row.deadline - ALARM if row.deadline else None,
        "until": when(row.disqualified_until), "rectified": when(row.rectified_at),
        "may_decide": may_decide and row.state == SanctionState.proposed,
        "may_report": (row.state == SanctionState.confirmed and row.deadline is not None
                       and not pending and may_submit(principal, row)),
        "reports": [_report_view(r, people, principal) for r in reports],
    }


def unit_view(unit: Unit, principal: Principal) -> dict[str, Any]:
    rows = list(db.session.execute(select(Sanction).where(Sanction.unit_id == unit.id)
                                   .order_by(Sanction.proposed_at.desc(), Sanction.id.desc())
                                   ).scalars())
    reports = list(db.session.execute(
        select(RectificationReport)
        .where(RectificationReport.sanction_id.in_([r.id for r in rows]))
        .order_by(RectificationReport.submitted_at, RectificationReport.id)).scalars()
    ) if rows else []
    event_rows = list(db.session.execute(
        select(MajorEvent).where(MajorEvent.path.descendant_of(unit.path))
        .order_by(MajorEvent.occurred_at.desc(), MajorEvent.id.desc()).limit(MAX_EVENTS)
    ).scalars())
    people = names_of({r.proposed_by for r in rows} | {r.decided_by for r in rows}
                      | {r.submitted_by for r in reports} | {r.reviewed_by for r in reports})
    now = utcnow()
    standing = ladder.standing([_pure(r) for r in rows], now)
    event_ids = {e.id for e in event_rows}
    kinds, severities = words.kind_labels(), words.severity_labels()
    return {
        "unit": unit, "now": now,
        "standing": {"step": standing.step, "sanction_id": standing.sanction_id,
                     "label": words.step_labels()[standing.step] if standing.step else None,
                     "until": when(standing.disqualified_until),
                     "in_force": len(standing.in_force)},
        "sanctions": [_sanction_view(r, [p for p in reports if p.sanction_id == r.id], people,
                                     principal, event_ids) for r in rows],
        "events": [{"row": e, "kind": kinds[e.kind], "severity": severities[e.severity],
                    "occurred": when(e.occurred_at)} for e in event_rows],
        "may_raise": allowed(principal, Permission.decide_sanctions),
        "steps": words.step_labels(), "factors": words.factor_labels(),
        "labels": words.unit_page_labels(),
    }


@bp.get("/assessment/units/<code>")
def unit_page(code: str) -> str:
    """A township's or village's standing on the ladder, its history and what to do next."""
    principal = reader()
    unit = ladder_unit(code)
    view = unit_view(unit, principal)
    return render_template("assessment_unit_pages/unit.html", **view, urls={
        "sanctions": url_for("assessment.Sanctions"),
        "sanction": url_for("assessment.SanctionOne", sanction_id=0),
        "review": url_for("assessment.RectificationReview", rectification_id=0),
        "evidence": url_for("assessment_evidence.Evidence", sanction_id=0),
    }, Step=Step)



@bp.get("/assessment/scheme")
def scheme_page() -> tuple[str, int]:
    """The county's scheme versions of a year: the one in force as a table, the draft in a
    form (county staff and admins); everyone else reads."""
    principal = reader()
    view, error = register_views.scheme_view(principal, request.args)
    return render_template("assessment_unit_pages/scheme.html", **view,
                           error=error), 400 if error else 200


@bp.get("/assessment/events")
def events_page() -> tuple[str, int]:
    """The register of major events within the jurisdiction, filterable; the record form."""
    principal = reader()
    view, error = register_views.events_view(principal, request.args)
    return render_template("assessment_unit_pages/events.html", **view,
                           error=error), 400 if error else 200
