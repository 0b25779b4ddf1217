"""Time: stored in UTC (timestamptz), shown in Asia/Shanghai."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, func
from sqlalchemy.orm import Mapped, mapped_column

DISPLAY_TZ = ZoneInfo("Asia/Shanghai")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def created_at_column() -> Mapped[dt.datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now())


def local(moment: dt.datetime | None) -> dt.datetime | None:
    """The moment in China Standard Time, for display."""
    return None if moment is None else moment.astimezone(DISPLAY_TZ)
