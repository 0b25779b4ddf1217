"""The periods an assessment is read for (pure): a month `2026-11`, a quarter `2026-Q3` or a
year `2026`, as whole local (Asia/Shanghai) days. A period still running ends today, as the
dashboard's presets do; one that has not begun is refused. `today` is the caller's local
date, so the browser's clock never decides what "this month" is.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass

from ..stats.period import EARLIEST, LATEST, Period

PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>\d)))?$")


class Kind(enum.StrEnum):
    month = "month"
    quarter = "quarter"
    year = "year"


class NamedPeriodError(ValueError):
    """args[0]: why — `format`, `out_of_range` or `not_begun`."""


@dataclass(frozen=True)
class NamedPeriod:
    kind: Kind
    name: str  # as written in the query string: 2026-11, 2026-Q3, 2026
    period: Period  # cut at today while running
    full: Period  # the whole month, quarter or year

    @property
    def running(self) -> bool:
        return self.period.last < self.full.last


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def parse(text: str | None, today: dt.date) -> NamedPeriod:
    """The period `text` names; this month when it is empty."""
    raw = (text or "").strip()
    if not raw:
        raw = f"{today.year:04d}-{today.month:02d}"
    match = PATTERN.match(raw)
    if match is None:
        raise NamedPeriodError("format")
    year = int(match["year"])
    if not EARLIEST.year <= year <= LATEST.year:
        raise NamedPeriodError("out_of_range")
    if match["month"] is not None:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise NamedPeriodError("format")
        kind, first, last = Kind.month, dt.date(year, month, 1), _month_end(year, month)
    elif match["quarter"] is not None:
        quarter = int(match["quarter"])
        if not 1 <= quarter <= 4:
            raise NamedPeriodError("format")
        first = dt.date(year, quarter * 3 - 2, 1)
        kind, last = Kind.quarter, _month_end(year, quarter * 3)
    else:
        kind, first, last = Kind.year, dt.date(year, 1, 1), dt.date(year, 12, 31)
    if first > today:
        raise NamedPeriodError("not_begun")
    return NamedPeriod(kind, raw, Period(first, min(last, today)), Period(first, last))


def choices(today: dt.date, months: int = 12, quarters: int = 8, years: int = 3
            ) -> dict[Kind, list[str]]:
    """The recent periods a picker offers, newest first."""
    index = today.year * 12 + today.month - 1
    out = {Kind.month: [f"{(index - i) // 12:04d}-{(index - i) % 12 + 1:02d}"
                        for i in range(months)]}
    q = today.year * 4 + (today.month - 1) // 3
    out[Kind.quarter] = [f"{(q - i) // 4:04d}-Q{(q - i) % 4 + 1}" for i in range(quarters)]
    out[Kind.year] = [str(today.year - i) for i in range(years)]
    return out
