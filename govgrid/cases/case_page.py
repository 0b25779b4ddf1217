"""What the case page shows, gathered in one place (read-only; jurisdiction as everywhere:
a case out of reach is 404): the time limit and timeline here, the case's record
(case_dossier) and the actions the reader may take (case_actions)."""

from __future__ import annotations

import uuid
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth.models import User
from ..auth.principal import current_principal
from ..auth.scope import unscoped
from ..extensions import db
from ..geo.models import Unit
from ..sla import extensions, supervision
from ..sla.models import RequestState
from ..timestamps import local, utcnow
from . import queries
from .case_actions import actions_panel
from .case_dossier import dossier, sessions_and_agreements
from .deadlines import DeadlineState, Stage, deadline_state, stage_of
from .messages import ACTION_LABELS, STATE_LABELS
from .vocabulary import Severity
from .workflow import Action

STAGE_LABELS = {Stage.accept: _l("Acceptance"), Stage.resolve: _l("Handling"),
                Stage.follow_up: _l("Follow-up visit")}
DEADLINE_LABELS = {DeadlineState.normal: _l("On time"), DeadlineState.due_soon: _l("Due soon"),
                   DeadlineState.overdue: _l("Overdue")}
SEVERITY_LABELS = {Severity.general: _l("general"), Severity.major: _l("major"),
                   Severity.serious: _l("serious"),
                   Severity.especially_serious: _l("especially serious")}
REQUEST_LABELS = {RequestState.pending: _l("Waiting for a decision"),
                  RequestState.approved: _l("Approved"), RequestState.rejected: _l("Refused"),
                  RequestState.withdrawn: _l("Withdrawn")}
EVENT_LABELS = {"extension_requested": _l("extension requested"),
                "extension_approved": _l("extension approved"),
                "extension_rejected": _l("extension refused"), "edit": _l("details edited")}


def _when(moment: Any) -> str:
    shown = local(moment)
    return shown.strftime("%Y-%m-%d %H:%M") if shown else ""


def case_view(case_id: uuid.UUID) -> dict[str, Any]:
    case = queries.get_case(case_id)
    now = utcnow()
    events = queries.timeline(case.id)
    orders = supervision.for_case(case.id)
    # Every unit named on the page, in one query.
    unit_ids = {case.owner_unit_id, case.township_id, case.village_id} | {
        e.actor_unit_id for e in events if e.actor_unit_id} | {
        o.issuing_unit_id for o in orders}
    names = dict(db.session.execute(select(Unit.id, Unit.name).where(
        Unit.id.in_([u for u in unit_ids if u])).execution_options(**unscoped())).all())
    people = {e.actor_id for e in events if e.actor_id}
    people_names = dict(db.session.execute(select(User.id, User.display_name).where(
        User.id.in_(people)).execution_options(**unscoped())).all()) if people else {}
    state = deadline_state(now, case.state, case.due_soon_at, case.due_at)
    stage = stage_of(case.state) if case.due_at else None
    principal = current_principal()
    assignments = queries.active_assignments(case.id)  # once, for the actions and the record
    sessions, agreements = sessions_and_agreements(case.id)
    return {
        "case": case, "now": now,
        "record": dossier(principal, case, {a.user_id for a in assignments}, sessions,
                          agreements),
        "actions": actions_panel(principal, case, assignments, agreements),
        "state_label": STATE_LABELS.get(case.state, case.state.value),
        "severity_label": SEVERITY_LABELS[case.severity],
        "place": " ".join(names[u] for u in (case.township_id, case.village_id) if u in names),
        "owner": names.get(case.owner_unit_id, ""),
        "deadline": None if stage is None or state is None else {
            "stage": STAGE_LABELS[stage], "state": state.value,
            "state_label": DEADLINE_LABELS[state], "due": _when(case.due_at),
            "due_at": case.due_at, "due_soon_at": case.due_soon_at},
        "extensions": [{"request": r, "state_label": REQUEST_LABELS[r.state],
                        "asked": _when(r.created_at), "due_after": _when(r.due_after)}
                       for r in extensions.for_case(case.id)],
        "orders": [{"order": o, "issued": _when(o.issued_at), "reply_due": _when(o.reply_due_at),
                    "issuer": names.get(o.issuing_unit_id, ""),
                    "late": o.replied_at is None and o.reply_due_at < now,
                    "replied": _when(o.replied_at)}
                   for o in orders],
        "events": [{"at": _when(e.at), "label": _event_label(e.action), "note": e.note,
                    "who": people_names.get(e.actor_id) or (_l("the platform")
                                                            if e.actor_id is None else ""),
                    "unit": names.get(e.actor_unit_id, "")} for e in events],
    }


def _event_label(action: str) -> Any:
    try:
        return ACTION_LABELS[Action(action)]
    except (ValueError, KeyError):
        return EVENT_LABELS.get(action, action)
