"""The dashboard's numbers for a place and a period, ready to serialise: indicators with
their numerators, denominators and the case-list filters behind each; the ranking of the
places one level down; the monthly trend; the categories. Read-only (no transaction to own);
answers are cached briefly (stats.cache) per jurisdiction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import get_locale
from sqlalchemy import select

from ..auth.principal import current_principal
from ..cases.models import Category
from ..extensions import db
from ..geo.services import BBox
from ..timestamps import utcnow
from . import cache, choropleth, labels
from .counts import all_counts, by_column, by_local_month, by_top_category
from .indicators import BY_KEY, SNAPSHOT_COUNTS, VISIT_COUNTS, Count, Figure, figures
from .period import Period, next_month
from .places import CHILD_COLUMN, Place, children, find_place


def indicators(code: str | None, period: Period) -> dict[str, Any]:
    """Every indicator of one place for the period."""
    return _cached("indicators", code, period, _indicators)


def ranking(code: str | None, period: Period) -> dict[str, Any]:
    """The places one level down, each with every indicator, best 化解率 first."""
    return _cached("ranking", code, period, _ranking)


def trend(code: str | None, period: Period) -> dict[str, Any]:
    """Month by month: the period's months, each with the indicators of the cases reported
    (and the visits made) in that month. Snapshot counts have no past: left out."""
    return _cached("trend", code, period, _trend)


def categories(code: str | None, period: Period) -> dict[str, Any]:
    """Top-level categories: cases reported, resolved and the 化解率, most reported first."""
    return _cached("categories", code, period, _categories)


# ---- computing -------------------------------------------------------------------------

def grid_cells(code: str | None, period: Period, tolerance: float,
               bbox: BBox | None) -> dict[str, Any]:
    """The grid-cell choropleth under a place (GeoJSON built in PostgreSQL)."""
    return _cached("grid-cells", code, period,
                   lambda place, period, now: choropleth.grid_cells(place, period, now,
                                                                    tolerance, bbox),
                   tolerance=tolerance, bbox=repr(bbox))


def _cached(kind: str, code: str | None, period: Period, compute: Any,
            **question: Any) -> dict[str, Any]:
    principal = current_principal()
    place = find_place(code, principal)  # never cached: the 404 must stay a 404
    key = {"kind": kind, "place": place.code, "first": period.first.isoformat(),
           "last": period.last.isoformat(), "locale": str(get_locale()), **question}
    return cache.remember(principal, key, lambda: compute(place, period, utcnow()))


def _header(place: Place, period: Period, now: dt.datetime) -> dict[str, Any]:
    return {"place": place.as_dict(), "first": period.first.isoformat(),
            "last": period.last.isoformat(), "as_of": now.isoformat()}


def _indicators(place: Place, period: Period, now: dt.datetime) -> dict[str, Any]:
    counts = all_counts(place.path, period, now)[None]
    return {**_header(place, period, now),
            "indicators": [_figure(f, place, period) for f in figures(counts)],
            "counts": {c.value: n for c, n in counts.items()}}


def _ranking(place: Place, period: Period, now: dt.datetime) -> dict[str, Any]:
    rows = children(place)
    if not rows:
        return {**_header(place, period, now), "rows": []}
    grouped = all_counts(place.path, period, now, group=by_column(CHILD_COLUMN[place.level]))
    out = []
    for child in rows:
        counts = grouped.get(child.id) or {c: 0 for c in Count}
        out.append({"place": child.as_dict(),
                    "indicators": [_figure(f, child, period) for f in figures(counts)]})
    out.sort(key=_rank_key)
    for rank, row in enumerate(out, start=1):
        row["rank"] = rank
    return {**_header(place, period, now), "rows": out}


def _rank_key(row: dict[str, Any]) -> tuple[int, float, str]:
    # Best 化解率 first; places with nothing to rate after those with a rate.
    value = next(f["value"] for f in row["indicators"] if f["key"] == "resolution_rate")
    return (value is None, -(value or 0.0), row["place"]["code"])


def _trend(place: Place, period: Period, now: dt.datetime) -> dict[str, Any]:
    month = by_local_month()
    grouped = all_counts(place.path, period, now, group=month, snapshot=False)
    keep = [k for k in BY_KEY.values() if k.numerator not in SNAPSHOT_COUNTS]
    months = []
    for first_day in period.months():
        counts = grouped.get(first_day) or {c: 0 for c in Count}
        rows = {f.indicator.key: f for f in figures(counts)}
        months.append({"month": first_day.strftime("%Y-%m"),
                       "reported": counts.get(Count.reported, 0),
                       "indicators": [_figure(rows[k.key], place, _month_period(first_day,
                                                                                period))
                                      for k in keep]})
    return {**_header(place, period, now), "months": months}


def _month_period(first_day: dt.date, within: Period) -> Period:
    following = next_month(first_day)
    return Period(max(first_day, within.first),
                  min(following - dt.timedelta(days=1), within.last))


def _categories(place: Place, period: Period, now: dt.datetime) -> dict[str, Any]:
    grouped = all_counts(place.path, period, now, group=by_top_category(), snapshot=False)
    codes = [code for code in grouped if code is not None]
    names = dict(db.session.execute(
        select(Category.code, Category.name).where(Category.code.in_(codes))).all()) \
        if codes else {}
    rows = []
    for code, counts in grouped.items():
        if code is None or not counts.get(Count.reported):
            continue
        rate = BY_KEY["resolution_rate"]
        figure = next(f for f in figures(counts) if f.indicator is rate)
        rows.append({"code": code, "name": names.get(code, code),
                     "reported": counts[Count.reported],
                     "resolution_rate": _figure(figure, place, period, category=code)})
    rows.sort(key=lambda r: (-r["reported"], r["code"]))
    return {**_header(place, period, now), "rows": rows}


# ---- serialising -----------------------------------------------------------------------

def _figure(figure: Figure, place: Place, period: Period,
            category: str | None = None) -> dict[str, Any]:
    indicator = figure.indicator
    extra = {"category": category} if category else {}
    return {
        "key": indicator.key, "label": labels.name(indicator.key),
        "kind": indicator.kind.value,
        "value": figure.value, "numerator": figure.numerator,
        "denominator": figure.denominator,
        "numerator_text": labels.numerator_text(indicator.key),
        "denominator_text": labels.denominator_text(indicator.key),
        "higher_is_better": indicator.higher_is_better,
        "numerator_filter": {**list_filter(indicator.numerator, place, period), **extra},
        "denominator_filter": ({**list_filter(indicator.denominator, place, period), **extra}
                               if indicator.denominator else None),
    }


def list_filter(count: Count, place: Place, period: Period) -> dict[str, str]:
    """The case-list query (GET /api/v1/cases, the console list) for the cases behind a
    count: the same predicate (stats.predicates) under the same place and period."""
    query = {"metric": count.value, "unit": place.code}
    if count in VISIT_COUNTS:
        query.update(visits_from=period.start.isoformat(), visits_to=period.end.isoformat())
    elif count not in SNAPSHOT_COUNTS:
        query.update(reported_from=period.start.isoformat(),
                     reported_to=period.end.isoformat())
    return query
