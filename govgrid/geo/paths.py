"""Unit paths and the county id of new rows."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session


def next_unit_id(session: Session) -> int:
    """Reserve a unit id before inserting, so a county row can name itself as its county."""
    return session.execute(
        select(func.nextval(text("pg_get_serial_sequence('units', 'id')")))
    ).scalar_one()
