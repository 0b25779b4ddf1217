"""The demo county's year of assessment: its major events and its ladder, played month by
month through the real rules and services, so the scorecard, the map by ladder status and
the unit pages have a plausible history to show.

- Major events: the demo's urgent incidents (重大紧急事件) are entered in the register as
  county staff would, each raised from its case (events.record_from_case) with a kind and a
  severity drawn from the seed; those whose reporting clock was missed are marked 迟报.
- The ladder: for each complete month of the history, on the 1st at 04:00 (the clock frozen
  there), the month is assessed (evaluation.propose_all), overdue steps propose the next
  (sweep.propose_next_steps) and expired periods end; then the county's decisions are
  simulated: most proposals confirmed, some dismissed with a reason; most units rectify in
  time (a report accepted before the deadline), the rest let it pass — and climb the ladder.

Deterministic from the seed; loaded once (skipped when the county has events already).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from sqlalchemy import exists, func, select

from ..assessment import rectifications, sanctions_store
from ..assessment.evaluation import propose_all
from ..assessment.events import record_from_case
from ..assessment.models import MajorEvent, Sanction
from ..assessment.sweep import propose_next_steps
from ..assessment.vocabulary import EventKind, EventSeverity, SanctionState, Step
from ..auth.principal import SYSTEM, acting_as
from ..cases.models import Case
from ..extensions import db
from ..geo.models import Unit
from ..sla.urgent_models import UrgentClock
from ..stats.period import Period, local_midnight, next_month
from ..timestamps import frozen_at

KINDS = ((EventKind.mass_incident, 0.5), (EventKind.public_safety_accident, 0.3),
         (EventKind.major_crime, 0.15), (EventKind.homicide, 0.05))
SEVERITIES = ((EventSeverity.ordinary, 0.45), (EventSeverity.serious, 0.4),
              (EventSeverity.major, 0.15))
CONFIRM_SHARE = 0.85  # of the rules' proposals; the rest dismissed after checking
RECTIFY_SHARE = 0.6  # of the confirmed steps, rectified before their deadline
DISMISSAL = "经核实，相关问题已于考核期内整改到位。"
RECTIFICATION = "已召开专题会议，逐案复核化解，建立回访台账并落实包案责任。"


@dataclass
class Summary:
    loaded: bool
    events: int = 0
    proposed: int = 0
    confirmed: int = 0
    dismissed: int = 0
    rectified: int = 0
    on_ladder: dict[str, str] = field(default_factory=dict)  # unit name -> highest step


def _draw(rnd: random.Random, table: tuple[tuple[object, float], ...]) -> object:
    return rnd.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def _months(county_id: int, end: dt.datetime) -> list[Period]:
    """The complete local months of the county's history before `end`."""
    first = db.session.execute(select(func.min(Case.reported_at)).where(
        Case.county_id == county_id)).scalar_one()
    if first is None:
        return []
    month = first.astimezone(end.tzinfo).date().replace(day=1)
    month = next_month(month)  # the first whole month
    out = []
    while True:
        following = next_month(month)
        if local_midnight(following) > end:
            return out
        out.append(Period(month, following - dt.timedelta(days=1)))
        month = following


def _events(county_id: int, rnd: random.Random) -> int:
    late = exists().where(UrgentClock.case_id == Case.id, UrgentClock.late.is_(True))
    rows = db.session.execute(
        select(Case.id, late.label("late")).where(
            Case.county_id == county_id, Case.is_urgent.is_(True),
            Case.state.not_in(("draft", "rejected", "merged")))
        .order_by(Case.reported_at, Case.id)).all()
    for case_id, was_late in rows:
        record_from_case(SYSTEM, case_id, _draw(rnd, KINDS), _draw(rnd, SEVERITIES),
                         reported_late=bool(was_late))
    return len(rows)


def _decide(new_ids: list[int], at: dt.datetime, rnd: random.Random, summary: Summary) -> None:
    for sanction_id in new_ids:
        row = db.session.get(Sanction, sanction_id)
        if row is None or row.state != SanctionState.proposed:
            continue
        if rnd.random() > CONFIRM_SHARE:
            sanctions_store.dismiss(SYSTEM, row.id, row.version, DISMISSAL)
            summary.dismissed += 1
            continue
        confirmed = sanctions_store.confirm(SYSTEM, row.id, row.version)
        summary.confirmed += 1
        if confirmed.deadline is None or rnd.random() > RECTIFY_SHARE:
            continue  # a veto runs its term; the others let the deadline pass
        with frozen_at(at + (confirmed.deadline - at) * rnd.uniform(0.3, 0.9)):
            report = rectifications.submit(SYSTEM, confirmed.id, RECTIFICATION)
            rectifications.review(SYSTEM, report.id, report.version, accept=True)
        summary.rectified += 1


def load_demo_assessment(county_code: str, end: dt.datetime, seed: int) -> Summary:
    with acting_as(SYSTEM):
        county_id = db.session.execute(select(Unit.id).where(
            Unit.code == county_code)).scalar_one()
        if db.session.execute(select(exists().where(
                MajorEvent.county_id == county_id))).scalar():
            return Summary(loaded=False)
        rnd = random.Random(seed)
        summary = Summary(loaded=True, events=_events(county_id, rnd))
        for period in _months(county_id, end):
            following = period.last + dt.timedelta(days=1)
            at = local_midnight(following) + dt.timedelta(hours=4)
            with frozen_at(at):
                made = propose_all(county_id, period, at) + propose_next_steps(at)
                sanctions_store.expire_due(at)
                summary.proposed += len(made)
                _decide(made, at, rnd, summary)
        summary.on_ladder = on_ladder(county_id, end)
        return summary


def on_ladder(county_id: int, now: dt.datetime) -> dict[str, str]:
    """Units with a step in force or a disqualification running (a rectified yellow card
    still bars awards until its term ends), each with its highest step."""
    in_force = (Sanction.state == SanctionState.confirmed) | (
        (Sanction.state == SanctionState.rectified) & (Sanction.disqualified_until > now))
    rows = db.session.execute(select(Unit.name, Sanction.step).join(
        Unit, Unit.id == Sanction.unit_id).where(Sanction.county_id == county_id, in_force)
    ).all()
    out: dict[str, str] = {}
    for name, step in rows:
        if name not in out or step.rank > Step(out[name]).rank:
            out[name] = step.value
    return out
