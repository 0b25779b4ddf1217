"""The deadline sweep, run by `rq cron` every minute (jobs/cron_config.py).

Four steps, each over the cases whose occasion has come and was not claimed yet:
将到期 reminders to the handler; 催办 the day after the due day to the handler and the
unit's heads; a 督办 order from the level above after the county's N overdue days; and the
automatic escalation after M overdue days where the county's policy asks for it.

Idempotent by construction: every occasion is a unique notice key (sla/notices.py) claimed
in the same transaction as what it causes, and escalation is a conditional UPDATE on the
case's version. A sweep run twice, or two at once on two workers, acts once. Steps take at
most BATCH cases each; the rest wait for the next minute.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from sqlalchemy import BigInteger, String, cast, exists, func, literal, select

from ..auth.principal import SYSTEM, acting_as
from ..cases import transitions
from ..cases.deadlines import CLOCKED_STATES, Deadlines, stage_of
from ..cases.models import Case
from ..cases.workflow import TRANSITIONS, Action, Level
from ..errors import DomainError
from ..extensions import db
from ..jobs.context import with_app_context
from ..outbox.relay import relay_soon
from ..timestamps import utcnow
from ..unit_of_work import committing
from . import recipients
from .authority import unit_above
from .calendar import LOCAL_TZ
from .models import SlaNotice, SupervisionOrder
from .notices import Kind, claim
from .store import deadlines_for

log = logging.getLogger(__name__)
BATCH = 500
SWEEP_INTERVAL_S = 60
ESCALATABLE = tuple(TRANSITIONS[Action.auto_escalate].from_states)
DAY = dt.timedelta(days=1)


@with_app_context
def sweep_deadlines(now: str | None = None) -> dict[str, int]:
    """One sweep over every county; `now` (ISO time) only for tests and replays."""
    moment = dt.datetime.fromisoformat(now) if now else utcnow()
    counts = {"due_soon": 0, "urge": 0, "supervision": 0, "escalated": 0}
    with acting_as(SYSTEM):
        counties = db.session.execute(
            select(Case.county_id).where(Case.state.in_(CLOCKED_STATES),
                                         Case.due_soon_at <= moment).distinct()
        ).scalars().all()
        for county_id in counties:
            clock = deadlines_for(county_id)
            counts["due_soon"] += _remind_due_soon(county_id, moment)
            counts["urge"] += _urge(county_id, clock, moment)
            counts["supervision"] += _supervise(county_id, clock, moment)
            counts["escalated"] += _escalate(county_id, clock, moment)
    if any(counts.values()):
        log.info("deadline sweep at %s: %s", moment.isoformat(), counts)
        relay_soon()  # the notices' outbox rows go out now, not at the relay's next tick
    return counts


def notice_key(case_id: uuid.UUID, kind: str, due_at: dt.datetime) -> str:
    """One occasion per case, kind and due time: a new due time is a new occasion."""
    return f"case:{case_id}:{kind}:{int(due_at.timestamp())}"


def _key_sql(kind: str) -> Any:
    """notice_key() in SQL, so candidates already claimed are left out by the unique index."""
    epoch = cast(cast(func.floor(func.extract("epoch", Case.due_at)), BigInteger), String)
    return literal("case:") + cast(Case.id, String) + literal(f":{kind}:") + epoch


def _unclaimed(county_id: int, kind: str, *conditions: Any) -> list[Case]:
    return list(db.session.execute(
        select(Case).where(
            Case.county_id == county_id, Case.state.in_(CLOCKED_STATES),
            Case.due_at.is_not(None), *conditions,
            ~exists(select(SlaNotice.id).where(SlaNotice.key == _key_sql(kind))))
        .order_by(Case.due_at, Case.id).limit(BATCH)
    ).scalars())


def _payload(case: Case, **extra: Any) -> dict[str, Any]:
    stage = stage_of(case.state)
    return {"stage": stage.value if stage else None,
            "due_at": case.due_at.isoformat() if case.due_at else None, **extra}


def _overdue_days(case: Case, now: dt.datetime) -> int:
    return int((now - case.due_at) / DAY) if case.due_at else 0


def _remind_due_soon(county_id: int, now: dt.datetime) -> int:
    cases = _unclaimed(county_id, Kind.due_soon, Case.due_soon_at <= now, Case.due_at > now)
    sent = 0
    with committing():
        for case in cases:
            sent += claim(notice_key(case.id, Kind.due_soon, case.due_at), Kind.due_soon,
                          county_id, case.id,
                          recipients.handler_or_centre(case.handler_id, case.owner_unit_id),
                          _payload(case)) is not None
    return sent


def _local_midnight(now: dt.datetime) -> dt.datetime:
    local = now.astimezone(LOCAL_TZ)
    return dt.datetime.combine(local.date(), dt.time(), LOCAL_TZ).astimezone(dt.UTC)


def _urge(county_id: int, clock: Deadlines, now: dt.datetime) -> int:
    """催办 from the first local day after the due day (or later, per the policy)."""
    cutoff = _local_midnight(now) - DAY * (clock.policy.urge_after_days - 1)
    cases = _unclaimed(county_id, Kind.urge, Case.due_at < cutoff)
    sent = 0
    with committing():
        for case in cases:
            people = recipients.handler_or_centre(case.handler_id, case.owner_unit_id) \
                + recipients.heads(case.owner_unit_id)
            sent += claim(notice_key(case.id, Kind.urge, case.due_at), Kind.urge, county_id,
                          case.id, people,
                          _payload(case, overdue_days=max(1, _overdue_days(case, now)))
                          ) is not None
    return sent


def _supervise(county_id: int, clock: Deadlines, now: dt.datetime) -> int:
    """督办 by the level above (the county supervises its own centre's cases)."""
    policy = clock.policy
    cases = _unclaimed(county_id, Kind.supervision,
                       Case.due_at <= now - DAY * policy.supervise_after_days)
    issued = 0
    with committing():
        for case in cases:
            reply_due = clock.calendar.add_days(now, policy.supervision_reply_days,
                                                policy.day_kind)
            days = _overdue_days(case, now)
            people = recipients.centre_staff(case.owner_unit_id) \
                + recipients.heads(case.owner_unit_id) \
                + ([case.handler_id] if case.handler_id else [])
            notice = claim(notice_key(case.id, Kind.supervision, case.due_at),
                           Kind.supervision, county_id, case.id, people,
                           _payload(case, overdue_days=days, reply_due_at=reply_due.isoformat()))
            if notice is None:
                continue
            db.session.add(SupervisionOrder(
                county_id=county_id, case_id=case.id, issuing_unit_id=unit_above(case),
                target_unit_id=case.owner_unit_id, issued_by=None, issued_at=now,
                reason=f"超期{days}日未办结（系统自动督办）", overdue_days=days,
                reply_due_at=reply_due))
            issued += 1
    return issued


def _escalate(county_id: int, clock: Deadlines, now: dt.datetime) -> int:
    """自动提级, one case per transaction: a case someone changed meanwhile (stale version) is
    simply left for the next sweep to judge again."""
    moved = 0
    for level, days in clock.policy.escalate_after_days.items():
        if level is Level.county:
            continue
        cases = _unclaimed(county_id, Kind.escalated, Case.owner_level == level,
                           Case.state.in_(ESCALATABLE),
                           Case.due_at <= now - DAY * days)
        for case in cases:
            moved += _escalate_one(case, now)
    return moved


def _escalate_one(case: Case, now: dt.datetime) -> int:
    days = _overdue_days(case, now)
    key = notice_key(case.id, Kind.escalated, case.due_at)
    payload = _payload(case, overdue_days=days, from_level=case.owner_level.value)

    old_owner = case.owner_unit_id
    new_owner = unit_above(case)

    def notify(moved: Case) -> None:
        # The new holder takes it on; the old one learns it was taken up.
        claim(key, Kind.escalated, moved.county_id, moved.id,
              recipients.centre_staff(new_owner) + recipients.heads(new_owner)
              + recipients.centre_staff(old_owner) + recipients.heads(old_owner), payload)

    try:
        transitions.apply(SYSTEM, case.id, Action.auto_escalate, case.version,
                          {"note": f"超期{days}日，按本县时限规定自动提级"}, also=notify)
    except DomainError as refused:  # stale version, or no longer in a state to escalate
        log.info("automatic escalation of %s skipped: %s", case.id, refused)
        return 0
    return 1
