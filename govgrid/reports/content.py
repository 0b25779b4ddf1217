"""Everything a monthly report says, gathered once from the database as plain values: the
HTML (render.py) and the xlsx appendix (xlsx.py) are both drawn from one `ReportContent`, so
the page and its appendix never disagree.

Runs inside the report job, as the platform: every query is bounded by the report's unit
(its ltree path). Indicators come from the statistics' own counts and definitions
(stats.counts, stats.indicators; docs/INDICATORS.md), each figure with the case-list filter
behind it; hot spots from the county's hot-spot run of the month (analysis).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ..analysis.models import AnalysisRun
from ..analysis.risk import from_data, to_data
from ..cases.models import Category
from ..extensions import db
from ..geo.models import Unit
from ..stats import labels as stat_labels
from ..stats.counts import all_counts, by_top_category
from ..stats.indicators import INDICATORS, SNAPSHOT_COUNTS, Count, figures
from ..stats.period import Period, local_today, previous_month
from ..stats.places import Place
from ..stats.service import list_filter
from . import caselists, hotspots
from .compare import Change, change
from .months import comparison_period, month_period, same_month_last_year

TOP_CATEGORIES = 10


@dataclass(frozen=True)
class Figure:
    value: float | None
    numerator: int
    denominator: int | None
    numerator_filter: dict[str, str] | None = None
    denominator_filter: dict[str, str] | None = None


@dataclass(frozen=True)
class IndicatorRow:
    key: str
    label: str
    kind: str  # rate or count
    higher_is_better: bool
    snapshot: bool  # about now: no past month to compare with
    numerator_text: str
    denominator_text: str | None
    this: Figure
    last: Figure | None
    last_year: Figure | None
    vs_last: Change
    vs_last_year: Change


@dataclass(frozen=True)
class CategoryRow:
    code: str
    name: str
    reported: int
    reported_last: int
    change: Change
    resolution_rate: float | None
    reported_filter: dict[str, str]


@dataclass
class ReportContent:
    unit: Place
    county_name: str
    month: dt.date
    period: Period
    last_period: Period | None
    last_year_period: Period | None
    as_of: dt.datetime
    run: dict[str, Any]
    indicators: list[IndicatorRow]
    categories: list[CategoryRow]
    hot: hotspots.HotSpots
    overdue: caselists.CaseList
    rebounds: caselists.CaseList
    urgent: caselists.CaseList
    weights: dict[str, float] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)


def place_of(unit: Unit) -> Place:
    parent = db.session.get(Unit, unit.parent_id) if unit.parent_id else None
    return Place(id=unit.id, code=unit.code, name=unit.name, level=unit.level.value,
                 path=unit.path, households=unit.households,
                 parent_code=parent.code if parent else None)


def gather(unit_id: int, month: dt.date, run: AnalysisRun, now: dt.datetime) -> ReportContent:
    unit = db.session.get(Unit, unit_id)
    assert unit is not None
    place = place_of(unit)
    county = db.session.get(Unit, unit.county_id)
    period = month_period(month, local_today(now))
    last = comparison_period(previous_month(month))
    last_year = comparison_period(same_month_last_year(month))
    config = to_data(from_data(run.settings or {}))
    return ReportContent(
        unit=place, county_name=county.name if county else "", month=month, period=period,
        last_period=last, last_year_period=last_year, as_of=now,
        run={"id": run.id, "month": run.month, "finished_at": run.finished_at,
             "window_months": run.window_months},
        indicators=indicator_rows(place, period, last, last_year, now),
        categories=category_rows(place, period, last, now),
        hot=hotspots.gather(run, place),
        overdue=caselists.overdue(place, now, period),
        rebounds=caselists.rebounds(place, period),
        urgent=caselists.urgent(place, period),
        weights=config["weights"], thresholds=config["thresholds"])


def _figures(place: Place, period: Period | None, now: dt.datetime,
             snapshot: bool) -> dict[str, Figure] | None:
    if period is None:
        return None
    counts = all_counts(place.path, period, now, snapshot=snapshot)[None]
    out = {"reported": Figure(float(counts[Count.reported]), counts[Count.reported], None,
                              list_filter(Count.reported, place, period))}
    for f in figures(counts):
        ind = f.indicator
        out[ind.key] = Figure(
            f.value, f.numerator, f.denominator, list_filter(ind.numerator, place, period),
            list_filter(ind.denominator, place, period) if ind.denominator else None)
    return out


def indicator_rows(place: Place, period: Period, last: Period | None,
                   last_year: Period | None, now: dt.datetime) -> list[IndicatorRow]:
    """Cases reported, then every indicator of docs/INDICATORS.md: this month, the month
    before and the same month a year before (snapshot counts: now only)."""
    this = _figures(place, period, now, snapshot=True)
    before = _figures(place, last, now, snapshot=False)
    year = _figures(place, last_year, now, snapshot=False)
    assert this is not None
    rows = [_row("reported", _("Cases reported"), "count", True, False,
                 _("Cases reported in the month (drafts are never counted)"), None,
                 this, before, year)]
    for ind in INDICATORS:
        snapshot = ind.numerator in SNAPSHOT_COUNTS
        rows.append(_row(ind.key, str(stat_labels.name(ind.key)), ind.kind.value,
                         ind.higher_is_better, snapshot,
                         str(stat_labels.numerator_text(ind.key)),
                         str(stat_labels.denominator_text(ind.key))
                         if ind.denominator else None, this, before, year))
    return rows


def _row(key: str, label: str, kind: str, higher: bool, snapshot: bool, num_text: str,
         den_text: str | None, this: dict[str, Figure], before: dict[str, Figure] | None,
         year: dict[str, Figure] | None) -> IndicatorRow:
    last = None if snapshot or before is None else before[key]
    last_y = None if snapshot or year is None else year[key]
    # More cases reported is neither good nor bad: shown as a change, judged by no one.
    judge = higher if key != "reported" else True
    return IndicatorRow(
        key=key, label=label, kind=kind, higher_is_better=higher, snapshot=snapshot,
        numerator_text=num_text, denominator_text=den_text, this=this[key], last=last,
        last_year=last_y,
        vs_last=change(this[key].value, last.value if last else None, kind, judge),
        vs_last_year=change(this[key].value, last_y.value if last_y else None, kind, judge))


def category_rows(place: Place, period: Period, last: Period | None,
                  now: dt.datetime) -> list[CategoryRow]:
    """Top-level categories by cases reported this month, with last month's number."""
    group = by_top_category()
    this = all_counts(place.path, period, now, group=group, snapshot=False)
    before = all_counts(place.path, last, now, group=group, snapshot=False) if last else {}
    codes = [c for c, counts in this.items() if c is not None and counts.get(Count.reported)]
    names = dict(db.session.execute(select(Category.code, Category.name).where(
        Category.code.in_(codes))).all()) if codes else {}
    rows = []
    for code in codes:
        counts = this[code]
        reported = counts[Count.reported]
        previous = (before.get(code) or {}).get(Count.reported, 0)
        accepted, resolved = counts[Count.accepted], counts[Count.resolved]
        rows.append(CategoryRow(
            code=code, name=names.get(code, code), reported=reported, reported_last=previous,
            change=change(float(reported), float(previous), "count", True),
            resolution_rate=resolved / accepted if accepted else None,
            reported_filter={**list_filter(Count.reported, place, period), "category": code}))
    rows.sort(key=lambda r: (-r.reported, r.code))
    return rows[:TOP_CATEGORIES]
