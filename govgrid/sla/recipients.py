"""Who hears about a case's time limit: its handler, its holding centre's staff, the unit's
heads (负责人). Read unscoped: sweeps run as SYSTEM, but extension requests and supervision
replies are made in a request by someone who may not read the unit to notify (a village
cannot read its township's staff), and the level above must still hear of them.

Each unit's people are read once per app context (a request, or one sweep job): a sweep
notifies many cases of the same few units, and one query per case would grow with the batch.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import g, has_app_context
from sqlalchemy import ColumnElement, select

from ..auth.models import User
from ..auth.roles import CENTRE_STAFF, Role
from ..auth.scope import unscoped
from ..extensions import db


def _people(key: tuple[str, int], where: Callable[[], ColumnElement[bool]]) -> list[int]:
    cache: dict[tuple[str, int], list[int]] = (
        g.setdefault("sla_recipients", {}) if has_app_context() else {})
    if key not in cache:
        cache[key] = list(db.session.execute(
            select(User.id).where(User.is_active.is_(True), where()).order_by(User.id)
            .execution_options(**unscoped())).scalars())
    return cache[key]


def centre_staff(unit_id: int) -> list[int]:
    return _people(("staff", unit_id),
                   lambda: (User.unit_id == unit_id) & User.role.in_(CENTRE_STAFF))


def heads(unit_id: int) -> list[int]:
    return _people(("heads", unit_id),
                   lambda: (User.unit_id == unit_id) & User.is_unit_head.is_(True))


def handler_or_centre(handler_id: int | None, owner_unit_id: int) -> list[int]:
    """The handler when there is one, else whoever staffs the holding centre."""
    return [handler_id] if handler_id is not None else centre_staff(owner_unit_id)


def county_watch(county_id: int) -> list[int]:
    """County staff and leaders: they watch urgent incidents."""
    return _people(("watch", county_id), lambda: (User.unit_id == county_id) & User.role.in_(
        (Role.county_staff, Role.county_leader)))
