"""Time: stored in UTC (timestamptz), shown in Asia/Shanghai."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, func
from sqlalchemy.orm import Mapped, mapped_column

DISPLAY_TZ = ZoneInfo("Asia/Shanghai")


# Tests move time by hand (deadlines, sweeps, urgent clocks); production never sets this.
_frozen_now: ContextVar[dt.datetime | None] = ContextVar("govgrid_frozen_now", default=None)


def utcnow() -> dt.datetime:
    """Now, in UTC. Code that reasons about deadlines must use this (never SQL now()), so
    that a controllable clock moves it."""
    frozen = _frozen_now.get()
    return frozen if frozen is not None else dt.datetime.now(dt.UTC)


@contextmanager
def frozen_at(moment: dt.datetime) -> Iterator[None]:
    """Within the block, utcnow() is `moment` (an aware datetime)."""
    if moment.tzinfo is None:
        raise ValueError("frozen_at needs an aware datetime")
    token = _frozen_now.set(moment.astimezone(dt.UTC))
    try:
        yield
    finally:
        _frozen_now.reset(token)


def created_at_column() -> Mapped[dt.datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now())


def local(moment: dt.datetime | None) -> dt.datetime | None:
    """The moment in China Standard Time, for display."""
    return None if moment is None else moment.astimezone(DISPLAY_TZ)
