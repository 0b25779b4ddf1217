"""The actions panel of the case page: the workflow actions the reader may take now, and the
form each one needs (its fields, their labels, which are required).

Nothing here decides what is allowed. The actions are `transitions.available` (the answer
the API gives as `available_actions`), and a field is required exactly when the workflow
table's row requires it, so the forms cannot drift from the rules; the server checks again
when the form is sent (static/js/case-actions.js posts it as JSON to the existing APIs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth.labels import DEPARTMENT_LABELS
from ..auth.principal import Principal
from ..auth.scope import unscoped
from ..extensions import db
from ..geo.models import Unit
from ..timestamps import DISPLAY_TZ, utcnow
from . import transitions
from .duplicates import possible_duplicates
from .messages import ACTION_LABELS, OUTCOME_LABELS
from .models import Case, CaseAssignment
from .workflow import TRANSITIONS, Action, LegalRoute, Level, Outcome

ROUTE_LABELS = {LegalRoute.litigation: _l("litigation"),
                LegalRoute.arbitration: _l("arbitration"),
                LegalRoute.administrative_review: _l("administrative review"),
                LegalRoute.petition: _l("petition"),
                LegalRoute.department: _l("a government department")}
ON_SPOT_OUTCOMES = (Outcome.written_agreement, Outcome.oral_agreement, Outcome.withdrawn)
# Refusing a case ends it: its button looks like it.
DANGER = frozenset({Action.reject})
# Taken by the platform alone (the deadline sweep): never a form.
NOT_OFFERED = frozenset({Action.auto_escalate})


@dataclass(frozen=True)
class Choice:
    value: str
    label: Any


@dataclass(frozen=True)
class Field:
    """One input. `kind`: text, textarea, select, radio, checkbox (one yes), checkboxes (a
    list), datetime (Beijing time), date, number, mediator (the ranked suggestions, loaded
    by the script). `group`: the API it goes to (transition, or agreement for the written
    agreement created before resolving). `shown_when` ("outcome=written_agreement"): shown
    and sent only for that answer of another field of the form."""

    name: str
    label: Any
    kind: str = "textarea"
    required: bool = False
    choices: tuple[Choice, ...] = ()
    hint: Any = None
    max_length: int | None = None
    value: str = ""
    group: str = "transition"
    shown_when: str | None = None
    value_type: str = "string"  # how the script sends it: string, int, bool, list, datetime


@dataclass(frozen=True)
class ActionForm:
    action: str
    label: Any
    fields: tuple[Field, ...]
    hint: Any = None
    danger: bool = False


@dataclass(frozen=True)
class Panel:
    forms: tuple[ActionForm, ...]
    version: int
    transitions_url: str
    agreements_url: str
    suggestions_url: str
    words: dict[str, str]


@dataclass
class Context:
    """What some forms need to know beyond the action: read only when that form is shown."""

    principal: Principal
    case: Case
    agreements: list[Any] = field(default_factory=list)


def _note(label: Any = None) -> Field:
    return Field("note", label or _l("Note"), max_length=2000)


def _reason() -> Field:
    return Field("reason", _l("Reason"), max_length=2000)


def _choices(labels: dict[Any, Any], only: tuple[Any, ...] | None = None) -> tuple[Choice, ...]:
    return tuple(Choice(key.value, label) for key, label in labels.items()
                 if only is None or key in only)


def _unit_name(unit_id: int | None) -> str:
    if unit_id is None:
        return ""
    # A unit's name only (the holder's parent may lie outside the reader's jurisdiction).
    return db.session.execute(select(Unit.name).where(Unit.id == unit_id)
                              .execution_options(**unscoped())).scalar_one_or_none() or ""


def _beijing_now() -> dt.datetime:
    # Form defaults are what the user would type: Beijing wall-clock time (the test clock
    # included, so pages rendered under frozen_at agree with the rest).
    return utcnow().astimezone(DISPLAY_TZ)


# --- the fields of each action ----------------------------------------------------------------

def _assign(ctx: Context) -> tuple[Field, ...]:
    return (Field("mediator_id", _l("Mediator"), kind="mediator", value_type="int"), _note())


def _record_session(ctx: Context) -> tuple[Field, ...]:
    return (
        Field("summary", _l("What was said and agreed"), max_length=5000),
        Field("held_at", _l("Held at (Beijing time)"), kind="datetime", value_type="datetime",
              value=_beijing_now().strftime("%Y-%m-%dT%H:%M")),
        Field("place", _l("Where it was held"), kind="text", max_length=200),
        Field("participants", _l("Participants"), kind="text", value_type="list",
              hint=_l("Separate names with 、 or commas.")),
        Field("result", _l("Result of the session"), max_length=2000),
    )


def _resolve(ctx: Context) -> tuple[Field, ...]:
    written = "outcome=" + Outcome.written_agreement.value
    # With an agreement on record already, resolving needs no second one (one may be added).
    first = not ctx.agreements
    hint = None if first else _l("Agreement %(number)s is on record; fill these in only to "
                                 "record another.", number=ctx.agreements[-1].number)
    return (
        Field("outcome", _l("Outcome"), kind="select", choices=_choices(OUTCOME_LABELS)),
        Field("facts", _l("Facts and issues in dispute"), group="agreement", required=first,
              shown_when=written, max_length=10000, hint=hint),
        Field("terms", _l("Terms agreed"), group="agreement", required=first,
              shown_when=written, max_length=10000),
        Field("performance", _l("How and by when they are performed"), group="agreement",
              required=first, shown_when=written, max_length=10000),
        Field("signed_on", _l("Signed on"), kind="date", group="agreement", shown_when=written,
              value=_beijing_now().date().isoformat()),
        Field("amount", _l("Amount (yuan)"), kind="number", group="agreement",
              shown_when=written),
        Field("routes_explained", _l("The parties were told their legal routes (litigation, "
                                     "arbitration, administrative review, petition)."),
              kind="checkbox", value_type="bool",
              shown_when="outcome=" + Outcome.terminated.value),
        _note(),
    )


def _resolve_on_spot(ctx: Context) -> tuple[Field, ...]:
    return (Field("outcome", _l("Outcome"), kind="select",
                  choices=_choices(OUTCOME_LABELS, ON_SPOT_OUTCOMES)), _note())


def _refer(ctx: Context) -> tuple[Field, ...]:
    return (Field("route", _l("Legal route"), kind="select", choices=_choices(ROUTE_LABELS)),
            Field("receiver", _l("Receiving body"), kind="text", max_length=200,
                  hint=_l("e.g. the people's court of the county")),
            _note())


def _follow_up(ctx: Context) -> tuple[Field, ...]:
    return (Field("satisfied", _l("Were the parties satisfied?"), kind="radio",
                  value_type="bool",
                  choices=(Choice("true", _l("Satisfied: the case is closed")),
                           Choice("false", _l("Not satisfied: the case is handled again")))),
            _note())


def _merge(ctx: Context) -> tuple[Field, ...]:
    nearby = possible_duplicates(ctx.case)
    if not nearby:
        return (Field("duplicate_of", _l("Number of the case it duplicates"), kind="text",
                      max_length=36), _note())
    return (Field("duplicate_of", _l("The case it duplicates"), kind="radio",
                  choices=tuple(Choice(str(d["id"]), d["title"]) for d in nearby)), _note())


def _push_down(ctx: Context) -> tuple[Field, ...]:
    # The units below the holder that contain the place (transitions._unit_below's rule).
    below = [ctx.case.village_id] if ctx.case.owner_level is Level.township else [
        ctx.case.township_id, ctx.case.village_id]
    choices = tuple(Choice(str(u), _unit_name(u)) for u in below if u)
    return (Field("target_unit_id", _l("Hand down to"), kind="radio", value_type="int",
                  choices=choices), _note())


def _escalate(ctx: Context) -> tuple[Field, ...]:
    return (_note(_l("Why it is handed up")),)


def _start_joint(ctx: Context) -> tuple[Field, ...]:
    return (Field("departments", _l("Departments"), kind="checkboxes", value_type="list",
                  choices=_choices(DEPARTMENT_LABELS)), _note())


def _my_subtasks(ctx: Context) -> list[Any]:
    """(id, task) of the reader's open department sub-tasks on the case."""
    return list(db.session.execute(select(CaseAssignment.id, CaseAssignment.task).where(
        CaseAssignment.case_id == ctx.case.id, CaseAssignment.kind == "subtask",
        CaseAssignment.active.is_(True), CaseAssignment.user_id == ctx.principal.user_id)
        .order_by(CaseAssignment.id)).all())


def _complete_subtask(ctx: Context) -> tuple[Field, ...]:
    return (Field("subtask_id", _l("Sub-task"), kind="radio", value_type="int",
                  choices=tuple(Choice(str(row.id), _department(row.task))
                                for row in _my_subtasks(ctx))),
            Field("result", _l("Result"), max_length=2000))


def _department(task: str | None) -> Any:
    for department, label in DEPARTMENT_LABELS.items():
        if department.value == task:
            return label
    return task or ""


FIELDS: dict[Action, Callable[[Context], tuple[Field, ...]]] = {
    Action.submit: lambda ctx: (_note(),),  # a report sent back (退回) to be completed
    Action.accept: lambda ctx: (_note(),),
    Action.reject: lambda ctx: (_reason(),),
    Action.return_: lambda ctx: (_reason(),),
    Action.merge: _merge,
    Action.resolve_on_spot: _resolve_on_spot,
    Action.assign: _assign,
    Action.record_session: _record_session,
    Action.resolve: _resolve,
    Action.escalate: _escalate,
    Action.pull_up: lambda ctx: (_reason(),),
    Action.push_down: _push_down,
    Action.refer: _refer,
    Action.start_joint: _start_joint,
    Action.complete_subtask: _complete_subtask,
    Action.suspend: lambda ctx: (_reason(),),
    Action.resume: lambda ctx: (_note(),),
    Action.follow_up: _follow_up,
    Action.reopen: lambda ctx: (_reason(),),
    Action.close: lambda ctx: (Field("result", _l("Result reported by the receiver"),
                                     max_length=2000), _note()),
    Action.archive: lambda ctx: (_note(),),
    Action.extend: lambda ctx: (Field("parties_consent", _l("Both parties consent to the "
                                                            "extension."),
                                      kind="checkbox", value_type="bool"), _note()),
}


def _hint(action: Action, ctx: Context) -> Any:
    if action is Action.escalate:
        parent = db.session.execute(select(Unit.parent_id).where(
            Unit.id == ctx.case.owner_unit_id).execution_options(**unscoped())).scalar()
        return _l("The case goes to the centre of %(unit)s.", unit=_unit_name(parent))
    if action is Action.resolve:
        return _l("A written agreement is recorded first, numbered, then the case is "
                  "resolved; it can be printed from the agreements list.")
    return None


def form_for(action: Action, ctx: Context) -> ActionForm:
    required = set(TRANSITIONS[action].required)
    fields = tuple(f if f.group != "transition" else
                   replace(f, required=f.name in required)
                   for f in FIELDS[action](ctx))
    return ActionForm(action=action.value, label=ACTION_LABELS[action], fields=fields,
                      hint=_hint(action, ctx), danger=action in DANGER)


def actions_panel(principal: Principal, case: Case, assignments: list[Any],
                  agreements: list[Any]) -> Panel:
    """The forms of the actions `principal` may take on `case` now, in the workflow's order."""
    ctx = Context(principal=principal, case=case, agreements=agreements)
    # FIELDS covers every action but the platform's (a unit test keeps it so); an action
    # without a form would rather be missing from the page than break it.
    allowed = [a for a in transitions.available(principal, case, assignments)
               if a not in NOT_OFFERED and a in FIELDS]
    return Panel(
        forms=tuple(form_for(action, ctx) for action in allowed),
        version=case.version,
        transitions_url=url_for("cases.CaseTransitions", case_id=case.id),
        agreements_url=url_for("agreements.Agreements", case_id=case.id),
        suggestions_url=url_for("dispatch_api.MediatorSuggestions", case_id=case.id),
        words=script_words())


def script_words() -> dict[str, str]:
    """What case-actions.js writes itself, translated here: JavaScript has no catalog."""
    return {
        "network": _("The server could not be reached; check the connection and try again."),
        "failed": _("The request was refused."),
        "loading": _("Loading the suggestions…"),
        "noSuggestions": _("No mediator in your jurisdiction can be suggested; ask the "
                           "county centre to add mediators to the registry."),
        "suggestionsFailed": _("The suggestions could not be loaded."),
        "points": _("%(total)s points"),
        "rank": _("No. %(rank)s"),
        "full": _("fully booked"),
        "untrained": _("no legal training"),
        "agreementSaved": _("The agreement %(number)s was recorded; the case was not resolved."),
        "unmasked": _("Shown in full; this was recorded."),
    }
