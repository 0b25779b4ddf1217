"""The urgent-clock sweep (rq cron, every minute): alarms clocks entering their last
alarm_share of time with no report, and marks clocks past due with no report 迟报.

Idempotent and safe to run on two workers at once: each occasion is claimed with a unique
notice key (`urgent:<clock id>:alarm`, `urgent:<clock id>:late`; sla/notices.py), so it is
notified once however often it is swept. Each clock is handled in its own short
transaction, in id order, with its row locked (`FOR UPDATE`) while it is decided: a report
being recorded for the same clock waits for the decision or the decision for it, never
both at once, and two sweeps meet the rows in the same order (no deadlock).
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import not_, select, update

from ..auth.principal import SYSTEM, acting_as
from ..cases.models import Case
from ..extensions import db
from ..jobs.context import with_app_context
from ..outbox.relay import relay_soon
from ..timestamps import utcnow
from ..unit_of_work import committing
from . import recipients
from .notices import Kind, claim
from .urgent import ClockKind
from .urgent_models import UrgentClock
from .urgent_queries import DORMANT_STATES

log = logging.getLogger(__name__)

URGENT_SWEEP_INTERVAL_S = 60


def _recipients(clock: UrgentClock, case: Case) -> list[int]:
    """County staff and leaders (they receive the reports and report to the city); for the
    clocks to the county also the staff of the centre holding the case, who owe it."""
    people = set(recipients.county_watch(case.county_id))
    if clock.kind is not ClockKind.upper:
        people.update(recipients.centre_staff(case.owner_unit_id))
    return sorted(people)


def _sweep_one(clock_id: int, now: dt.datetime) -> str | None:
    """Decide one clock: "alarm", "late" or None (met, or decided by someone else)."""
    clock = db.session.execute(
        select(UrgentClock).where(UrgentClock.id == clock_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if clock is None or clock.met_at is not None or clock.late or clock.alarm_at > now:
        return None
    case = db.session.get(Case, clock.case_id)
    if case is None:
        return None
    payload = {"clock": clock.kind.value, "due_at": clock.due_at.isoformat()}
    if clock.due_at < now:
        marked = db.session.execute(
            update(UrgentClock)
            .where(UrgentClock.id == clock.id, UrgentClock.met_at.is_(None),
                   UrgentClock.late.is_(False))
            .values(late=True).returning(UrgentClock.id)
            .execution_options(synchronize_session=False)
        ).scalar_one_or_none()
        if marked is None:
            return None
        notice = claim(f"urgent:{clock.id}:late", Kind.urgent_late, case.county_id, case.id,
                       _recipients(clock, case), payload)
        return "late" if notice is not None else None
    notice = claim(f"urgent:{clock.id}:alarm", Kind.urgent_alarm, case.county_id, case.id,
                   _recipients(clock, case), payload)
    return "alarm" if notice is not None else None


@with_app_context
def sweep_urgent_clocks(now: dt.datetime | str | None = None) -> dict[str, int]:
    """Alarm and mark late what is due; returns how many alarms and 迟报 it recorded now.
    `now` (a datetime, or ISO text as an RQ job argument) only for tests and replays."""
    if isinstance(now, str):
        now = dt.datetime.fromisoformat(now)
    now = now or utcnow()
    counts = {"alarm": 0, "late": 0}
    with acting_as(SYSTEM):
        candidates = list(db.session.execute(
            select(UrgentClock.id)
            .join(Case, Case.id == UrgentClock.case_id)
            # `NOT late` as the partial index says it, so the planner can use the index.
            .where(UrgentClock.met_at.is_(None), not_(UrgentClock.late),
                   UrgentClock.alarm_at <= now, Case.state.not_in(DORMANT_STATES))
            .order_by(UrgentClock.id)
        ).scalars())
        db.session.commit()  # end the read's transaction: each clock gets its own below
        for clock_id in candidates:
            with committing():
                outcome = _sweep_one(clock_id, now)
            if outcome:
                counts[outcome] += 1
    if any(counts.values()):
        log.info("urgent clocks swept: %(alarm)d alarm(s), %(late)d late", counts)
        relay_soon()  # the notices' outbox rows go out now, not at the relay's next tick
    return counts
