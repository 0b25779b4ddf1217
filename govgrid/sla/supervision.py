"""督办 orders: issued by the deadline sweep (sweeps.py) or by hand by the level above, and
answered by the unit holding the case. A reply is optimistic-locked on the order's version
and may be given once."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from ..auth.permissions import Forbidden
from ..auth.principal import Principal
from ..auth.roles import CENTRE_STAFF
from ..cases import queries
from ..errors import Conflict, NotFound, StaleVersion
from ..extensions import db
from ..timestamps import utcnow
from ..unit_of_work import committing
from . import recipients
from .authority import is_above, unit_above
from .models import SupervisionOrder
from .notices import Kind, claim
from .store import deadlines_for


def for_case(case_id: uuid.UUID) -> list[SupervisionOrder]:
    queries.get_case(case_id)  # 404 when out of reach
    return list(db.session.execute(
        select(SupervisionOrder).where(SupervisionOrder.case_id == case_id)
        .order_by(SupervisionOrder.issued_at, SupervisionOrder.id)).scalars())


def open_orders(principal: Principal, target_unit_id: int | None = None
                ) -> list[SupervisionOrder]:
    """Unanswered orders within my jurisdiction (optionally those aimed at one unit)."""
    query = select(SupervisionOrder).where(SupervisionOrder.replied_at.is_(None))
    if target_unit_id is not None:
        query = query.where(SupervisionOrder.target_unit_id == target_unit_id)
    return list(db.session.execute(
        query.order_by(SupervisionOrder.reply_due_at, SupervisionOrder.id)).scalars())


def issue(principal: Principal, case_id: uuid.UUID, reason: str,
          reply_days: int | None) -> SupervisionOrder:
    case = queries.get_case(case_id)
    above = unit_above(case)
    if not is_above(principal, case.owner_unit_id, above):
        raise Forbidden(_l("Only the level above the centre holding the case may supervise "
                           "it."))
    clock = deadlines_for(case.county_id)
    now = utcnow()
    days = reply_days or clock.policy.supervision_reply_days
    reply_due = clock.calendar.add_days(now, days, clock.policy.day_kind)
    with committing():
        order = SupervisionOrder(
            county_id=case.county_id, case_id=case.id, issuing_unit_id=above,
            target_unit_id=case.owner_unit_id, issued_by=principal.user_id, issued_at=now,
            reason=reason.strip(), reply_due_at=reply_due,
            overdue_days=int((now - case.due_at).days) if case.due_at and now > case.due_at
            else None)
        db.session.add(order)
        db.session.flush()
        claim(f"supervision:{order.id}:issued", Kind.supervision, case.county_id, case.id,
              recipients.centre_staff(case.owner_unit_id) + recipients.heads(case.owner_unit_id)
              + ([case.handler_id] if case.handler_id else []),
              {"reply_due_at": reply_due.isoformat(), "note": reason.strip()})
    return order


def reply(principal: Principal, order_id: int, version: int, text: str) -> SupervisionOrder:
    order = db.session.execute(select(SupervisionOrder).where(SupervisionOrder.id == order_id)
                               ).scalar_one_or_none()
    if order is None:
        raise NotFound(_l("No such supervision order."))
    if principal.unit_id != order.target_unit_id or principal.role not in CENTRE_STAFF:
        raise Forbidden(_l("Only the unit the order is addressed to may answer it."))
    if order.replied_at is not None:
        raise Conflict(_l("This supervision order has been answered already."))
    with committing():
        won = db.session.execute(
            update(SupervisionOrder).where(SupervisionOrder.id == order.id,
                                           SupervisionOrder.version == version,
                                           SupervisionOrder.replied_at.is_(None))
            .values(reply=text.strip(), replied_by=principal.user_id, replied_at=utcnow(),
                    version=SupervisionOrder.version + 1)
            .returning(SupervisionOrder.id)).scalar_one_or_none()
        if won is None:
            raise StaleVersion()
        claim(f"supervision:{order.id}:replied", Kind.supervision_reply, order.county_id,
              order.case_id, recipients.centre_staff(order.issuing_unit_id)
              + ([order.issued_by] if order.issued_by else []), {"note": text.strip()[:500]})
    db.session.expire_all()
    return db.session.get(SupervisionOrder, order.id)  # type: ignore[return-value]
