"""Applying a workflow action to a case: the one way a case changes state.

Order of business: read the case (jurisdiction-scoped: 404 if out of reach), ask the pure
state machine (workflow.check) whether this person may do this now, resolve what the
payload points at (a mediator, a unit, another case), then a conditional
`UPDATE ... WHERE version = :v RETURNING` so two people acting on the same version cannot
both win, and in the same transaction the timeline entry, assignments, outbox rows and the
audit entry.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ..audit.recorder import record
from ..auth.models import User
from ..auth.principal import Principal
from ..auth.roles import Role
from ..auth.scope import unscoped
from ..errors import DomainError, StaleVersion, Unprocessable
from ..extensions import db
from ..geo.models import Unit
from ..outbox.models import OutboxMessage
from ..sla.store import deadlines_for
from ..timestamps import utcnow
from ..unit_of_work import committing
from . import deadlines, queries
from .messages import refusal_message
from .models import Case, CaseAssignment, CaseEvent
from .records import MediationSession
from .workflow import Action, CaseFacts, CaseState, Effect, Level, available_actions, check

ACTIVE_HANDLING = ("handler", "referral", "subtask", "linkage")


class TransitionRefused(DomainError):
    def __init__(self, refusal: Any) -> None:
        super().__init__(refusal_message(refusal), code=refusal.code)
        self.status = refusal.http_status


def _facts(principal: Principal, case: Case, assignments: list[Any] | None = None) -> CaseFacts:
    if assignments is None:
        assignments = queries.active_assignments(case.id)
    closed_days = None
    if case.closed_at is not None:
        closed_days = (utcnow() - case.closed_at).total_seconds() / 86400
    return CaseFacts(
        state=case.state, level=case.owner_level, actor_id=principal.user_id or 0,
        actor_role=principal.role or Role.admin,
        actor_is_handler_unit=principal.unit_id == case.owner_unit_id,
        actor_department_involved=any(
            a.user_id == principal.user_id and a.kind != "handler" for a in assignments),
        case_id=case.id, severity=case.severity, is_urgent=case.is_urgent,
        reporter_id=case.reporter_id, handler_id=case.handler_id,
        open_subtasks=sum(a.kind == "subtask" for a in assignments),
        extended=case.extended, closed_days_ago=closed_days,
        actor_is_platform=principal.is_system,
    )


def available(principal: Principal, case: Case,
              assignments: list[Any] | None = None) -> list[Action]:
    """The actions this person may take on the case now (for the UI); `assignments` as
    `queries.active_assignments` gives them, when the caller has read them already."""
    if principal.is_anonymous or principal.role is None:
        return []
    return available_actions(_facts(principal, case, assignments))


def apply(principal: Principal, case_id: uuid.UUID, action: Action, version: int,
          payload: dict[str, Any], also: Callable[[Case], None] | None = None) -> Case:
    """Apply `action` to the case at `version`; the updated case, or a refusal (403/409/422).
    `also(case)` runs inside the same transaction after the change (e.g. the sweep's notice
    of an automatic escalation), so both happen or neither."""
    case = queries.get_case(case_id)
    decision = check(action, _facts(principal, case), payload)
    if not decision.ok:
        raise TransitionRefused(decision)
    now = utcnow()
    with committing():
        values, event_payload = _changes(principal, case, action, decision, payload, now)
        won = db.session.execute(
            update(Case).where(Case.id == case.id, Case.version == version)
            .values(**values, state=decision.to_state, version=Case.version + 1, updated_at=now)
            .returning(Case.id)
        ).scalar_one_or_none()
        if won is None:
            raise StaleVersion()
        db.session.add(CaseEvent(
            county_id=case.county_id, case_id=case.id, action=action.value,
            from_state=case.state.value, to_state=decision.to_state.value,
            actor_id=principal.user_id, actor_unit_id=principal.unit_id, at=now,
            note=_note(payload), payload=event_payload))
        _side_effects(principal, case, action, decision.effects, payload, now)
        db.session.add(OutboxMessage(county_id=case.county_id, topic="case.transitioned",
                                     payload={"case_id": str(case.id), "action": action.value}))
        record(f"cases.{action.value}", object_type="cases", object_id=case.id,
               county_id=case.county_id,
               summary={"from": case.state.value, "to": decision.to_state.value,
                        "version": version + 1, **event_payload})
        if also is not None:
            also(case)
    db.session.expire_all()
    return queries.get_case(case_id)


def _note(payload: dict[str, Any]) -> str | None:
    for key in ("note", "reason", "summary", "result"):
        if payload.get(key):
            return str(payload[key])[:2000]
    return None


def _changes(principal: Principal, case: Case, action: Action, decision: Any,
             payload: dict[str, Any], now: dt.datetime) -> tuple[dict[str, Any], dict[str, Any]]:
    """Column values to set and what the timeline entry remembers (e.g. the previous owner,
    so 退回 knows where to send the case back)."""
    values: dict[str, Any] = {}
    memo: dict[str, Any] = {}
    effects = decision.effects
    clock = deadlines_for(case.county_id)

    def resolve_clock(level: Level) -> dict[str, Any]:
        return clock.resolve(now, level, case.category.code, case.severity,
                             case.category.time_limit_days).columns()

    if action is Action.accept:
        values.update(accepted_at=now, **resolve_clock(case.owner_level))
    if decision.to_state is CaseState.reported and case.state is not CaseState.reported:
        # Back to be accepted (a completed draft resubmitted, a case returned to the unit
        # that sent it): the receiving centre's 受理 time runs afresh.
        values.update(clock.accept(now).columns())
    if Effect.level_up in effects:
        parent = db.session.execute(
            select(Unit.parent_id).where(Unit.id == case.owner_unit_id)
            .execution_options(**unscoped())).scalar_one()
        above = _level_above(case.owner_level)
        values.update(owner_unit_id=parent, owner_level=above,
                      escalation_count=Case.escalation_count + 1, **resolve_clock(above))
        memo["from_unit_id"] = case.owner_unit_id
    if Effect.level_down in effects:
        target = _unit_below(case, payload["target_unit_id"])
        values.update(owner_unit_id=target.id, owner_level=Level(target.level.value),
                      **resolve_clock(Level(target.level.value)))
        memo["from_unit_id"] = case.owner_unit_id
    if Effect.back_to_sender in effects:
        sender = _previous_owner(case)
        if sender is not None:
            values.update(owner_unit_id=sender[0], owner_level=sender[1])
    if Effect.clear_handler in effects:
        values["handler_id"] = None
    if Effect.actor_is_handler in effects:
        values["handler_id"] = principal.user_id
    if action is Action.assign:
        values["handler_id"] = _mediator(case, payload["mediator_id"])
    if action in (Action.resolve, Action.resolve_on_spot):
        values["outcome"] = payload["outcome"]
    if Effect.start_follow_up_clock in effects:
        # Judged before the follow-up clock replaces the handling one (按期办结率).
        late = case.due_at is not None and now > case.due_at
        values.update(resolved_at=now, resolved_late=late, **clock.follow_up(now).columns())
    if Effect.counts_as_rebound in effects:
        values.update(rebound_count=Case.rebound_count + 1, closed_at=None, resolved_at=None,
                      resolved_late=None,
                      **resolve_clock(case.owner_level))
    if decision.to_state is CaseState.closed:
        values.update(closed_at=now, **deadlines.NO_CLOCK)
    if action is Action.archive:
        values["archived_at"] = now
    if Effect.pause_clock in effects and case.due_at is not None:
        memo["remaining_s"] = max(0.0, (case.due_at - now).total_seconds())
        values.update(deadlines.NO_CLOCK)
    if Effect.resume_clock in effects:
        values.update(clock.resume(now, _remaining_when_suspended(case)).columns())
    if Effect.extend_deadline in effects:
        # 延期 with both parties' consent: once, by the stage's own length again.
        days = clock.resolve_limit(case.owner_level, case.category.code, case.severity,
                                   case.category.time_limit_days)
        values.update(extended=True, **clock.extend(case.due_started_at or now,
                                                    case.due_at or now, days).columns())
    if action is Action.merge:
        values["duplicate_of_id"] = _other_case(payload["duplicate_of"])
    if action is Action.refer:
        values.update(referral_route=payload["route"], referral_receiver=str(payload["receiver"]))
    for key in ("outcome", "satisfied", "route", "receiver", "target_unit_id", "mediator_id",
                "departments", "routes_explained", "duplicate_of"):
        if key in payload:
            memo[key] = payload[key] if not isinstance(payload[key], uuid.UUID) \
                else str(payload[key])
    return values, memo


def _side_effects(principal: Principal, case: Case, action: Action, effects: frozenset[Effect],
                  payload: dict[str, Any], now: dt.datetime) -> None:
    if Effect.clear_handler in effects or action is Action.assign:
        db.session.execute(update(CaseAssignment).where(
            CaseAssignment.case_id == case.id, CaseAssignment.kind == "handler",
            CaseAssignment.active.is_(True)).values(active=False, done_at=now))
    if action is Action.assign:
        db.session.add(CaseAssignment(county_id=case.county_id, case_id=case.id,
                                      user_id=int(payload["mediator_id"]), kind="handler"))
    if action is Action.record_session:
        db.session.add(MediationSession(
            county_id=case.county_id, case_id=case.id, mediator_id=principal.user_id,
            held_at=payload.get("held_at") or now, place=payload.get("place"),
            participants=list(payload.get("participants") or []),
            summary=str(payload["summary"]), result=payload.get("result")))
    if Effect.create_subtasks in effects:
        for department in payload["departments"]:
            db.session.add(CaseAssignment(county_id=case.county_id, case_id=case.id,
                                          user_id=_liaison(case, department), kind="subtask",
                                          task=str(department)))
    if action is Action.complete_subtask:
        done = db.session.execute(update(CaseAssignment).where(
            CaseAssignment.id == int(payload["subtask_id"]), CaseAssignment.case_id == case.id,
            CaseAssignment.kind == "subtask", CaseAssignment.active.is_(True),
        ).values(active=False, done_at=now).returning(CaseAssignment.id)).scalar_one_or_none()
        if done is None:
            raise Unprocessable(_l("No such open sub-task on this case."), field="subtask_id")
    if Effect.notify_receiver in effects:
        db.session.add(OutboxMessage(county_id=case.county_id, topic="case.referred", payload={
            "case_id": str(case.id), "route": str(payload["route"]),
            "receiver": str(payload["receiver"])}))


def _level_above(level: Level) -> Level:
    return {Level.village: Level.township, Level.township: Level.county}[level]


def _unit_below(case: Case, unit_id: Any) -> Unit:
    """The target of 降级: a unit under the current owner that contains the case's place."""
    target = db.session.execute(select(Unit).where(Unit.id == int(unit_id))).scalar_one_or_none()
    owner_path = db.session.execute(select(Unit.path).where(Unit.id == case.owner_unit_id)
                                    .execution_options(**unscoped())).scalar_one()
    if (target is None or target.id == case.owner_unit_id
            or not target.path.startswith(owner_path + ".")
            or not (case.location_path == target.path
                    or case.location_path.startswith(target.path + "."))):
        raise Unprocessable(_l("The case can only be pushed down to a unit below its holder "
                               "that contains the place where it happened."),
                            field="target_unit_id")
    return target


def _previous_owner(case: Case) -> tuple[int, Level] | None:
    sent_from = db.session.execute(
        select(CaseEvent.payload["from_unit_id"].as_integer())
        .where(CaseEvent.case_id == case.id, CaseEvent.payload.has_key("from_unit_id"))
        .order_by(CaseEvent.at.desc(), CaseEvent.id.desc()).limit(1)
        .execution_options(**unscoped())).scalar_one_or_none()
    if sent_from is None:
        return None
    level = db.session.execute(select(Unit.level).where(Unit.id == sent_from)
                               .execution_options(**unscoped())).scalar_one()
    return sent_from, Level(level.value)


def _remaining_when_suspended(case: Case) -> float:
    remaining = db.session.execute(
        select(CaseEvent.payload["remaining_s"].as_float())
        .where(CaseEvent.case_id == case.id, CaseEvent.action == Action.suspend.value)
        .order_by(CaseEvent.at.desc(), CaseEvent.id.desc()).limit(1)
        .execution_options(**unscoped())).scalar_one_or_none()
    return remaining if remaining is not None else 0.0


def _mediator(case: Case, user_id: Any) -> int:
    """A mediator or centre staff member the assigning centre can see, and active."""
    found = db.session.execute(select(User.id).where(
        User.id == int(user_id), User.is_active.is_(True),
        User.role.in_([Role.mediator, Role.village_staff, Role.township_dispatcher,
                       Role.county_staff, Role.department_liaison]))).scalar_one_or_none()
    if found is None:
        raise Unprocessable(_l("No such mediator within your jurisdiction."), field="mediator_id")
    return found


def _other_case(case_id: Any) -> uuid.UUID:
    other = db.session.execute(select(Case.id, Case.state).where(
        Case.id == uuid.UUID(str(case_id)))).first()
    if other is None or other.state in (CaseState.merged, CaseState.rejected):
        raise Unprocessable(_l("The case to merge into does not exist or is closed to merging."),
                            field="duplicate_of")
    return other.id


def _liaison(case: Case, department: str) -> int:
    """The liaison of that department nearest the case: its township's, else the county's."""
    found = db.session.execute(
        select(User.id).where(
            User.role == Role.department_liaison, User.department == department,
            User.is_active.is_(True), User.unit_id.in_([u for u in (case.township_id,
                                                                   case.county_id) if u]))
        .order_by(func.coalesce(User.unit_id == case.township_id, False).desc(), User.id)
        .limit(1).execution_options(**unscoped())).scalar_one_or_none()
    if found is None:
        raise Unprocessable(_l("No liaison of the department %(department)s serves this place.",
                               department=department), field="departments")
    return found
