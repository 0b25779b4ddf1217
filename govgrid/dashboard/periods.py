"""The dashboard's period choices (this month, last month, this quarter, this year, custom)
turned into first and last local days. Pure: `today` is the local (Asia/Shanghai) date,
given by the caller, so the browser's time zone never decides what "this month" is."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass

from ..stats.period import EARLIEST, LATEST, Period, PeriodError

# How far back the trend chart looks when the period is shorter: a year of months, so that
# "this month" still shows where it stands.
TREND_MONTHS = 12


class Preset(enum.StrEnum):
    month = "month"
    last_month = "last_month"
    quarter = "quarter"
    year = "year"
    custom = "custom"


class PeriodChoiceError(ValueError):
    """The choice cannot be used; args[0] names the field, args[1] the reason's key."""


@dataclass(frozen=True)
class Choice:
    preset: Preset
    period: Period

    @property
    def first(self) -> dt.date:
        return self.period.first

    @property
    def last(self) -> dt.date:
        return self.period.last


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_before(first_of_month: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months before the given month."""
    index = first_of_month.year * 12 + first_of_month.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


def preset_period(preset: Preset, today: dt.date) -> Period:
    """The days a preset covers on `today`; periods in progress end today."""
    if preset is Preset.month:
        return Period(_first_of_month(today), today)
    if preset is Preset.last_month:
        last = _first_of_month(today) - dt.timedelta(days=1)
        return Period(_first_of_month(last), last)
    if preset is Preset.quarter:
        return Period(dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1), today)
    if preset is Preset.year:
        return Period(dt.date(today.year, 1, 1), today)
    raise ValueError(preset)


def presets(today: dt.date) -> dict[str, Period]:
    """Every preset's days, for the page to show next to its choice."""
    return {p.value: preset_period(p, today) for p in Preset if p is not Preset.custom}


def _date(values: Mapping[str, str], name: str) -> dt.date:
    raw = (values.get(name) or "").strip()
    if not raw:
        raise PeriodChoiceError(name, "missing")
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError as error:
        raise PeriodChoiceError(name, "not_a_date") from error
    if not EARLIEST <= day <= LATEST:
        raise PeriodChoiceError(name, "out_of_range")
    return day


def choose(values: Mapping[str, str], today: dt.date) -> Choice:
    """The period asked for by the query string: `period` names a preset (this month when
    left out), or `custom` with `from` and `to` (local days, both included). A `from` or
    `to` without `period` means custom."""
    raw = (values.get("period") or "").strip()
    if not raw:
        custom = values.get("from") or values.get("to")
        raw = Preset.custom.value if custom else Preset.month.value
    try:
        preset = Preset(raw)
    except ValueError as error:
        raise PeriodChoiceError("period", "unknown") from error
    if preset is not Preset.custom:
        return Choice(preset, preset_period(preset, today))
    first, last = _date(values, "from"), _date(values, "to")
    try:
        return Choice(preset, Period(first, last))
    except PeriodError as error:
        raise PeriodChoiceError("to", str(error)) from error


def trend_window(period: Period) -> Period:
    """The months the trend chart shows: the period's, or the last TREND_MONTHS months up to
    its last day when the period is shorter."""
    start = months_before(_first_of_month(period.last), TREND_MONTHS - 1)
    return Period(min(start, period.first), period.last)
