"""Who stands above whom for time limits (pure apart from one unit lookup): the unit that
approves a case's extension or supervises it is the level above its holder; for a case the
county centre holds, the county's leaders stand above its staff."""

from __future__ import annotations

from flask import g, has_app_context
from sqlalchemy import select

from ..auth.principal import Principal
from ..auth.roles import CENTRE_STAFF, Role
from ..auth.scope import unscoped
from ..cases.models import Case
from ..extensions import db
from ..geo.models import Unit

ABOVE_ROLES = frozenset({Role.township_dispatcher, Role.county_staff, Role.county_leader})


def unit_above(case: Case) -> int:
    """The level above the case's holder; the county itself for county-held cases. Read
    once per unit and app context (a sweep asks it for many cases of the same units)."""
    parents: dict[int, int | None] = g.setdefault("sla_parents", {}) if has_app_context() \
        else {}
    if case.owner_unit_id not in parents:
        parents[case.owner_unit_id] = db.session.execute(
            select(Unit.parent_id).where(Unit.id == case.owner_unit_id)
            .execution_options(**unscoped())).scalar_one_or_none()
    return parents[case.owner_unit_id] or case.owner_unit_id


def is_above(principal: Principal, holder_unit_id: int, above_unit_id: int) -> bool:
    """Whether the principal acts for `above_unit_id` as the level above `holder_unit_id`
    (an extension request is judged by the unit that asked, even if the case moved since)."""
    if principal.unit_id != above_unit_id or principal.role not in ABOVE_ROLES:
        return False
    if above_unit_id == holder_unit_id:  # county-held: only leaders are above the staff
        return principal.role is Role.county_leader
    return True


def holds(principal: Principal, case: Case) -> bool:
    """Staff of the holding centre, or the case's handler."""
    return ((principal.unit_id == case.owner_unit_id and principal.role in CENTRE_STAFF)
            or (principal.user_id is not None and principal.user_id == case.handler_id))
