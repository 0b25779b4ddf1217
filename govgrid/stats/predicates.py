"""Each count as a SQL condition on cases (or on follow-up visits): the one definition shared
by the aggregates (stats.counts) and by the case list's `metric` filter, so the list behind a
number always holds the cases the number counted.

Cohort counts are about the cases reported in a period; the period is applied by the caller
(the aggregate's FILTER, or the list's reported_from/reported_to), never here.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_, exists, or_, select

from ..cases.deadlines import CLOCKED_STATES
from ..cases.models import Case, CaseEvent
from ..cases.workflow import CaseState, Level, Outcome
from .indicators import SNAPSHOT_COUNTS, VISIT_COUNTS, Count

# Finished: the handling is over, whatever the outcome (办结).
FINISHED_STATES = (CaseState.resolved, CaseState.closed, CaseState.archived)
# Resolved (化解): finished with the parties agreeing, or the request withdrawn. Terminated
# mediation (routes explained) is finished but not resolved; partial stays open.
AGREED_OUTCOMES = (Outcome.written_agreement, Outcome.oral_agreement, Outcome.withdrawn)
# Never accepted: still waiting, refused, or merged into another case.
NOT_ACCEPTED_STATES = (CaseState.draft, CaseState.reported, CaseState.rejected,
                       CaseState.merged)
# Under the handling clock (acceptance or mediation), as opposed to the follow-up clock.
HANDLING_STATES = (CaseState.reported, CaseState.accepted, CaseState.mediating)
URGENT_OPEN_STATES = (CaseState.reported, CaseState.accepted, CaseState.mediating,
                      CaseState.suspended, CaseState.referred)

FOLLOW_UP = "follow_up"
# Visits are read from the table, not the mapped class: every statement here reaches them
# through a scoped Case (a join or a correlated EXISTS), so the timeline's own jurisdiction
# rule — a per-row check against cases — would only repeat that check for every visit.
EVENTS = CaseEvent.__table__


def case_predicates(now: dt.datetime) -> dict[Count, ColumnElement[bool]]:
    """Every case count's condition, without the period. `now` is utcnow() (never SQL
    now(): tests and the deadline code share one clock)."""
    finished = Case.state.in_(FINISHED_STATES)
    resolved = and_(finished, Case.outcome.in_(AGREED_OUTCOMES))
    open_overdue = and_(Case.state.in_(HANDLING_STATES), Case.due_at <= now)
    return {
        Count.reported: Case.state != CaseState.draft,
        Count.accepted: Case.state.not_in(NOT_ACCEPTED_STATES),
        Count.resolved: resolved,
        Count.finished: finished,
        # Resolved before revision 0008 or closed as a referral: unknown, left out of both.
        Count.finished_known: or_(and_(finished, Case.resolved_late.is_not(None)),
                                  open_overdue),
        Count.finished_on_time: and_(finished, Case.resolved_late.is_(False)),
        Count.open_overdue: open_overdue,
        # The holder at resolution: owner_level does not change once a case is resolved.
        Count.resolved_village: and_(resolved, Case.owner_level == Level.village),
        Count.resolved_township: and_(resolved, Case.owner_level == Level.township),
        Count.resolved_in_township: and_(resolved, Case.owner_level != Level.county),
        Count.resolved_county: and_(resolved, Case.owner_level == Level.county),
        Count.ever_resolved: or_(finished, Case.rebound_count > 0),
        Count.rebounded: Case.rebound_count > 0,
        Count.overdue_now: and_(Case.state.in_(CLOCKED_STATES), Case.due_at <= now),
        Count.urgent_open: and_(Case.is_urgent.is_(True), Case.state.in_(URGENT_OPEN_STATES)),
    }


def visit_predicates() -> dict[Count, ColumnElement[bool]]:
    """Follow-up visits (timeline rows of action follow_up) that count, without the period."""
    answer = EVENTS.c.payload["satisfied"].astext
    return {
        Count.followed_up: answer.in_(("true", "false")),
        Count.satisfied: answer == "true",
    }


def in_period(column: ColumnElement[dt.datetime], start: dt.datetime,
              end: dt.datetime) -> ColumnElement[bool]:
    return and_(column >= start, column < end)


def case_filter(count: Count, now: dt.datetime, visits_from: dt.datetime | None = None,
                visits_to: dt.datetime | None = None) -> ColumnElement[bool]:
    """The case list's condition for a count: the cases behind the number. Visit counts
    become "cases with such a visit in the window" (a case visited twice counts twice in
    the rate but is listed once)."""
    if count in VISIT_COUNTS:
        condition = and_(EVENTS.c.case_id == Case.id, EVENTS.c.action == FOLLOW_UP,
                         visit_predicates()[count])
        if visits_from is not None:
            condition = and_(condition, EVENTS.c.at >= visits_from)
        if visits_to is not None:
            condition = and_(condition, EVENTS.c.at < visits_to)
        return exists(select(EVENTS.c.id).where(condition))
    return case_predicates(now)[count]


def is_cohort(count: Count) -> bool:
    """Whether the count is about the cases reported in the period."""
    return count not in SNAPSHOT_COUNTS and count not in VISIT_COUNTS

