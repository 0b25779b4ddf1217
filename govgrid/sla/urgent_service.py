"""Urgent reporting clocks: started with the case, moved with its occurrence time, met by
reports (sla/urgent.py has the rules; urgent_sweep.py alarms and marks 迟报).

Writes are conditional statements, never read-check-update: a report meets its clock with
`UPDATE … WHERE met_at IS NULL OR met_at > :at RETURNING` (the earliest report wins, so a
phone call entered afterwards can still show the clock met on time), and moving a clock's
times is `UPDATE … WHERE met_at IS NULL`. Every change is audited; `record_report` owns its
transaction, `start_clocks` and `reevaluate_clocks` run inside their caller's.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ..audit.recorder import record
from ..auth.permissions import Forbidden
from ..auth.principal import Principal, current_principal
from ..auth.roles import Role
from ..auth.scope import unscoped
from ..cases import queries
from ..cases.models import Case
from ..cases.workflow import Level
from ..errors import Unprocessable
from ..extensions import db
from ..geo.models import Unit
from ..timestamps import utcnow
from ..unit_of_work import committing
from .store import deadlines_for
from .urgent import TO_COUNTY, ClockKind, plan
from .urgent_labels import CLOCK_LABELS
from .urgent_models import Channel, UrgentClock, UrgentReport

# Case fields the clocks depend on: an edit of any of them re-evaluates the clocks.
CLOCK_FACTS = frozenset({"occurred_at", "severity", "is_urgent"})
# Who records reports: county staff and leaders for every clock (they report to the city,
# and take the townships' calls), township dispatchers for the clocks to the county.
COUNTY_REPORTERS = frozenset({Role.county_staff, Role.county_leader})
TOWNSHIP_REPORTERS = frozenset({Role.township_dispatcher})
# A client clock a little ahead of ours is not a report "in the future".
CLOCK_SKEW = dt.timedelta(minutes=1)


@dataclass
class UrgentReportInput:
    clock: ClockKind
    reported_to: str | None = None
    reported_at: dt.datetime | None = None
    content: str = ""
    channel: Channel = Channel.phone


def _clocks_of(case_id: uuid.UUID) -> dict[ClockKind, UrgentClock]:
    # Unscoped: the caller holds the case already (it reported or edits it); its clocks
    # belong to it whoever asks.
    rows = db.session.execute(
        select(UrgentClock).where(UrgentClock.case_id == case_id)
        .execution_options(populate_existing=True, **unscoped())
    ).scalars()
    return {clock.kind: clock for clock in rows}


def _sync(case: Case, existing: dict[ClockKind, UrgentClock]) -> list[ClockKind]:
    """Make the case's clocks those the rules give it now; returns the kinds created."""
    limits = deadlines_for(case.county_id).policy.urgent
    now = utcnow()
    wanted = {p.kind: p for p in plan(case.is_urgent, case.severity, case.category.code,
                                      case.occurred_at, case.reported_at or now, limits)}
    created: list[ClockKind] = []
    for kind, clock in existing.items():
        if kind not in wanted and clock.met_at is None:
            db.session.delete(clock)  # no longer owed (graver/lighter now); a met one stays
    for kind, times in wanted.items():
        values = {"started_at": times.started_at, "alarm_at": times.alarm_at,
                  "due_at": times.due_at}
        if kind in existing:
            # Only a clock not yet met moves: a met one is history the assessment counts.
            db.session.execute(
                update(UrgentClock)
                .where(UrgentClock.id == existing[kind].id, UrgentClock.met_at.is_(None))
                .values(**values, late=times.due_at < now)
                .execution_options(synchronize_session=False, **unscoped()))
            continue
        inserted = db.session.execute(
            pg_insert(UrgentClock).values(county_id=case.county_id, case_id=case.id,
                                          kind=kind, late=False, **values)
            .on_conflict_do_nothing(constraint="uq_urgent_clocks_case_kind")
            .returning(UrgentClock.id)
        ).scalar_one_or_none()
        if inserted is not None:
            created.append(kind)
    if wanted or existing:
        record("sla.urgent_clocks", object_type="cases", object_id=case.id,
               county_id=case.county_id,
               summary={"clocks": {k.value: {"started_at": p.started_at, "due_at": p.due_at}
                                   for k, p in wanted.items()}})
    return created


def start_clocks(case: Case) -> None:
    """The clocks of a case reported now, in the reporting transaction. Urgent cases are held
    by the county from the start (cases/reporting.py), so for them the platform report is
    itself the report to the county: it is recorded and meets (or misses) the county or
    general clock at the moment the case was reported."""
    created = _sync(case, {})  # a case reported just now has no clocks yet: no query
    if case.owner_level is not Level.county or case.reported_at is None:
        return
    principal = current_principal()
    for kind in created:
        if kind in TO_COUNTY:
            _add_report(case, UrgentReport(
                county_id=case.county_id, case_id=case.id, clock=kind,
                reported_by=case.reporter_id, reported_by_unit_id=principal.unit_id,
                reported_to=county_centre(case.county_id), reported_at=case.reported_at,
                content="", channel=Channel.platform))


def reevaluate_clocks(case_id: uuid.UUID) -> None:
    """After an edit of the occurrence time (or severity, urgency): unmet clocks move with
    it, clocks newly owed start, unmet ones no longer owed go. In the editing transaction."""
    case = db.session.execute(
        select(Case).where(Case.id == case_id)
        .execution_options(populate_existing=True, **unscoped())
    ).scalar_one()
    _sync(case, _clocks_of(case.id))


def county_centre(county_id: int) -> str:
    """The county centre's name as reports address it (data, so always in Chinese)."""
    name = db.session.execute(select(Unit.name).where(Unit.id == county_id)
                              .execution_options(**unscoped())).scalar_one()
    return f"{name}综治中心"


def may_report(principal: Principal, kind: ClockKind) -> bool:
    if principal.is_system or principal.role in COUNTY_REPORTERS:
        return True
    return principal.role in TOWNSHIP_REPORTERS and kind in TO_COUNTY


def _meet(clock_id: int, at: dt.datetime) -> bool:
    """The clock is met at `at` unless an earlier report met it already; `late` then says
    whether `at` was after due. True if this report is now the one that counts."""
    won = db.session.execute(
        update(UrgentClock)
        .where(UrgentClock.id == clock_id,
               or_(UrgentClock.met_at.is_(None), UrgentClock.met_at > at))
        .values(met_at=at, late=UrgentClock.due_at < at)
        .returning(UrgentClock.id)
        .execution_options(synchronize_session=False, **unscoped())
    ).scalar_one_or_none()
    return won is not None


def _add_report(case: Case, report: UrgentReport) -> bool:
    db.session.add(report)
    db.session.flush()  # its id, for the audit entry
    clock_id = db.session.execute(
        select(UrgentClock.id).where(UrgentClock.case_id == case.id,
                                     UrgentClock.kind == report.clock)
        .execution_options(**unscoped())
    ).scalar_one()
    counts = _meet(clock_id, report.reported_at)
    record("sla.urgent_report", object_type="urgent_reports", object_id=report.id,
           county_id=case.county_id,
           summary={"case_id": str(case.id), "clock": report.clock.value,
                    "reported_at": report.reported_at, "reported_to": report.reported_to,
                    "channel": report.channel.value, "meets_clock": counts})
    return counts


def record_report(principal: Principal, case_id: uuid.UUID,
                  data: UrgentReportInput) -> tuple[UrgentReport, UrgentClock]:
    """A report made (now or earlier) for one clock of an urgent case; returns it and the
    clock as it is afterwards. 404 out of jurisdiction, 403 for those who do not report,
    422 for a clock the case does not have or an impossible time."""
    case = queries.get_case(case_id)
    if not may_report(principal, data.clock):
        raise Forbidden(_l("Only county staff report to the level above the county.")
                        if data.clock is ClockKind.upper else
                        _l("Only county staff and township dispatchers record urgent "
                           "reports."))
    clock = _clocks_of(case.id).get(data.clock)
    if clock is None:
        raise Unprocessable(_l("This case has no reporting clock of this kind (%(clock)s).",
                               clock=CLOCK_LABELS[data.clock]), field="clock")
    now = utcnow()
    at = data.reported_at or now
    if at > now + CLOCK_SKEW:
        raise Unprocessable(_l("The time of the report cannot be in the future."),
                            field="reported_at")
    at = min(at, now)
    if at < clock.started_at:
        raise Unprocessable(_l("The report cannot have been made before the incident "
                               "occurred."), field="reported_at")
    reported_to = (data.reported_to or "").strip()
    if not reported_to:
        if data.clock is ClockKind.upper:
            raise Unprocessable(_l("Say whom the report went to, e.g. 通辽市委政法委."),
                                field="reported_to")
        reported_to = county_centre(case.county_id)
    report = UrgentReport(
        county_id=case.county_id, case_id=case.id, clock=data.clock,
        reported_by=principal.user_id, reported_by_unit_id=principal.unit_id,
        reported_to=reported_to, reported_at=at, content=data.content.strip(),
        channel=data.channel)
    with committing():
        _add_report(case, report)
    return report, _clocks_of(case.id)[data.clock]
