"""Mediation records of a case: its sessions (调解记录), written agreements (调解协议书) with
their judicial confirmation (司法确认), and follow-up visits (回访).

Sessions are written by the workflow (action record_session) and follow-ups are timeline
entries (action follow_up); this module reads them. Agreements are written here: only by
those who handle the case, numbered per county and year under an advisory lock, and their
confirmation changed with optimistic locking. Each write owns its transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, cast, func, select, update

from ..audit.recorder import record
from ..auth.models import User
from ..auth.principal import Principal
from ..auth.scope import unscoped
from ..errors import Conflict, NotFound, StaleVersion, Unprocessable
from ..extensions import db
from ..geo.models import Unit
from ..timestamps import DISPLAY_TZ
from ..unit_of_work import committing
from . import confirmation, queries
from .models import Case, CaseEvent
from .parties import NotHandler, handles, unmask
from .records import Agreement, ConfirmationStatus, MediationSession
from .workflow import Action, CaseState

# An agreement is written while mediating, or after the fact once the case is resolved
# (the paperwork often follows the handshake).
AGREEMENT_STATES = frozenset({CaseState.mediating, CaseState.resolved})

REFUSALS = {
    "decision_before_application": _l(
        "The court can confirm or reject only after judicial confirmation was applied for."),
    "already_applied": _l("Judicial confirmation has already been applied for; it cannot be "
                          "set back to not applied."),
    "already_decided": _l("The court has already decided on this agreement; the decision "
                          "cannot be changed here."),
    "court_required": _l("Name the court the application was made to."),
    "applied_on_required": _l("Give the date of the application."),
    "decided_on_required": _l("Give the date of the court's decision."),
    "in_the_future": _l("The date cannot be in the future."),
    "applied_before_effective": _l(
        "Judicial confirmation can be applied for only once the agreement has taken effect "
        "(on %(effective_on)s)."),
    "window_passed": _l(
        "Judicial confirmation must be applied for within %(days)s days of the agreement "
        "taking effect, that is by %(deadline)s; that time has passed."),
    "decided_before_applied": _l(
        "The court's decision cannot be dated before the application (%(applied_on)s)."),
}


@dataclass
class AgreementInput:
    facts: str
    terms: str
    performance: str
    signed_on: dt.date
    effective_on: dt.date | None = None  # defaults to signed_on (art. 29: effective on signing)
    committee: str | None = None
    amount: Decimal | None = None
    mediator_id: int | None = None


def china_today() -> dt.date:
    """Dates on agreements are Chinese calendar days, not UTC ones."""
    return dt.datetime.now(DISPLAY_TZ).date()


def date_label(day: dt.date) -> str:
    """A date inside a message: 2026年12月22日 for Chinese readers, ISO otherwise."""
    locale = get_locale()
    if locale is None or locale.language == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


# --- reading --------------------------------------------------------------------------------

def list_agreements(case_id: uuid.UUID) -> list[Agreement]:
    queries.get_case(case_id)  # out of jurisdiction: 404, not an empty list
    return list(db.session.execute(
        select(Agreement).where(Agreement.case_id == case_id).order_by(Agreement.id)
    ).scalars())


def get_agreement(case_id: uuid.UUID, agreement_id: int) -> Agreement:
    queries.get_case(case_id)
    agreement = db.session.execute(
        select(Agreement).where(Agreement.id == agreement_id, Agreement.case_id == case_id)
    ).scalar_one_or_none()
    if agreement is None:
        raise NotFound(_l("No such agreement."))
    return agreement


def list_sessions(case_id: uuid.UUID) -> list[MediationSession]:
    """The mediation records of a case, in the order they were held."""
    queries.get_case(case_id)
    return list(db.session.execute(
        select(MediationSession).where(MediationSession.case_id == case_id)
        .order_by(MediationSession.held_at, MediationSession.id)
    ).scalars())


def list_follow_ups(case_id: uuid.UUID) -> list[dict[str, Any]]:
    """Follow-up visits, newest first: who, when, satisfied or not, and what was said."""
    queries.get_case(case_id)
    events = db.session.execute(
        select(CaseEvent).where(CaseEvent.case_id == case_id,
                                CaseEvent.action == Action.follow_up.value)
        .order_by(CaseEvent.at.desc(), CaseEvent.id.desc())
    ).scalars()
    return [{"id": e.id, "at": e.at, "actor_id": e.actor_id, "actor_unit_id": e.actor_unit_id,
             "satisfied": (e.payload or {}).get("satisfied"), "note": e.note,
             "reopened": e.to_state != CaseState.closed.value} for e in events]


# --- writing --------------------------------------------------------------------------------

def create_agreement(principal: Principal, case_id: uuid.UUID, data: AgreementInput) -> Agreement:
    """Record the written agreement of a case being mediated or resolved; 403 for those who
    do not handle the case, 409 in another state, 422 for inconsistent fields."""
    case = queries.get_case(case_id)
    if not handles(principal, case, queries.assignee_ids(case.id)):
        raise NotHandler(_l("Only those who handle this case may record its agreement."))
    if case.state not in AGREEMENT_STATES:
        raise Conflict(_l("An agreement can be recorded only while the case is being mediated "
                          "or after it is resolved."), state=case.state.value)
    if not case.parties:
        raise Unprocessable(_l("A mediation agreement names its parties, and this case has "
                               "none registered."))
    effective_on = data.effective_on or data.signed_on
    if effective_on < data.signed_on:
        raise Unprocessable(_l("The agreement cannot take effect before it is signed."),
                            field="effective_on")
    mediator_id = _mediator(data.mediator_id) or case.handler_id or principal.user_id
    with committing():
        agreement = Agreement(
            county_id=case.county_id, case_id=case.id,
            number=_next_number(case.county_id, data.signed_on.year),
            committee=(data.committee or "").strip() or default_committee(case),
            facts=data.facts, terms=data.terms, performance=data.performance,
            amount=data.amount, mediator_id=mediator_id, signed_on=data.signed_on,
            effective_on=effective_on, confirmation_status=ConfirmationStatus.not_applied,
            version=1)
        db.session.add(agreement)
    return agreement


def update_confirmation(principal: Principal, case_id: uuid.UUID, agreement_id: int,
                        version: int, status: ConfirmationStatus, court: str | None = None,
                        applied_on: dt.date | None = None, decided_on: dt.date | None = None,
                        note: str | None = None) -> Agreement:
    """Record an application for judicial confirmation or the court's decision. Fields left
    None keep their stored value. 409 if `version` is not the current one."""
    case = queries.get_case(case_id)
    agreement = get_agreement(case_id, agreement_id)
    if not handles(principal, case, queries.assignee_ids(case.id)):
        raise NotHandler(_l("Only those who handle this case may record its judicial "
                            "confirmation."))
    if agreement.version != version:
        raise StaleVersion()
    current = ConfirmationStatus(agreement.confirmation_status)
    new = _proposed(agreement, ConfirmationStatus(status), court, applied_on, decided_on)
    refusal = confirmation.check_change(current.value, new, china_today())
    if refusal is not None:
        params = {k: date_label(v) if isinstance(v, dt.date) else v
                  for k, v in refusal.params.items()}
        # Formatted now, in the language of the request (as the workflow's refusals are).
        raise Unprocessable(str(REFUSALS[refusal.code]) % params, field=refusal.field,
                            reason=refusal.code)
    values = {"confirmation_status": ConfirmationStatus(new.status),
              "confirmation_court": new.court, "confirmation_applied_on": new.applied_on,
              "confirmation_decided_on": new.decided_on}
    if note is not None:
        values["confirmation_note"] = note.strip() or None
    with committing():
        # Conditional on the version read: of two people recording at once, one wins.
        won = db.session.execute(
            update(Agreement).where(Agreement.id == agreement.id,
                                    Agreement.case_id == case.id, Agreement.version == version)
            .values(**values, version=Agreement.version + 1).returning(Agreement.id)
        ).scalar_one_or_none()
        if won is None:
            raise StaleVersion()
        record("agreements.confirmation", object_type="agreements", object_id=agreement.id,
               county_id=case.county_id,
               summary={"case_id": str(case.id), "from": current.value, "to": new.status,
                        "version": version + 1, "court": new.court,
                        "applied_on": new.applied_on, "decided_on": new.decided_on})
    db.session.expire_all()
    return get_agreement(case_id, agreement_id)


def _proposed(agreement: Agreement, status: ConfirmationStatus, court: str | None,
              applied_on: dt.date | None,
              decided_on: dt.date | None) -> confirmation.ConfirmationState:
    """The confirmation as it would be after the change. A status with no application clears
    the application's fields, and one with no decision clears the decision's date."""
    if status is ConfirmationStatus.not_applied:
        return confirmation.ConfirmationState(status.value, agreement.effective_on)
    return confirmation.ConfirmationState(
        status=status.value, effective_on=agreement.effective_on,
        court=(court.strip() if court is not None else agreement.confirmation_court),
        applied_on=applied_on or agreement.confirmation_applied_on,
        decided_on=(decided_on or agreement.confirmation_decided_on)
        if status.value in confirmation.DECIDED else None)


def default_committee(case: Case) -> str:
    """The committee of the unit that holds the case: 保南村人民调解委员会, 保康镇人民调解委员会."""
    name = db.session.execute(
        # The holder's name only; a mediator assigned from elsewhere may not read that unit.
        select(Unit.name).where(Unit.id == case.owner_unit_id).execution_options(**unscoped())
    ).scalar_one()
    return f"{name}人民调解委员会"


def _mediator(user_id: int | None) -> int | None:
    """A named mediator must be an active user the recorder can see (so within reach)."""
    if user_id is None:
        return None
    found = db.session.execute(
        select(User.id).where(User.id == user_id, User.is_active.is_(True))
    ).scalar_one_or_none()
    if found is None:
        raise Unprocessable(_l("No such mediator within your jurisdiction."), field="mediator_id")
    return found


def _next_number(county_id: int, year: int) -> str:
    """The next number of the county's year. Two agreements recorded at once would both read
    the same max() (a row lock cannot lock rows that do not exist yet), so the count is taken
    under a transaction-scoped advisory lock for this county and year; under READ COMMITTED
    the max() that follows sees every number committed before the lock was granted."""
    key = func.hashtextextended(f"govgrid.agreement_number:{county_id}:{year}", 0)
    db.session.execute(select(func.pg_advisory_xact_lock(key)))
    sequence = cast(func.substring(Agreement.number, "第([0-9]+)号"), Integer)
    highest = db.session.execute(
        # The whole county's numbers, whoever can read them: the sequence is the county's.
        select(func.max(sequence))
        .where(Agreement.county_id == county_id, Agreement.number.like(f"%〔{year}〕第%"))
        .execution_options(**unscoped())
    ).scalar()
    county = db.session.execute(
        select(Unit.code, Unit.name).where(Unit.id == county_id).execution_options(**unscoped())
    ).one()
    abbreviation = confirmation.county_abbreviation(county.code, county.name)
    return confirmation.agreement_number(abbreviation, year, (highest or 0) + 1)


def unmask_for_print(principal: Principal, case: Case,
                     agreement: Agreement) -> dict[int, dict[str, str | None]]:
    """Every party's ID number and phone in clear for printing the agreement, for someone who
    handles the case (403 otherwise). Each read is audited as case_parties.unmask and
    committed here, so the trail exists before the page is shown."""
    assignees = queries.assignee_ids(case.id)
    if not handles(principal, case, assignees):
        raise NotHandler(_l("Only those who handle this case may see personal data unmasked."))
    with committing():
        clear = {party.id: unmask(principal, case, party, assignees,
                                  f"打印调解协议书 {agreement.number}")
                 for party in case.parties}
    return clear
