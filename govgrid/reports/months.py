"""The month a report is about, and the months it is compared with (pure).

A report's month is a calendar month in Asia/Shanghai, named by its first day. Its period is
the whole month, or the month so far when it is the current one (a report asked for on
demand mid-month). It is compared with the whole month before (环比) and the same month a
year before (同比).
"""

from __future__ import annotations

import datetime as dt
import re

from ..stats.period import EARLIEST, Period, next_month

_MONTH = re.compile(r"(\d{4})-(\d{2})")


class MonthError(ValueError):
    """The month cannot be reported on; args[0] names why: malformed, too_early, future."""


def parse_month(text: str, today: dt.date) -> dt.date:
    """'2026-11' -> 2026-11-01; MonthError for anything else, or a month not begun yet."""
    match = _MONTH.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise MonthError("malformed")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise MonthError("malformed")
    return check_month(dt.date(year, month, 1), today)


def check_month(month: dt.date, today: dt.date) -> dt.date:
    month = month.replace(day=1)
    if month < EARLIEST:
        raise MonthError("too_early")
    if month > today.replace(day=1):
        raise MonthError("future")
    return month



def same_month_last_year(month: dt.date) -> dt.date:
    return month.replace(year=month.year - 1, day=1)


def month_period(month: dt.date, today: dt.date | None = None) -> Period:
    """The whole month, or up to `today` when the month is the current one."""
    last = next_month(month) - dt.timedelta(days=1)
    if today is not None and month <= today < next_month(month):
        last = today
    return Period(month, last)


def comparison_period(month: dt.date) -> Period | None:
    """A whole earlier month, or None when it lies before the platform's earliest day."""
    if month < EARLIEST:
        return None
    return month_period(month)


def month_label(month: dt.date) -> str:
    """2026年11月 (the report's heading says the month the Chinese way in both languages)."""
    return f"{month.year}年{month.month}月"
