"""What the assessment reads about each township for a period (DESIGN §6), gathered from
the database into the pure `triggers.UnitFacts`: the indicators computed by the statistics'
own counts (stats.counts, the same definitions the dashboard shows), the register's major
events up to the period's end, and the period's late or concealed urgent reports (a missed
reporting clock, or an event recorded as reported late or concealed).

Run by the assessment job as the platform (unscoped: the county's rules cover every
township); results are read back through the jurisdiction rules.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from ..cases.models import Case
from ..extensions import db
from ..geo.models import Unit, UnitLevel
from ..sla.urgent_models import UrgentClock
from ..stats.counts import all_counts, by_column
from ..stats.indicators import Count, figures
from ..stats.period import Period as StatsPeriod
from ..stats.period import local_midnight
from ..timestamps import DISPLAY_TZ
from .models import MajorEvent
from .scheme import Scheme
from .scoring import Event, IndicatorValue, Lapse, Period, ReportLapse, score
from .triggers import UnitFacts


def township_of(path: str) -> str | None:
    """The township code in a unit or cell path (county.township.village…)."""
    return code_at(path, TOWNSHIP_DEPTH)


TOWNSHIP_DEPTH, VILLAGE_DEPTH = 1, 2  # where a level's code sits in a path


def code_at(path: str, depth: int) -> str | None:
    """The code of the unit `depth` levels below the county in a path, if the path reaches
    that far (an event of a township has no village)."""
    labels = path.split(".")
    return labels[depth] if len(labels) > depth else None


def townships(county_id: int) -> list[Unit]:
    return list(db.session.execute(select(Unit).where(
        Unit.county_id == county_id, Unit.level == UnitLevel.township)
        .order_by(Unit.code)).scalars())


def indicator_values(parent: Unit, period: StatsPeriod, now: dt.datetime,
                     column: Any = Case.township_id) -> dict[int, dict[str, IndicatorValue]]:
    """Every child unit's indicators for the period (townships of a county by default; a
    township's villages with `Case.village_id`): one statement (plus one for visits)."""
    grouped = all_counts(parent.path, period, now, group=by_column(column))
    return {unit_id: _values(counts) for unit_id, counts in grouped.items()
            if unit_id is not None}


def _values(counts: Any) -> dict[str, IndicatorValue]:
    return {f.indicator.key: IndicatorValue.of(f) for f in figures(counts)}


def no_values() -> dict[str, IndicatorValue]:
    return _values({c: 0 for c in Count})


def _local_day(moment: dt.datetime) -> dt.date:
    if moment.tzinfo is None:  # stored as local wall-clock time
        return moment.date()
    return moment.astimezone(DISPLAY_TZ).date()


def events_by_township(county_id: int, until: dt.date, depth: int = TOWNSHIP_DEPTH
                       ) -> dict[str, list[MajorEvent]]:
    """The register's events up to a day, by the code of their township (or of their
    village with `depth=VILLAGE_DEPTH`)."""
    rows = db.session.execute(select(MajorEvent).where(
        MajorEvent.county_id == county_id).order_by(MajorEvent.occurred_at, MajorEvent.id)
    ).scalars()
    out: dict[str, list[MajorEvent]] = defaultdict(list)
    for row in rows:
        code = code_at(row.path, depth)
        if code is not None and _local_day(row.occurred_at) <= until:
            out[code].append(row)
    return out


def late_clocks_by_township(county_id: int, period: StatsPeriod,
                            column: Any = Case.township_id) -> dict[int, list[str]]:
    """Cases whose urgent reporting clock fell due in the period and was missed, by the id
    of their township (or of the unit in `column`)."""
    start, end = local_midnight(period.first), local_midnight(period.last) + dt.timedelta(1)
    rows = db.session.execute(
        select(column, UrgentClock.case_id).join(Case, Case.id == UrgentClock.case_id)
        .where(UrgentClock.county_id == county_id, UrgentClock.late.is_(True),
               UrgentClock.due_at >= start, UrgentClock.due_at < end)
        .order_by(UrgentClock.due_at)).all()
    out: dict[int, list[str]] = defaultdict(list)
    for township_id, case_id in rows:
        if township_id is not None and str(case_id) not in out[township_id]:
            out[township_id].append(str(case_id))
    return out


def _lapses(events: list[MajorEvent], late_cases: list[str], period: StatsPeriod
            ) -> tuple[ReportLapse, ...]:
    lapses = [ReportLapse(case_id, Lapse.late) for case_id in late_cases]  # type: ignore[arg-type]
    for event in events:
        if period.first <= _local_day(event.occurred_at) <= period.last:
            if event.concealed:
                lapses.append(ReportLapse(event.id, Lapse.concealed))
            elif event.reported_late:
                lapses.append(ReportLapse(event.id, Lapse.late))
    return tuple(lapses)


def _event(row: MajorEvent) -> Event:
    return Event(row.id, row.kind, row.severity, _local_day(row.occurred_at),
                 str(row.case_id) if row.case_id else None)  # type: ignore[arg-type]


def county_facts(county: Unit, period: StatsPeriod, scheme: Scheme, now: dt.datetime
                 ) -> list[UnitFacts]:
    """The facts of every township of the county for the period, with the previous period's
    values and result (for 'no improvement' and 'failed twice running')."""
    return unit_facts(county, townships(county.id), period, scheme, now)


def unit_facts(parent: Unit, units: list[Unit], period: StatsPeriod, scheme: Scheme,
               now: dt.datetime) -> list[UnitFacts]:
    """The facts of the given children of `parent` (the townships of a county, or the
    villages of a township), grouped by the column of `cases` naming that level."""
    column, depth = ((Case.township_id, TOWNSHIP_DEPTH) if parent.level == UnitLevel.county
                     else (Case.village_id, VILLAGE_DEPTH))
    previous = period.previous()
    values = indicator_values(parent, period, now, column)
    before = indicator_values(parent, previous, now, column)
    events = events_by_township(parent.county_id, period.last, depth)
    late = late_clocks_by_township(parent.county_id, period, column)
    late_before = late_clocks_by_township(parent.county_id, previous, column)
    out = []
    for township in units:
        own_events = events.get(township.code, [])
        earlier = [e for e in own_events if _local_day(e.occurred_at) <= previous.last]
        previous_card = score(
            before.get(township.id, no_values()), [_event(e) for e in earlier],
            _lapses(earlier, late_before.get(township.id, []), previous), scheme,
            period=Period(previous.first, previous.last))
        out.append(UnitFacts(
            unit_id=township.code, period=Period(period.first, period.last),
            values=values.get(township.id, no_values()),
            events=tuple(_event(e) for e in own_events),
            lapses=_lapses(own_events, late.get(township.id, []), period),
            previous_values=before.get(township.id, no_values()),
            previous_passed=(previous_card.passed,)))
    return out
