"""Reading urgent clocks: one case's clocks and reports, the open clocks of a jurisdiction,
and what the board and the case page's panel show. Jurisdiction is the scoping hook's (the
clocks and reports are read with their case); statuses are reckoned at utcnow()."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from ..auth.models import User
from ..auth.principal import Principal, current_principal
from ..auth.scope import unscoped
from ..cases import queries
from ..cases.models import Case
from ..cases.workflow import CaseState
from ..extensions import db
from ..geo.models import Unit
from ..timestamps import local, utcnow
from .urgent import ClockKind, ClockStatus, seconds_left, status_at
from .urgent_labels import CHANNEL_LABELS, CLOCK_LABELS, STATUS_LABELS
from .urgent_models import Channel, UrgentClock, UrgentReport
from .urgent_service import may_report

# A rejected report or a duplicate merged into another case owes nothing more: its clocks
# leave the board and the sweep (the surviving case keeps its own).
DORMANT_STATES = (CaseState.rejected, CaseState.merged)


def shown(moment: dt.datetime | None, pattern: str = "%m-%d %H:%M") -> str:
    """A moment as the county reads it (Asia/Shanghai)."""
    moment = local(moment)
    return moment.strftime(pattern) if moment else ""


@dataclass(frozen=True)
class ClockView:
    id: int
    kind: ClockKind
    kind_label: str
    started_at: dt.datetime
    alarm_at: dt.datetime
    due_at: dt.datetime
    met_at: dt.datetime | None
    late: bool
    status: ClockStatus
    status_label: str
    seconds_left: int

    @property
    def counting(self) -> bool:
        """Still waiting for its report: the page counts it down (or up, once late)."""
        return self.met_at is None

    @property
    def time_text(self) -> str:
        """H:MM:SS left (or past due), as the countdown shows it before its script runs."""
        hours, rest = divmod(abs(self.seconds_left), 3600)
        return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"

    @property
    def due_local(self) -> str:
        return shown(self.due_at)

    @property
    def met_local(self) -> str:
        return shown(self.met_at)


def clock_view(clock: UrgentClock, now: dt.datetime) -> ClockView:
    status = status_at(now, clock.alarm_at, clock.due_at, clock.met_at)
    return ClockView(clock.id, clock.kind, str(CLOCK_LABELS[clock.kind]), clock.started_at,
                     clock.alarm_at, clock.due_at, clock.met_at, clock.late, status,
                     str(STATUS_LABELS[status]), seconds_left(now, clock.due_at))


@dataclass(frozen=True)
class ReportView:
    id: int
    clock: ClockKind
    clock_label: str
    reported_by: int | None
    reported_by_name: str | None
    reported_by_unit_id: int | None
    reported_by_unit: str | None
    reported_to: str
    reported_at: dt.datetime
    content: str
    channel: Channel
    channel_label: str
    created_at: dt.datetime

    @property
    def reported_local(self) -> str:
        return shown(self.reported_at)


def _reports(case_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[ReportView]]:
    if not case_ids:
        return {}
    # Unscoped: `case_ids` come from scoped reads, and who made a report (a county person,
    # read by a township) is part of the report, as a mediator's name is of an agreement.
    rows = db.session.execute(
        select(UrgentReport, User.display_name, Unit.name)
        .outerjoin(User, User.id == UrgentReport.reported_by)
        .outerjoin(Unit, Unit.id == UrgentReport.reported_by_unit_id)
        .where(UrgentReport.case_id.in_(case_ids))
        .order_by(UrgentReport.reported_at, UrgentReport.id)
        .execution_options(**unscoped())
    ).all()
    found: dict[uuid.UUID, list[ReportView]] = {case_id: [] for case_id in case_ids}
    for report, user_name, unit_name in rows:
        found[report.case_id].append(ReportView(
            report.id, report.clock, str(CLOCK_LABELS[report.clock]), report.reported_by,
            user_name, report.reported_by_unit_id, unit_name, report.reported_to,
            report.reported_at, report.content, report.channel,
            str(CHANNEL_LABELS[report.channel]), report.created_at))
    return found


def case_clocks(case_id: uuid.UUID) -> dict[str, Any]:
    """A case's clocks (with their status now) and reports; 404 if the case is not read."""
    case = queries.get_case(case_id)
    now = utcnow()
    clocks = db.session.execute(
        select(UrgentClock).where(UrgentClock.case_id == case.id).order_by(UrgentClock.due_at)
    ).scalars()
    return {"case_id": case.id, "now": now, "clocks": [clock_view(c, now) for c in clocks],
            "reports": _reports([case.id])[case.id]}


@dataclass
class ClockRow:
    """A clock with what a list of them shows of its case."""

    clock: ClockView
    case_id: uuid.UUID
    case_title: str
    case_state: CaseState
    severity: str
    place: str

    def __getattr__(self, name: str) -> Any:  # the API schema reads the clock's fields too
        if name.startswith("_") or name == "clock":  # never recurse (copies, pickling)
            raise AttributeError(name)
        return getattr(self.clock, name)


def _with_case() -> Select[Any]:
    township, village = aliased(Unit), aliased(Unit)
    return (select(UrgentClock, Case.title, Case.state, Case.severity, Case.address,
                   township.name, village.name)
            .join(Case, Case.id == UrgentClock.case_id)
            .outerjoin(township, township.id == Case.township_id)
            .outerjoin(village, village.id == Case.village_id))


def _place(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def clock_rows(query: Select[Any], now: dt.datetime) -> list[ClockRow]:
    return [ClockRow(clock_view(clock, now), clock.case_id, title, state, severity.value,
                     _place(township, village, address))
            for clock, title, state, severity, address, township, village
            in db.session.execute(query).all()]


def list_clocks(open_only: bool, page: int, page_size: int) -> tuple[list[ClockRow], int]:
    """Open clocks (no report yet, late ones included: they still owe it), most pressing
    first; or every clock, newest first."""
    query = _with_case()
    if open_only:
        query = query.where(UrgentClock.met_at.is_(None), Case.state.not_in(DORMANT_STATES))
        query = query.order_by(UrgentClock.due_at, UrgentClock.id)
    else:
        query = query.order_by(UrgentClock.due_at.desc(), UrgentClock.id.desc())
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = clock_rows(query.limit(page_size).offset((page - 1) * page_size), utcnow())
    return rows, total


# --- the board and the case page's panel -----------------------------------------------------

@dataclass
class Panel:
    """What templates/sla/_urgent_clocks.html shows for one case."""

    case_id: uuid.UUID
    case_title: str = ""
    place: str = ""
    clocks: list[ClockView] = field(default_factory=list)
    reports: list[ReportView] = field(default_factory=list)
    reportable: list[ClockView] = field(default_factory=list)  # clocks the reader may report
    show_case: bool = False  # the board names the case; the case page need not
    now: dt.datetime = field(default_factory=utcnow)

    @property
    def now_input(self) -> str:
        """Now, for a datetime-local input (the county's wall clock)."""
        return shown(self.now, "%Y-%m-%dT%H:%M")

    @property
    def started_input(self) -> str:
        return shown(min(c.started_at for c in self.clocks), "%Y-%m-%dT%H:%M")

    @property
    def channel_choices(self) -> list[tuple[str, str]]:
        # Platform reports are recorded by the platform itself, never typed in.
        return [(c.value, str(CHANNEL_LABELS[c])) for c in Channel if c is not Channel.platform]

    @property
    def next_due(self) -> dt.datetime:
        waiting = [c.due_at for c in self.clocks if c.counting]
        return min(waiting or [c.due_at for c in self.clocks])


def _panels(rows: Iterable[ClockRow], principal: Principal, show_case: bool,
            now: dt.datetime) -> list[Panel]:
    panels: dict[uuid.UUID, Panel] = {}
    for row in rows:
        panel = panels.setdefault(row.case_id, Panel(row.case_id, row.case_title, row.place,
                                                     show_case=show_case, now=now))
        panel.clocks.append(row.clock)
        if may_report(principal, row.clock.kind):
            panel.reportable.append(row.clock)
    reports = _reports(list(panels))
    for case_id, panel in panels.items():
        panel.reports = reports[case_id]
    return sorted(panels.values(), key=lambda p: p.next_due)


def board(principal: Principal) -> list[Panel]:
    """Urgent cases in the reader's jurisdiction still owing a report, most pressing first,
    each with all its clocks and reports."""
    owing = (select(UrgentClock.case_id).where(UrgentClock.met_at.is_(None))
             .scalar_subquery())
    query = (_with_case().where(UrgentClock.case_id.in_(owing),
                                Case.state.not_in(DORMANT_STATES))
             .order_by(UrgentClock.due_at, UrgentClock.id))
    now = utcnow()
    return _panels(clock_rows(query, now), principal, show_case=True, now=now)


def urgent_panel(case_id: uuid.UUID, principal: Principal | None = None) -> Panel:
    """For the case page (`{% with panel = urgent_panel(case.id) %}{% include
    "sla/_urgent_clocks.html" %}{% endwith %}`): the case's clocks and reports; no clocks
    for an ordinary case, and the partial then shows nothing. 404 if the case is not read."""
    principal = principal or current_principal()
    case = queries.get_case(case_id)
    query = _with_case().where(UrgentClock.case_id == case.id).order_by(UrgentClock.due_at)
    now = utcnow()
    panels = _panels(clock_rows(query, now), principal, show_case=False, now=now)
    return panels[0] if panels else Panel(case.id, case.title)
