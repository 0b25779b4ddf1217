"""Time-limit records: each county's policy and calendar overrides, the notices the sweeps
sent (the idempotency keys), extension requests (延期申请) and supervision orders (督办)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
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
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timestamps import created_at_column


class DeadlinePolicyRecord(db.Model):
    """One county's deadline policy (sla/policy.py), as JSON holding only what differs from
    the defaults; `version` guards concurrent edits."""

    __tablename__ = "sla_policies"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), unique=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = created_at_column()


class CalendarDay(db.Model):
    """A county's own word on one day: a holiday or a make-up working day (调休) of a year
    the calendar package does not know yet, or a local day off. Overrides the package."""

    __tablename__ = "sla_calendar_days"
    __audited__ = True
    __table_args__ = (UniqueConstraint("county_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(100))


class SlaNotice(db.Model):
    """One thing a sweep did (a reminder, 催办, 督办, an escalation, an urgent-clock alarm).
    `key` is unique and names the occasion (e.g. the case, the kind and the due time it is
    about): a sweep inserts it with ON CONFLICT DO NOTHING and acts only if the row is new,
    so two sweeps at once, or one run twice, act once."""

    __tablename__ = "sla_notices"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    recipients: Mapped[list[int]] = mapped_column(ARRAY(Integer), default=list)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_at: Mapped[dt.datetime] = created_at_column()


class RequestState(enum.StrEnum):
    pending = "pending"  # 待审批
    approved = "approved"  # 已批准
    rejected = "rejected"  # 不予批准
    withdrawn = "withdrawn"  # 已撤回


class ExtensionRequest(db.Model):
    """延期申请: the unit holding a case asks the level above for more days."""

    __tablename__ = "case_extension_requests"
    __audited__ = True
    __table_args__ = (
        # One open request per case at a time.
        Index("uq_extension_request_pending", "case_id", unique=True,
              postgresql_where=text("state = 'pending'")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                               index=True)
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requesting_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    approver_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    days: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[RequestState] = mapped_column(
        Enum(RequestState, name="request_state"), default=RequestState.pending)
    due_before: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    due_after: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = created_at_column()


class SupervisionOrder(db.Model):
    """督办令: the level above orders the unit holding an overdue case to act and reply by a
    deadline. Issued by the sweep after the policy's overdue days, or by hand."""

    __tablename__ = "supervision_orders"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                               index=True)
    issuing_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    target_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the sweep
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text)
    overdue_days: Mapped[int | None] = mapped_column(Integer)
    reply_due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    reply: Mapped[str | None] = mapped_column(Text)
    replied_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    replied_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)
