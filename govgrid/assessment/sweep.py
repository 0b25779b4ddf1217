"""The assessment's calendar, run by `rq cron` every SWEEP_INTERVAL_S (jobs.cron_config):

- from ASSESS_HOUR on the 1st (Beijing time), each county's month just ended is assessed
  (evaluation.propose_all) — once: a month whose proposals were dismissed is not proposed
  again, since proposals name their period and the sweep skips a period already assessed;
- a confirmed step whose rectification deadline has passed unrectified proposes the next
  step (art. 29–31), with the overdue sanction as its evidence;
- disqualification periods that have run out expire.

Like the analysis calendar it decides from the Beijing clock and what is stored, so a tick
missed or doubled changes only timing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import exists, select

from ..auth.principal import SYSTEM, acting_as
from ..extensions import db
from ..geo.models import Unit, UnitLevel
from ..jobs.context import with_app_context
from ..stats.period import Period, local_midnight, local_today
from ..timestamps import utcnow
from . import ladder, sanctions_store
from .evaluation import propose_all
from .models import Sanction
from .triggers import overdue_proposals
from .vocabulary import Factor, SanctionState

SWEEP_INTERVAL_S = 60 * 60
ASSESS_HOUR = 3  # after the analysis calendar's 02:00 month-end work
NOT_RECTIFIED = "not_rectified"


def last_month(today: dt.date) -> Period:
    end = today.replace(day=1) - dt.timedelta(days=1)
    return Period(end.replace(day=1), end)


def assessed(county_id: int, period: Period) -> bool:
    """Whether the rules have proposed anything for this county and period already."""
    span = [period.first.isoformat(), period.last.isoformat()]
    return bool(db.session.execute(select(exists().where(
        Sanction.county_id == county_id, Sanction.proposed_by.is_(None),
        Sanction.evidence.contains({"period": span})))).scalar())


@with_app_context
def sweep_assessment() -> dict[str, Any]:
    with acting_as(SYSTEM):
        now = utcnow()
        today = local_today(now)
        done: dict[str, Any] = {"proposed": [], "next_steps": [], "expired": []}
        period = last_month(today)
        if now >= local_midnight(today) + dt.timedelta(hours=ASSESS_HOUR):
            counties = db.session.execute(select(Unit.id).where(
                Unit.level == UnitLevel.county).order_by(Unit.id)).scalars().all()
            for county_id in counties:
                if not assessed(county_id, period):
                    done["proposed"].extend(propose_all(county_id, period, now))
        done["next_steps"] = propose_next_steps(now)
        done["expired"] = sanctions_store.expire_due(now)
        return done


def _answered(sanction_id: int) -> bool:
    return bool(db.session.execute(select(exists().where(
        Sanction.trigger == NOT_RECTIFIED,
        Sanction.params.contains({"sanction_id": sanction_id})))).scalar())


def propose_next_steps(now: dt.datetime) -> list[int]:
    """For every unit with a confirmed step past its deadline, the next step."""
    rows = db.session.execute(select(Sanction, Unit.code).join(Unit, Unit.id == Sanction.unit_id)
                              .where(Sanction.state == SanctionState.confirmed)
                              .order_by(Sanction.id)).all()
    history: dict[str, list[ladder.Sanction]] = defaultdict(list)
    for row, code in rows:
        history[code].append(ladder.Sanction(
            row.id, row.step, row.state, row.confirmed_at, row.deadline, row.rectified_at,
            frozenset(Factor(f) for f in row.factors), row.disqualified_until))
    made = []
    for code, items in history.items():
        for proposal in overdue_proposals(code, items, now):
            if _answered(proposal.params["sanction_id"]):
                continue  # its next step was proposed before (and perhaps dismissed)
            proposed = sanctions_store.propose(SYSTEM, sanctions_store.Proposal(
                unit_code=code, step=proposal.step, trigger=proposal.trigger,
                params=dict(proposal.params),
                evidence={**proposal.evidence.to_data(), "base_step": proposal.base_step.value,
                          "aggravated": proposal.aggravated},
                factors=proposal.factors))
            if proposed is not None:
                made.append(proposed.id)
    return made
