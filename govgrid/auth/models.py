"""Users, their grid cells and their API tokens.

`version` on User is the optimistic lock: an edit names the version it read and fails with
409 if someone else saved in between. `auth_epoch` ends every session of a user at once
(password change, reset, deactivation) because the session cookie carries the epoch.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..geo.models import GridCell, Unit
from ..timestamps import created_at_column
from .roles import Department, Role


class User(db.Model):
    __tablename__ = "users"
    __audited__ = True
    __audit_redact__ = ("password_hash",)
    __table_args__ = (
        CheckConstraint("username = lower(username)", name="username_lower_case"),
        CheckConstraint(
            "(role = 'department_liaison') = (department IS NOT NULL)",
            name="department_iff_liaison",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(20))
    role: Mapped[Role] = mapped_column(Enum(Role, name="user_role"))
    department: Mapped[Department | None] = mapped_column(Enum(Department, name="department"))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # 负责人: the unit's head also receives 催办 and 督办 about the unit's cases.
    is_unit_head: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    auth_epoch: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = created_at_column()
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])
    cells: Mapped[list[GridCell]] = relationship(
        secondary="user_grid_cells", order_by=GridCell.code
    )

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class UserGridCell(db.Model):
    """The grid cells a grid worker serves (网格员 ↔ 网格)."""

    __tablename__ = "user_grid_cells"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    grid_cell_id: Mapped[int] = mapped_column(ForeignKey("grid_cells.id"), primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)


class ApiToken(db.Model):
    """A bearer token for API clients. Only its SHA-256 is stored: tokens are 32 random bytes,
    so a fast hash is enough (no dictionary to guess from), and a leaked table is useless."""

    __tablename__ = "api_tokens"
    __audited__ = True
    __audit_redact__ = ("token_hash",)
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(12))  # shown in lists to tell tokens apart
    created_at: Mapped[dt.datetime] = created_at_column()
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()
