"""What happens inside a case besides transitions: mediation sessions, the written agreement
(调解协议书) with its judicial confirmation, attachments, and the mediator registry."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timestamps import created_at_column


class MediationSession(db.Model):
    """One mediation meeting (调解记录): when, where, who took part, what was said/agreed."""

    __tablename__ = "mediation_sessions"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                               index=True)
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    held_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    place: Mapped[str | None] = mapped_column(String(200))
    participants: Mapped[list[str]] = mapped_column(ARRAY(String(100)), default=list)
    summary: Mapped[str] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = created_at_column()


class ConfirmationStatus(enum.StrEnum):
    not_applied = "not_applied"  # 未申请
    applied = "applied"  # 已申请司法确认
    confirmed = "confirmed"  # 已确认有效
    rejected = "rejected"  # 驳回申请


class Agreement(db.Model):
    """调解协议书 (People's Mediation Law art. 29): the parties, the main facts and issues in
    dispute, what was agreed, how and when it is performed; signed by the parties and the
    mediator, stamped by the committee. Judicial confirmation may be applied for within 30
    days of its taking effect (art. 33)."""

    __tablename__ = "agreements"
    __audited__ = True
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                               index=True)
    number: Mapped[str] = mapped_column(String(64))  # e.g. 科左中调字〔2026〕第0012号
    committee: Mapped[str] = mapped_column(String(100))  # 人民调解委员会名称
    facts: Mapped[str] = mapped_column(Text)  # 纠纷的主要事实、争议事项
    terms: Mapped[str] = mapped_column(Text)  # 各方当事人达成协议的内容
    performance: Mapped[str] = mapped_column(Text)  # 履行的方式、期限
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_on: Mapped[dt.date] = mapped_column(Date)
    effective_on: Mapped[dt.date] = mapped_column(Date)
    confirmation_status: Mapped[ConfirmationStatus] = mapped_column(
        Enum(ConfirmationStatus, name="confirmation_status"),
        default=ConfirmationStatus.not_applied)
    confirmation_court: Mapped[str | None] = mapped_column(String(100))
    confirmation_applied_on: Mapped[dt.date | None] = mapped_column(Date)
    confirmation_decided_on: Mapped[dt.date | None] = mapped_column(Date)
    confirmation_note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = created_at_column()


class Attachment(db.Model):
    """A photo or recording. The bytes live outside the web root, named by their SHA-256
    (so the same file uploaded twice is stored once); only an access-checked route serves
    them."""

    __tablename__ = "attachments"
    __audited__ = True

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                               index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(64))  # sniffed from the content
    size: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(200))  # for display only, never a path
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = created_at_column()


class MediatorProfile(db.Model):
    """The mediator registry (调解员库): who can mediate what, where, and how busy they are."""

    __tablename__ = "mediator_profiles"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    specialties: Mapped[list[str]] = mapped_column(ARRAY(String(8)), default=list)  # codes
    legal_training: Mapped[bool] = mapped_column(Boolean, default=False)  # 法律专业/培训
    languages: Mapped[list[str]] = mapped_column(ARRAY(String(16)), default=list)  # zh, mn
    max_active_cases: Mapped[int] = mapped_column(Integer, default=10)
    location = mapped_column(Geometry("POINT", srid=4326, spatial_index=True))
    is_available: Mapped[bool] = mapped_column(Boolean, default=True)
    extra: Mapped[dict[str, object]] = mapped_column(JSONB, default=dict)
