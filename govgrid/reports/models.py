"""A monthly analysis report of one unit (county or township) and month, with its progress.

The HTML is stored as generated (a report is a record of what was known when it was made:
re-generating makes a new row, never rewrites one); the xlsx appendix is a blob in the file
store (files/store.py), named by its SHA-256.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Enum, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..geo.ltree import LTree
from ..jobs.progress import JobStatus
from ..timestamps import created_at_column


class MonthlyReport(db.Model):
    __tablename__ = "monthly_reports"
    __audited__ = True
    __audit_redact__ = ("html",)  # the audit trail names the report, it does not copy it
    __table_args__ = (Index("ix_monthly_reports_unit_month", "unit_id", "month"),
                      Index("ix_monthly_reports_path", "path", postgresql_using="gist"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    path: Mapped[str] = mapped_column(LTree())  # the unit's
    month: Mapped[dt.date] = mapped_column(Date)  # first day of the month reported on
    status: Mapped[JobStatus] = mapped_column(Enum(JobStatus, name="job_status"),
                                              default=JobStatus.queued)
    progress: Mapped[int] = mapped_column(SmallInteger, default=0)
    stage: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    xlsx_sha256: Mapped[str | None] = mapped_column(String(64))
    xlsx_size: Mapped[int | None] = mapped_column(Integer)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: cron
    created_at: Mapped[dt.datetime] = created_at_column()
    started_at: Mapped[dt.datetime | None] = mapped_column(db.DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(db.DateTime(timezone=True))
