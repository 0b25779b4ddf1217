"""Stored analysis: runs (one county, one month, with progress), the result of every grid
cell in a run, the predictive checks of a backtest run, and each county's risk settings.

A run is the unit of work of the RQ job: the results of a county and month are those of its
latest finished run (a re-run replaces nothing, it supersedes). Rows carry the ltree `path`
of their county or cell so the jurisdiction rules read them like units and cells.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..geo.ltree import LTree
from ..jobs.progress import JobStatus
from ..timestamps import created_at_column


class RunKind(enum.StrEnum):
    hotspots = "hotspots"  # Gi*, emerging patterns and risk grades of one month
    backtest = "backtest"  # the predictive check over the county's history


class AnalysisRun(db.Model):
    __tablename__ = "analysis_runs"
    __audited__ = True
    __table_args__ = (
        Index("ix_analysis_runs_current", "county_id", "kind", "month", "category_id",
              "finished_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    path: Mapped[str] = mapped_column(LTree())  # the county's
    kind: Mapped[RunKind] = mapped_column(Enum(RunKind, name="analysis_run_kind"))
    month: Mapped[dt.date] = mapped_column(Date)  # first day of the (last) month analysed
    # A category group (a top-level category) or None for every case.
    category_id: Mapped[int | None] = mapped_column(ForeignKey("case_categories.id"))
    window_months: Mapped[int] = mapped_column(SmallInteger)
    distance_m: Mapped[float | None] = mapped_column(Float)  # None: contiguity weights
    settings: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # risk config used
    status: Mapped[JobStatus] = mapped_column(Enum(JobStatus, name="job_status"),
                                              default=JobStatus.queued)
    progress: Mapped[int] = mapped_column(SmallInteger, default=0)
    stage: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: cron
    created_at: Mapped[dt.datetime] = created_at_column()
    started_at: Mapped[dt.datetime | None] = mapped_column(db.DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(db.DateTime(timezone=True))


class CellResult(db.Model):
    """One grid cell in one run: the final month's count and Gi*, the trend of its z-scores
    over the window, its emerging pattern, the facts behind its risk, its score and grade."""

    __tablename__ = "analysis_cell_results"
    __table_args__ = (Index("ix_analysis_cell_results_path", "path", postgresql_using="gist"),)

    run_id: Mapped[int] = mapped_column(ForeignKey("analysis_runs.id", ondelete="CASCADE"),
                                        primary_key=True)
    grid_cell_id: Mapped[int] = mapped_column(ForeignKey("grid_cells.id"), primary_key=True)
    path: Mapped[str] = mapped_column(LTree())  # the cell's
    cases: Mapped[int] = mapped_column(Integer)
    z: Mapped[float | None] = mapped_column(Float)
    p: Mapped[float | None] = mapped_column(Float)
    q: Mapped[float | None] = mapped_column(Float)
    hot_class: Mapped[int] = mapped_column(SmallInteger)  # +3..−3
    reason: Mapped[str] = mapped_column(String(16))  # gi_star.Reason
    hot_months: Mapped[int] = mapped_column(SmallInteger)  # months hot in the window
    trend_z: Mapped[float] = mapped_column(Float)
    trend_p: Mapped[float] = mapped_column(Float)
    pattern: Mapped[str] = mapped_column(String(16))  # emerging.Pattern
    pattern_side: Mapped[int] = mapped_column(SmallInteger)
    repeats: Mapped[int] = mapped_column(Integer)
    escalated: Mapped[int] = mapped_column(Integer)
    rebounded: Mapped[int] = mapped_column(Integer)
    urgent: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    grade: Mapped[str] = mapped_column(String(8))  # risk.Grade


class PredictionCheck(db.Model):
    """Backtest: cells flagged in `month` by a method, against the next month's cases."""

    __tablename__ = "analysis_prediction_checks"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("analysis_runs.id", ondelete="CASCADE"),
                                        index=True)
    month: Mapped[dt.date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(8))  # risk | kde
    target: Mapped[float] = mapped_column(Float)
    area_share: Mapped[float] = mapped_column(Float)
    cells: Mapped[int] = mapped_column(Integer)
    hits: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    hit_rate: Mapped[float | None] = mapped_column(Float)
    pai: Mapped[float | None] = mapped_column(Float)


class RiskSetting(db.Model):
    """A county's risk weights and thresholds (analysis/risk.py), as the JSON the API takes;
    `version` guards concurrent edits."""

    __tablename__ = "analysis_risk_settings"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), unique=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = created_at_column()
