"""The audit log table: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE) and
hash-chained (see chain.py). Actor fields are copied, not foreign keys, so the log stands on
its own whatever happens to the users it names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    county_id: Mapped[int | None] = mapped_column(Integer, index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_name: Mapped[str] = mapped_column(String(64))
    actor_unit_id: Mapped[int | None] = mapped_column(Integer)
    ip: Mapped[str | None] = mapped_column(String(45))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    def content(self) -> dict[str, Any]:
        """What the hash covers: everything but the hashes themselves."""
        return {
            "id": self.id, "county_id": self.county_id, "at": self.at,
            "actor_id": self.actor_id, "actor_name": self.actor_name,
            "actor_unit_id": self.actor_unit_id, "ip": self.ip, "action": self.action,
            "object_type": self.object_type, "object_id": self.object_id,
            "summary": self.summary,
        }
