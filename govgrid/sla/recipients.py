"""Who hears about a case's time limit: its handler, its holding centre's staff, the unit's
heads (负责人). Read unscoped: sweeps run as SYSTEM, but extension requests and supervision
replies are made in a request by someone who may not read the unit to notify (a village
cannot read its township's staff), and the level above must still hear of them."""

from __future__ import annotations

from sqlalchemy import select

from ..auth.models import User
from ..auth.roles import Role
from ..auth.scope import unscoped
from ..extensions import db

CENTRE_STAFF = (Role.village_staff, Role.township_dispatcher, Role.county_staff)


def centre_staff(unit_id: int) -> list[int]:
    return list(db.session.execute(
        select(User.id).where(User.unit_id == unit_id, User.is_active.is_(True),
                              User.role.in_(CENTRE_STAFF))
        .execution_options(**unscoped())).scalars())


def heads(unit_id: int) -> list[int]:
    return list(db.session.execute(
        select(User.id).where(User.unit_id == unit_id, User.is_active.is_(True),
                              User.is_unit_head.is_(True))
        .execution_options(**unscoped())).scalars())


def handler_or_centre(handler_id: int | None, owner_unit_id: int) -> list[int]:
    """The handler when there is one, else whoever staffs the holding centre."""
    return [handler_id] if handler_id is not None else centre_staff(owner_unit_id)


def county_watch(county_id: int) -> list[int]:
    """County staff and leaders: they watch urgent incidents."""
    return list(db.session.execute(
        select(User.id).where(User.county_id == county_id, User.unit_id == county_id,
                              User.is_active.is_(True),
                              User.role.in_((Role.county_staff, Role.county_leader)))
        .execution_options(**unscoped())).scalars())
