"""Reporting clocks of urgent incidents and the reports that meet them (sla/urgent.py has the
rules). Both are read with their case (auth/rules.py: case_child_rule)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import (
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timestamps import created_at_column
from .urgent import ClockKind


class Channel(enum.StrEnum):
    phone = "phone"  # 电话报告
    platform = "platform"  # 平台上报
    document = "document"  # 书面报告（传真、公文）
    in_person = "in_person"  # 当面报告


class UrgentClock(db.Model):
    """One reporting clock of an urgent case (county 1 h, upper 3 h or general 6 h).

    `met_at` is the earliest report that counts for it; `late` is 迟报 — set by the sweep
    once the clock passes due with no report, or by a report that came after due. Due times
    follow the occurrence time while the clock is not met (sla/urgent_service.py)."""

    __tablename__ = "urgent_clocks"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("case_id", "kind", name="uq_urgent_clocks_case_kind"),
        # The sweep's question, every minute: unmet, not yet late, alarm window reached.
        Index("ix_urgent_clocks_open_alarm", "alarm_at",
              postgresql_where=text("met_at IS NULL AND NOT late")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                               index=True)
    kind: Mapped[ClockKind] = mapped_column(Enum(ClockKind, name="urgent_clock_kind"))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    alarm_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    met_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    late: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[dt.datetime] = created_at_column()


class UrgentReport(db.Model):
    """A report of an urgent incident to the county or the level above (电话、平台、书面、
    当面). `reported_at` is when it was made, which may be before it was entered here (a
    phone call typed in afterwards), never before the occurrence nor in the future."""

    __tablename__ = "urgent_reports"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                               index=True)
    clock: Mapped[ClockKind] = mapped_column(Enum(ClockKind, name="urgent_clock_kind"))
    reported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reported_by_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    reported_to: Mapped[str] = mapped_column(String(100))
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    content: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[Channel] = mapped_column(Enum(Channel, name="urgent_report_channel"))
    created_at: Mapped[dt.datetime] = created_at_column()
