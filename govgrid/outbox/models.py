"""Outbox rows: written in the same transaction as the change that caused them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timestamps import created_at_column


class OutboxMessage(db.Model):
    __tablename__ = "outbox"
    __table_args__ = (
        # The relay's query: what has not been handed to RQ yet, oldest first.
        Index("ix_outbox_pending", "id", postgresql_where="relayed_at IS NULL"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    county_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    topic: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_at: Mapped[dt.datetime] = created_at_column()
    relayed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
