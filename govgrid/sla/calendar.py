"""The working-day calendar (pure): Chinese public holidays and 调休 make-up working days.

The State Council publishes each year's holidays in the autumn before; the maintained
`chinesecalendar` package carries them (upgrade it once a year). A county can also enter a
year's notice itself before the package has it, or local days off, as overrides
(`sla_calendar_days`, `flask sla calendar import`); overrides win. A day of a year the
package does not know and no override names counts by weekday alone, and
`known_until()` lets the admin pages warn about it.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from zoneinfo import ZoneInfo

import chinese_calendar

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


class DayKind(enum.StrEnum):
    natural = "natural"  # 自然日
    working = "working"  # 工作日 (holidays and 调休 included)


class WorkCalendar:
    def __init__(self, overrides: Mapping[dt.date, bool] | None = None) -> None:
        self._overrides = dict(overrides or {})

    def is_workday(self, day: dt.date) -> bool:
        if day in self._overrides:
            return self._overrides[day]
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:  # a year the package does not know yet
            return day.weekday() < 5

    def knows(self, day: dt.date) -> bool:
        """Whether the day's status comes from a published calendar (package or override)."""
        if day in self._overrides:
            return True
        try:
            chinese_calendar.is_workday(day)
        except NotImplementedError:
            return False
        return True

    def add_days(self, start: dt.datetime, days: int, kind: DayKind) -> dt.datetime:
        """`days` natural or working days after `start`.

        Natural days are 24-hour periods. Working days are counted from the day after
        `start`'s local date (the day of receipt does not count), skipping holidays and
        counting make-up working days, and end at the same local time of day as `start`
        on the last of them; so a case reported on a Sunday starts counting on Monday.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        if kind is DayKind.natural:
            return start + dt.timedelta(days=days)
        local = start.astimezone(LOCAL_TZ)
        day = local.date()
        counted = 0
        while counted < days:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return dt.datetime.combine(day, local.timetz()).astimezone(dt.UTC)


def known_until() -> dt.date:
    """The last day of the last year the installed package covers."""
    years = {day.year for day in chinese_calendar.holidays} | {
        day.year for day in chinese_calendar.workdays}
    return dt.date(max(years), 12, 31)
