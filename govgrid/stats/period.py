"""The period an indicator is about: whole days in Asia/Shanghai, first and last included,
turned into the UTC instants the database compares with. Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

# The display zone (govgrid.timestamps.DISPLAY_TZ), named here to keep this module pure.
DISPLAY_TZ = ZoneInfo("Asia/Shanghai")

MAX_DAYS = 366 * 5  # five years: beyond that a dashboard is an archive query
# Days a period may touch: no case predates the platform by decades, and year 1 or 9999
# would overflow the arithmetic of time zones and months.
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


class PeriodError(ValueError):
    """The period asked for cannot be used (the message names why)."""


@dataclass(frozen=True)
class Period:
    first: dt.date  # local (Asia/Shanghai) day, included
    last: dt.date  # local day, included

    def __post_init__(self) -> None:
        if self.first < EARLIEST or self.last > LATEST:
            raise PeriodError("out_of_range")
        if self.last < self.first:
            raise PeriodError("last_before_first")
        if (self.last - self.first).days + 1 > MAX_DAYS:
            raise PeriodError("too_long")

    @property
    def start(self) -> dt.datetime:
        """The first instant of the first day, in UTC."""
        return local_midnight(self.first)

    @property
    def end(self) -> dt.datetime:
        """The first instant after the last day, in UTC (compare with <)."""
        return local_midnight(self.last + dt.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def months(self) -> list[dt.date]:
        """The first day of each calendar month the period touches, in order."""
        out = []
        month = self.first.replace(day=1)
        while month <= self.last:
            out.append(month)
            month = next_month(month)
        return out

    def previous(self) -> Period:
        """The period of the same length just before this one (for 环比)."""
        return Period(self.first - dt.timedelta(days=self.days),
                      self.first - dt.timedelta(days=1))


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after the one `day` lies in."""
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def previous_month(day: dt.date) -> dt.date:
    """The first day of the month before the one `day` lies in."""
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def months_back(last: dt.date, count: int) -> list[dt.date]:
    """`count` month starts ending with the month of `last`, oldest first."""
    months = [last.replace(day=1)]
    while len(months) < count:
        months.insert(0, previous_month(months[0]))
    return months


def local_midnight(day: dt.date) -> dt.datetime:
    """The first instant of a local (Asia/Shanghai) day, in UTC."""
    local = dt.datetime.combine(day, dt.time.min, tzinfo=DISPLAY_TZ)
    return local.astimezone(dt.UTC)


def local_today(now: dt.datetime) -> dt.date:
    return now.astimezone(DISPLAY_TZ).date()


def month_to_date(now: dt.datetime) -> Period:
    """The default: this month so far (local days)."""
    today = local_today(now)
    return Period(today.replace(day=1), today)


def resolve(first: dt.date | None, last: dt.date | None, now: dt.datetime) -> Period:
    """The period from optional bounds: a missing last day is today, a missing first day is
    the first of the last day's month."""
    last = last or local_today(now)
    first = first or last.replace(day=1)
    return Period(first, last)
