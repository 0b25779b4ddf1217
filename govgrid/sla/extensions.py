"""延期申请: the holder of a case asks the level above for more days; the level above
approves (the case's due time moves by that many days, natural or working as the county
counts) or refuses, with a note. One open request per case; decisions are optimistic-locked
on the request's version; everything is on the case's timeline, in the audit trail and in
the inboxes of those concerned."""

from __future__ import annotations

import uuid
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..auth.permissions import Forbidden
from ..auth.principal import Principal
from ..cases import queries
from ..cases.models import Case, CaseEvent
from ..cases.workflow import CaseState
from ..errors import Conflict, NotFound, StaleVersion, Unprocessable
from ..extensions import db
from ..timestamps import utcnow
from ..unit_of_work import committing
from . import recipients
from .authority import holds, is_above, unit_above
from .models import ExtensionRequest, RequestState
from .notices import Kind, claim
from .store import deadlines_for

EXTENDABLE = (CaseState.accepted, CaseState.mediating)  # the handling (办理) stage
PENDING_UNIQUE = "uq_extension_request_pending"


def for_case(case_id: uuid.UUID) -> list[ExtensionRequest]:
    queries.get_case(case_id)  # 404 when out of reach
    return list(db.session.execute(
        select(ExtensionRequest).where(ExtensionRequest.case_id == case_id)
        .order_by(ExtensionRequest.created_at, ExtensionRequest.id)).scalars())


def pending_for(principal: Principal) -> list[ExtensionRequest]:
    """Requests waiting for my unit's decision (within my jurisdiction)."""
    return list(db.session.execute(
        select(ExtensionRequest).where(ExtensionRequest.approver_unit_id == principal.unit_id,
                                       ExtensionRequest.state == RequestState.pending)
        .order_by(ExtensionRequest.created_at)).scalars())


def request(principal: Principal, case_id: uuid.UUID, days: int, reason: str
            ) -> ExtensionRequest:
    case = queries.get_case(case_id)
    if not holds(principal, case):
        raise Forbidden(_l("Only the centre holding the case or its handler may ask for an "
                           "extension."))
    if case.state not in EXTENDABLE or case.due_at is None:
        raise Conflict(_l("Only a case being handled, with its time limit running, can be "
                          "extended."))
    limit = deadlines_for(case.county_id).policy.extension_max_days
    if days > limit:
        raise Unprocessable(_l("At most %(days)s days can be asked for at once.", days=limit),
                            field="days")
    approver = unit_above(case)
    already = Conflict(_l("An extension request for this case is already waiting for a "
                          "decision."))
    with committing():
        # A request left pending by an earlier holder (the case was escalated, pushed down
        # or returned since) is moot: withdrawn, so that it does not block this one.
        db.session.execute(
            update(ExtensionRequest).where(
                ExtensionRequest.case_id == case.id,
                ExtensionRequest.state == RequestState.pending,
                ExtensionRequest.requesting_unit_id != case.owner_unit_id)
            .values(state=RequestState.withdrawn, version=ExtensionRequest.version + 1)
            .execution_options(synchronize_session=False))
        if db.session.execute(select(ExtensionRequest.id).where(
                ExtensionRequest.case_id == case.id,
                ExtensionRequest.state == RequestState.pending)).first():
            raise already
        ask = ExtensionRequest(
            county_id=case.county_id, case_id=case.id, requested_by=principal.user_id,
            requesting_unit_id=case.owner_unit_id, approver_unit_id=approver, days=days,
            reason=reason.strip(), due_before=case.due_at)
        db.session.add(ask)
        try:  # the partial unique index settles a race between two requests
            with db.session.begin_nested():
                db.session.flush()
        except IntegrityError as error:
            if getattr(getattr(error.orig, "diag", None), "constraint_name", "") \
                    == PENDING_UNIQUE:
                raise already from None
            raise
        _timeline(case, principal, "extension_requested", reason, {"days": days,
                                                                   "request_id": ask.id})
        claim(f"extension:{ask.id}:requested", Kind.extension_request, case.county_id,
              case.id, recipients.centre_staff(approver) + recipients.heads(approver),
              {"days": days, "due_at": case.due_at.isoformat(), "note": reason.strip()})
    return ask


def decide(principal: Principal, request_id: int, version: int, approve: bool,
           note: str | None) -> ExtensionRequest:
    ask = db.session.execute(select(ExtensionRequest).where(ExtensionRequest.id == request_id)
                             ).scalar_one_or_none()
    if ask is None:
        raise NotFound(_l("No such extension request."))
    case = queries.get_case(ask.case_id)
    # Judged by the unit that asked: if the case moved on since, its approver may still
    # refuse the request (approving it fails below), rather than nobody being able to.
    if not is_above(principal, ask.requesting_unit_id, ask.approver_unit_id):
        raise Forbidden(_l("Only the level above the centre holding the case decides on its "
                           "extension."))
    if ask.state is not RequestState.pending:
        raise Conflict(_l("This request has been decided already."))
    now = utcnow()
    with committing():
        values: dict[str, Any] = {"state": RequestState.approved if approve
                                  else RequestState.rejected,
                                  "decided_by": principal.user_id, "decided_at": now,
                                  "decision_note": (note or "").strip() or None,
                                  "version": ExtensionRequest.version + 1}
        if approve:
            due = _extend_case(case, ask)
            values["due_after"] = due
        won = db.session.execute(
            update(ExtensionRequest).where(ExtensionRequest.id == ask.id,
                                           ExtensionRequest.version == version,
                                           ExtensionRequest.state == RequestState.pending)
            .values(**values).returning(ExtensionRequest.id)).scalar_one_or_none()
        if won is None:
            raise StaleVersion()
        _timeline(case, principal, "extension_approved" if approve else "extension_rejected",
                  note, {"request_id": ask.id, "days": ask.days})
        claim(f"extension:{ask.id}:decided", Kind.extension_decided, case.county_id, case.id,
              [ask.requested_by] + recipients.centre_staff(case.owner_unit_id),
              {"approved": approve, "due_at": values.get("due_after", case.due_at).isoformat()
               if case.due_at else None, "note": (note or "").strip()})
    db.session.expire_all()
    return db.session.get(ExtensionRequest, ask.id)  # type: ignore[return-value]


def _extend_case(case: Case, ask: ExtensionRequest) -> Any:
    """Move the clock the request was about by its days: the case must still be in its
    handling stage, held by the unit that asked, with the due time it had then (not a later
    stage's clock, e.g. the township's after an escalation)."""
    moved_on = Conflict(_l("The case has moved on since the request (its stage or time limit "
                           "changed); the request can only be refused now."))
    if ask.due_before is None or case.owner_unit_id != ask.requesting_unit_id:
        raise moved_on
    due = deadlines_for(case.county_id).extend(case.due_started_at or utcnow(),
                                               ask.due_before, ask.days)
    moved = db.session.execute(
        update(Case).where(Case.id == case.id, Case.state.in_(EXTENDABLE),
                           Case.owner_unit_id == ask.requesting_unit_id,
                           Case.due_at == ask.due_before)
        .values(**due.columns(), version=Case.version + 1, updated_at=utcnow())
        .returning(Case.id).execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if moved is None:
        raise moved_on
    return due.due_at


def _timeline(case: Case, principal: Principal, action: str, note: str | None,
              payload: dict[str, Any]) -> None:
    """A timeline entry that is not a state change (from = to)."""
    db.session.add(CaseEvent(
        county_id=case.county_id, case_id=case.id, action=action,
        from_state=case.state.value, to_state=case.state.value, actor_id=principal.user_id,
        actor_unit_id=principal.unit_id, at=utcnow(), note=(note or None), payload=payload))
