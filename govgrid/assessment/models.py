"""Stored assessment: each county's versioned schemes, the register of major events (重大事件
登记), the sanctions of the ladder per unit (通报 → 约谈 → 挂牌督办 → 一票否决) and the units'
rectification reports.

Events and sanctions carry the ltree `path` of their unit so the jurisdiction rules read
them like units; schemes are county-wide. Scheme rows have two counters: `version` is the
scheme's number within its county and year (what results name), `revision` guards
concurrent edits of a draft. Events, sanctions and reports are locked by `version`.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..geo.ltree import LTree
from ..timestamps import created_at_column
from .vocabulary import EventKind, EventSeverity, SanctionState, Step

TIMESTAMP = DateTime(timezone=True)
FACTOR_CODES = "ARRAY['late_report', 'concealment', 'obstruction', 'prompt_remedy', " \
    "'cooperation']::varchar[]"


class SchemeStatus(enum.StrEnum):
    draft = "draft"  # being edited; not used by any computation
    active = "active"  # the one in force for its county and year
    retired = "retired"  # was active; results that used it still name it


class AssessmentScheme(db.Model):
    __tablename__ = "assessment_schemes"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("county_id", "year", "version"),
        Index("uq_assessment_schemes_active", "county_id", "year", unique=True,
              postgresql_where=text("status = 'active'")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int] = mapped_column(SmallInteger)
    version: Mapped[int] = mapped_column(Integer)  # 1, 2, … within the county and year
    revision: Mapped[int] = mapped_column(Integer, default=1)  # optimistic lock of edits
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)  # scheme.to_data(...)
    status: Mapped[SchemeStatus] = mapped_column(
        Enum(SchemeStatus, name="assessment_scheme_status"), default=SchemeStatus.draft)
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = created_at_column()
    updated_at: Mapped[dt.datetime] = created_at_column()
    activated_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMP)


class MajorEvent(db.Model):
    """A major event where it happened (a township or village), entered by county staff or a
    township centre, or raised from a case."""

    __tablename__ = "major_events"
    __audited__ = True
    __table_args__ = (
        Index("ix_major_events_path", "path", postgresql_using="gist"),
        Index("ix_major_events_county_occurred", "county_id", "occurred_at"),
        CheckConstraint("deaths >= 0 AND injuries >= 0 AND people_involved >= 0",
                        name="counts_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    path: Mapped[str] = mapped_column(LTree())  # the unit's
    kind: Mapped[EventKind] = mapped_column(Enum(EventKind, name="major_event_kind"))
    severity: Mapped[EventSeverity] = mapped_column(
        Enum(EventSeverity, name="major_event_severity"))
    occurred_at: Mapped[dt.datetime] = mapped_column(TIMESTAMP)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    deaths: Mapped[int] = mapped_column(Integer, default=0)
    injuries: Mapped[int] = mapped_column(Integer, default=0)
    people_involved: Mapped[int] = mapped_column(Integer, default=0)
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"), index=True)
    reported_late: Mapped[bool] = mapped_column(Boolean, default=False)  # 迟报
    concealed: Mapped[bool] = mapped_column(Boolean, default=False)  # 瞒报
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = created_at_column()
    updated_at: Mapped[dt.datetime] = created_at_column()


class Sanction(db.Model):
    """One step of the ladder on one unit: proposed (by a rule, `proposed_by` None, or by
    hand with a reason), then dismissed or confirmed; a confirmed one is rectified, superseded
    by the next step, or expires. At most one of each step is proposed or in force per unit
    (the partial unique index: a rule firing twice proposes once)."""

    __tablename__ = "sanctions"
    __audited__ = True
    __table_args__ = (
        Index("ix_sanctions_path", "path", postgresql_using="gist"),
        Index("uq_sanctions_open_step", "unit_id", "step", unique=True,
              postgresql_where=text("state IN ('proposed', 'confirmed')")),
        CheckConstraint(f"factors <@ {FACTOR_CODES}", name="known_factors"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    path: Mapped[str] = mapped_column(LTree())  # the unit's
    step: Mapped[Step] = mapped_column(Enum(Step, name="sanction_step"))
    state: Mapped[SanctionState] = mapped_column(Enum(SanctionState, name="sanction_state"),
                                                 default=SanctionState.proposed)
    trigger: Mapped[str] = mapped_column(String(64))  # the rule's code, or "manual"
    params: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    # What triggered it: event ids, case ids, figures, the scheme version used.
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    factors: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list)  # Factor
    reason: Mapped[str | None] = mapped_column(Text)  # why raised by hand / dismissed
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: rules
    proposed_at: Mapped[dt.datetime] = mapped_column(TIMESTAMP)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMP)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMP)
    deadline: Mapped[dt.datetime | None] = mapped_column(TIMESTAMP)  # rectification due
    disqualified_until: Mapped[dt.datetime | None] = mapped_column(TIMESTAMP)
    rectified_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMP)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("sanctions.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = created_at_column()
    updated_at: Mapped[dt.datetime] = created_at_column()


class RectificationReport(db.Model):
    """A unit's report on its rectification (整改报告), with evidence files from the file
    store (SHA-256 digests); reviewed once (accepted: the sanction is rectified). One report
    at a time waits for review per sanction."""

    __tablename__ = "rectification_reports"
    __audited__ = True
    __table_args__ = (
        Index("uq_rectification_reports_pending", "sanction_id", unique=True,
              postgresql_where=text("accepted IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    sanction_id: Mapped[int] = mapped_column(ForeignKey("sanctions.id"), index=True)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[dt.datetime] = mapped_column(TIMESTAMP)
    text: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list[str]] = mapped_column(ARRAY(String(64)), default=list)
    accepted: Mapped[bool | None] = mapped_column(Boolean)  # None: not reviewed yet
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMP)
    review_note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
