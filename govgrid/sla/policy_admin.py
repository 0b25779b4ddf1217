"""Keeping a county's deadline policy and its calendar overrides: read by everyone in the
county, changed by those with `manage_deadline_policy`, optimistic-locked, audited (the
records are `__audited__`). The policy is stored as the JSON the API accepts, validated by
sla/schemas.py before it gets here."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ..audit.recorder import record
from ..auth.permissions import Permission, require
from ..auth.principal import Principal
from ..county_settings import save_versioned
from ..errors import Unprocessable
from ..extensions import db
from ..unit_of_work import committing
from .calendar import known_until
from .models import CalendarDay, DeadlinePolicyRecord
from .policy import from_data, to_data
from .store import forget_cached


def _county(principal: Principal) -> int:
    if principal.county_id is None:
        raise Unprocessable(_l("You belong to no county."))
    return principal.county_id


def read(principal: Principal) -> dict[str, Any]:
    """The policy in force (defaults filled in), its version (0: never changed) and how far
    the installed holiday calendar reaches."""
    record = db.session.execute(select(DeadlinePolicyRecord).where(
        DeadlinePolicyRecord.county_id == _county(principal))).scalar_one_or_none()
    policy = from_data(record.data if record else {})
    return {"policy": to_data(policy), "version": record.version if record else 0,
            "updated_at": record.updated_at if record else None,
            "calendar_known_until": known_until()}


def save(principal: Principal, data: dict[str, Any], version: int) -> dict[str, Any]:
    require(principal, Permission.manage_deadline_policy)
    county_id = _county(principal)
    stored = to_data(from_data(data))  # normalised: every key, in its canonical form
    with committing():
        won = save_versioned(DeadlinePolicyRecord, county_id, stored, version,
                             principal.user_id)
        # Core statements bypass the automatic audit capture: say it explicitly.
        record("sla.policy_changed", object_type="sla_policies", object_id=won,
               county_id=county_id, summary={"version": version + 1, "policy": stored})
    forget_cached()
    db.session.expire_all()
    return read(principal)


def days(principal: Principal, year: int) -> list[CalendarDay]:
    return list(db.session.execute(
        select(CalendarDay).where(CalendarDay.county_id == _county(principal),
                                  CalendarDay.day >= dt.date(year, 1, 1),
                                  CalendarDay.day <= dt.date(year, 12, 31))
        .order_by(CalendarDay.day)).scalars())


def set_days(principal: Principal, entries: list[dict[str, Any]]) -> int:
    """Insert or replace overrides (a day off or a make-up working day each)."""
    require(principal, Permission.manage_deadline_policy)
    county_id = _county(principal)
    if not entries:
        return 0
    rows = [{"county_id": county_id, "day": e["day"], "is_workday": bool(e["is_workday"]),
             "note": (e.get("note") or None)} for e in entries]
    with committing():
        statement = pg_insert(CalendarDay).values(rows)
        db.session.execute(statement.on_conflict_do_update(
            index_elements=["county_id", "day"],
            set_={"is_workday": statement.excluded.is_workday,
                  "note": statement.excluded.note}))
        record("sla.calendar_set", object_type="sla_calendar_days", county_id=county_id,
               summary={"days": [{**r, "day": r["day"].isoformat()} for r in rows]})
    forget_cached()
    return len(rows)


def remove_day(principal: Principal, day: dt.date) -> int:
    require(principal, Permission.manage_deadline_policy)
    county_id = _county(principal)
    with committing():
        removed = db.session.execute(delete(CalendarDay).where(
            CalendarDay.county_id == county_id, CalendarDay.day == day)
            .execution_options(synchronize_session=False)).rowcount
        record("sla.calendar_removed", object_type="sla_calendar_days", county_id=county_id,
               summary={"day": day.isoformat()})
    forget_cached()
    return int(removed)


def parse_csv(text: str) -> list[dict[str, Any]]:
    """`date,type,note` rows: type is 休 / holiday / off, or 班 / workday / work (调休).
    Header optional; a bad row is refused with its line number, nothing half-imported."""
    entries = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not row[0].strip() or row[0].strip().lower() in ("date", "日期"):
            continue
        try:
            day = dt.date.fromisoformat(row[0].strip())
        except ValueError:
            raise Unprocessable(_l("Line %(n)s: not a date (YYYY-MM-DD).", n=number)) from None
        kind = (row[1].strip().lower() if len(row) > 1 else "")
        if kind in ("休", "holiday", "off"):
            workday = False
        elif kind in ("班", "workday", "work"):
            workday = True
        else:
            raise Unprocessable(_l("Line %(n)s: the type must be 休 (day off) or 班 (working "
                                   "day).", n=number))
        entries.append({"day": day, "is_workday": workday,
                        "note": row[2].strip()[:100] if len(row) > 2 else None})
    return entries
