"""The ladder per unit, stored: sanctions proposed (by the rules as SYSTEM, or by hand with
a reason), confirmed or dismissed by county staff, leaders and admins. Every decision is a
conditional UPDATE on (id, version, state) RETURNING, so two people deciding at once cannot
both win (409), and an audit entry. At most one of each step is proposed or in force per
unit (a partial unique index: a rule firing again proposes nothing new).

Rectification reports and their review are in rectifications.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ..audit.recorder import record
from ..auth.permissions import Permission, require
from ..auth.principal import Principal
from ..errors import Conflict, NotFound, StaleVersion, Unprocessable
from ..extensions import db
from ..timestamps import DISPLAY_TZ, utcnow
from ..unit_of_work import committing
from . import ladder
from .events import path_of, township_or_village
from .models import Sanction
from .scheme import Scheme
from .schemes_store import active_scheme
from .vocabulary import LADDER, Factor, SanctionState, Step

MAX_ID = 2**31 - 1
MANUAL = "manual"  # the trigger code of a step raised by hand
OPEN_STATES = (SanctionState.proposed, SanctionState.confirmed)


@dataclass(frozen=True)
class Proposal:
    unit_code: str
    step: Step
    trigger: str = MANUAL
    params: dict[str, Any] | None = None
    evidence: dict[str, Any] | None = None  # event ids, case ids, figures, scheme version
    factors: tuple[Factor, ...] = ()
    reason: str | None = None


@dataclass(frozen=True)
class SanctionFilters:
    unit_code: str | None = None  # that unit and those below it
    state: SanctionState | None = None
    step: Step | None = None


def ladder_terms(step: Step, confirmed_at: dt.datetime, scheme: Scheme,
                 factors: Iterable[Factor]) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(rectification deadline, disqualified until) of a step confirmed at a moment, in UTC:
    the pure ladder's terms (the step's rectification days, plus the scheme's mitigation
    days under 从轻; its disqualification months) counted on the Beijing calendar."""
    deadline, until = ladder.terms(step, confirmed_at.astimezone(DISPLAY_TZ), scheme,
                                   tuple(factors))
    return _utc(deadline), _utc(until)


def _utc(moment: dt.date | None) -> dt.datetime | None:
    """The ladder keeps the type it is given: a datetime in, a datetime out."""
    return moment.astimezone(dt.UTC) if isinstance(moment, dt.datetime) else None


def _clean_factors(factors: Iterable[Factor | str]) -> list[str]:
    return sorted({Factor(f).value for f in factors})


def propose(principal: Principal, proposal: Proposal) -> Sanction | None:
    """A proposed step for a township or village within the jurisdiction. Raised by the rules
    (SYSTEM): None when the same step is already proposed or in force there. Raised by hand:
    needs `decide_sanctions` and a reason, and such a duplicate is a 409."""
    by_hand = not principal.is_system
    reason = (proposal.reason or "").strip() or None
    if by_hand:
        require(principal, Permission.decide_sanctions)
        if reason is None:
            raise Unprocessable(_l("Say why you raise this step."))
    unit = township_or_village(proposal.unit_code, _l(
        "The ladder applies to townships and villages."))
    now = utcnow()
    factors = _clean_factors(proposal.factors)
    with committing():
        new_id = db.session.execute(
            pg_insert(Sanction).values(
                county_id=unit.county_id, unit_id=unit.id, path=unit.path, step=proposal.step,
                state=SanctionState.proposed, trigger=proposal.trigger,
                params=proposal.params or {}, evidence=proposal.evidence or {},
                factors=factors, reason=reason, proposed_by=principal.user_id,
                proposed_at=now, version=1)
            .on_conflict_do_nothing(index_elements=["unit_id", "step"],
                                    index_where=Sanction.state.in_(OPEN_STATES))
            .returning(Sanction.id)).scalar_one_or_none()
        if new_id is None:
            if by_hand:
                raise Conflict(_l("This unit already has this step proposed or in force."))
            return None
        record("assessment.sanction_proposed", object_type="sanctions", object_id=new_id,
               county_id=unit.county_id,
               summary={"unit": unit.code, "step": proposal.step.value,
                        "trigger": proposal.trigger, "factors": factors, "reason": reason,
                        "evidence": proposal.evidence or {}})
    return get_sanction(new_id)


def get_sanction(sanction_id: int) -> Sanction:
    row = None
    if 0 < sanction_id <= MAX_ID:
        row = db.session.execute(select(Sanction).where(Sanction.id == sanction_id)
                                 ).scalar_one_or_none()
    if row is None:
        raise NotFound(_l("No such sanction in your jurisdiction."))
    return row


def _decide(sanction: Sanction, version: int, **values: Any) -> None:
    """The conditional UPDATE every decision on a proposal is: 409 if someone decided first
    or changed it since it was read."""
    won = db.session.execute(
        update(Sanction).where(Sanction.id == sanction.id, Sanction.version == version,
                               Sanction.state == SanctionState.proposed)
        .values(**values, version=Sanction.version + 1, updated_at=utcnow())
        .returning(Sanction.id)).scalar_one_or_none()
    if won is None:
        raise StaleVersion()


def _open_proposal(principal: Principal, sanction_id: int) -> Sanction:
    require(principal, Permission.decide_sanctions)
    sanction = get_sanction(sanction_id)
    if sanction.state != SanctionState.proposed:
        raise Conflict(_l("This sanction has been decided already."))
    return sanction


def confirm(principal: Principal, sanction_id: int, version: int,
            factors: Iterable[Factor] | None = None, reason: str | None = None) -> Sanction:
    """Put a proposed step in force: its rectification deadline and disqualification period
    from the county's scheme in force; lower steps in force on the unit are superseded."""
    sanction = _open_proposal(principal, sanction_id)
    now = utcnow()
    kept = _clean_factors(sanction.factors if factors is None else factors)
    scheme, scheme_version = active_scheme(sanction.county_id, now.astimezone(DISPLAY_TZ).year)
    deadline, until = ladder_terms(sanction.step, now, scheme, (Factor(f) for f in kept))
    params = {**sanction.params, "terms": {
        "scheme_version": scheme_version,
        "rectification_days": scheme.rectification_days.get(sanction.step),
        "disqualification_months": scheme.disqualification_months.get(sanction.step)}}
    lower = [s for s in LADDER if s.rank < sanction.step.rank]
    with committing():
        _decide(sanction, version, state=SanctionState.confirmed, decided_by=principal.user_id,
                decided_at=now, confirmed_at=now, deadline=deadline, disqualified_until=until,
                factors=kept, params=params,
                reason=(reason or "").strip() or sanction.reason)
        superseded = db.session.execute(
            update(Sanction).where(Sanction.unit_id == sanction.unit_id,
                                   Sanction.state == SanctionState.confirmed,
                                   Sanction.step.in_(lower))
            .values(state=SanctionState.superseded, superseded_by_id=sanction.id,
                    version=Sanction.version + 1, updated_at=now)
            .returning(Sanction.id)).scalars().all()
        record("assessment.sanction_confirmed", object_type="sanctions", object_id=sanction.id,
               county_id=sanction.county_id,
               summary={"step": sanction.step.value, "deadline": deadline,
                        "disqualified_until": until, "factors": kept,
                        "scheme_version": scheme_version, "superseded": list(superseded)})
    db.session.expire_all()
    return get_sanction(sanction_id)


def dismiss(principal: Principal, sanction_id: int, version: int, reason: str) -> Sanction:
    sanction = _open_proposal(principal, sanction_id)
    reason = (reason or "").strip()
    if not reason:
        raise Unprocessable(_l("Say why you dismiss this proposal."))
    with committing():
        _decide(sanction, version, state=SanctionState.dismissed, decided_by=principal.user_id,
                decided_at=utcnow(), reason=reason)
        record("assessment.sanction_dismissed", object_type="sanctions", object_id=sanction.id,
               county_id=sanction.county_id,
               summary={"step": sanction.step.value, "reason": reason})
    db.session.expire_all()
    return get_sanction(sanction_id)


def expire_due(now: dt.datetime) -> list[int]:
    """Sanctions whose disqualification period has run out become `expired` (for the
    schedule, acting as SYSTEM); the ids changed."""
    with committing():
        ids = list(db.session.execute(
            update(Sanction).where(
                Sanction.state.in_((SanctionState.confirmed, SanctionState.rectified)),
                Sanction.disqualified_until <= now)
            .values(state=SanctionState.expired, version=Sanction.version + 1, updated_at=now)
            .returning(Sanction.id)).scalars())
        if ids:
            record("assessment.sanctions_expired", object_type="sanctions",
                   summary={"ids": ids, "at": now})
    return ids


def _filtered(filters: SanctionFilters) -> Select[Any]:
    query = select(Sanction)
    if filters.unit_code:
        query = query.where(Sanction.path.descendant_of(path_of(filters.unit_code)))
    if filters.state:
        query = query.where(Sanction.state == filters.state)
    if filters.step:
        query = query.where(Sanction.step == filters.step)
    return query


def list_sanctions(filters: SanctionFilters, page: int, page_size: int
                   ) -> tuple[list[Sanction], int]:
    """Sanctions within the jurisdiction, newest proposal first, and how many there are."""
    query = _filtered(filters)
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(
        query.order_by(Sanction.proposed_at.desc(), Sanction.id.desc())
        .limit(page_size).offset((page - 1) * page_size)).scalars()
    return list(rows), int(total)
