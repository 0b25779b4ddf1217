"""Cases (矛盾纠纷/事件), their categories, parties, timeline and assignments.

A case has two places in the unit tree: where it happened (`location_path`, the grid cell or
village; it never changes) and who holds it now (`owner_unit_id`, which moves up on
escalation and down on 降级). Jurisdiction reads by location: a village keeps seeing the
disputes of its village after the county took them over.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..geo.ltree import LTree
from ..timestamps import created_at_column
from .vocabulary import PartyKind, PartyRole, Severity, Source
from .workflow import CaseState, LegalRoute, Level, Outcome


class Category(db.Model):
    """Two-level dictionary (data, seeded from cases/data/categories.json). county_id NULL is
    the platform default; a county may add its own later."""

    __tablename__ = "case_categories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("case_categories.id"))
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(100))
    default_severity: Mapped[Severity | None] = mapped_column(Enum(Severity, name="severity"))
    time_limit_days: Mapped[int | None] = mapped_column(Integer)
    departments: Mapped[list[str]] = mapped_column(ARRAY(String(16)), default=list)
    weight: Mapped[float] = mapped_column(Float, default=0.0)
    dedup_radius_m: Mapped[int] = mapped_column(Integer, default=300)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    parent: Mapped[Category | None] = relationship(remote_side=[id])


class Case(db.Model):
    __tablename__ = "cases"
    __audited__ = True
    __table_args__ = (
        Index("ix_cases_location_path_gist", "location_path", postgresql_using="gist"),
        Index("ix_cases_point_gist", "point", postgresql_using="gist"),
        # For ST_DWithin on geography (duplicate detection), same expression as the query.
        Index("ix_cases_point_geography", func.geography(text("point")),
              postgresql_using="gist"),
        Index("ix_cases_county_state", "county_id", "state"),
        CheckConstraint("people_involved >= 0", name="people_not_negative"),
        CheckConstraint("amount_involved IS NULL OR amount_involved >= 0",
                        name="amount_not_negative"),
    )

    # Client-supplied ids make reporting idempotent: a retry of the same report finds it.
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    township_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    grid_cell_id: Mapped[int | None] = mapped_column(ForeignKey("grid_cells.id"), index=True)
    location_path: Mapped[str] = mapped_column(LTree())
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    owner_level: Mapped[Level] = mapped_column(Enum(Level, name="case_level"))
    point = mapped_column(Geometry("POINT", srid=4326, spatial_index=False))
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    address: Mapped[str | None] = mapped_column(String(200))

    category_id: Mapped[int] = mapped_column(ForeignKey("case_categories.id"), index=True)
    severity: Mapped[Severity] = mapped_column(Enum(Severity, name="severity"))
    is_urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[Source] = mapped_column(Enum(Source, name="case_source"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    people_involved: Mapped[int] = mapped_column(Integer, default=0)
    amount_involved: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))

    state: Mapped[CaseState] = mapped_column(Enum(CaseState, name="case_state"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    outcome: Mapped[Outcome | None] = mapped_column(Enum(Outcome, name="case_outcome"))
    referral_route: Mapped[LegalRoute | None] = mapped_column(Enum(LegalRoute, name="legal_route"))
    referral_receiver: Mapped[str | None] = mapped_column(String(200))
    duplicate_of_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"))
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    rebound_count: Mapped[int] = mapped_column(Integer, default=0)
    escalation_count: Mapped[int] = mapped_column(Integer, default=0)

    occurred_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reported_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The current stage's clock (cases/deadlines.py): started, 将到期 from, due.
    due_started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    due_soon_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Resolved after the time limit then running (按期办结率): kept here because resolving
    # replaces the handling clock with the follow-up clock. NULL while unresolved, and for
    # cases resolved before revision 0008 (unknown, left out of the rate).
    resolved_late: Mapped[bool | None] = mapped_column(Boolean)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = created_at_column()
    updated_at: Mapped[dt.datetime] = created_at_column()

    category: Mapped[Category] = relationship()
    parties: Mapped[list[Party]] = relationship(back_populates="case", order_by="Party.id")


class Party(db.Model):
    """当事人. ID number and phone are encrypted (pii.crypto) with blind indexes for search;
    nobody reads them unmasked without an audited, explicit request."""

    __tablename__ = "case_parties"
    __audited__ = True
    __audit_redact__ = ("id_number_enc", "phone_enc", "id_number_index", "phone_index")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                               index=True)
    kind: Mapped[PartyKind] = mapped_column(Enum(PartyKind, name="party_kind"))
    role: Mapped[PartyRole] = mapped_column(Enum(PartyRole, name="party_role"))
    name: Mapped[str] = mapped_column(String(100))
    id_number_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_number_index: Mapped[str | None] = mapped_column(String(64), index=True)
    id_number_masked: Mapped[str | None] = mapped_column(String(32))
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_index: Mapped[str | None] = mapped_column(String(64), index=True)
    phone_masked: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(200))

    case: Mapped[Case] = relationship(back_populates="parties")


class CaseEvent(db.Model):
    """The timeline: one row per transition (who, which unit, when, from, to, note)."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                               index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)

    __table_args__ = (
        # 回访满意率 reads the follow-up visits of a period: a few of every case's events.
        Index("ix_case_events_follow_up_at", "at", postgresql_where=text("action = 'follow_up'")),
    )


class CaseAssignment(db.Model):
    """Who works on a case besides its owning centre: the mediator (handler), department
    liaisons of a referral or joint handling (with their sub-task). Mediators and liaisons
    read exactly the cases assigned to them."""

    __tablename__ = "case_assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                               index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # handler / referral / subtask
    task: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = created_at_column()
