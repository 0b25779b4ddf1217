"""Inboxes: delivering notifications (from jobs, idempotently) and reading one's own.

Reading goes through the jurisdiction hook like every query (a Notification is readable only
by its recipient, auth/rules.py); the explicit `user_id` filters below say the same thing
again so that the intent is visible where the query is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ..auth.principal import Principal
from ..errors import NotFound
from ..extensions import db
from ..timestamps import utcnow
from ..unit_of_work import committing
from .models import Notification

# Ids of the notifications delivered inside `collecting_delivered()`: what the delivery
# channels send once the transaction has committed (notifications/channels.py).
_delivered: ContextVar[list[int] | None] = ContextVar("govgrid_delivered", default=None)


@dataclass(frozen=True)
class Delivery:
    """One message for several recipients; `source_message_id` makes it idempotent."""

    source_message_id: int
    county_id: int
    case_id: uuid.UUID | None
    kind: str
    title: str
    body: str


def deliver(delivery: Delivery, user_ids: Iterable[int]) -> int:
    """Insert one notification per recipient; returns how many were new. The caller owns the
    transaction. ON CONFLICT on (user_id, source_message_id): a job that runs twice (a retry,
    a redelivery, two workers racing) creates nothing the second time."""
    rows = [
        {"county_id": delivery.county_id, "user_id": user_id, "case_id": delivery.case_id,
         "kind": delivery.kind, "title": delivery.title[:200], "body": delivery.body,
         "source_message_id": delivery.source_message_id}
        for user_id in sorted(set(user_ids))
    ]
    if not rows:
        return 0
    created = db.session.execute(
        pg_insert(Notification).values(rows)
        .on_conflict_do_nothing(index_elements=["user_id", "source_message_id"])
        .returning(Notification.id)
    ).scalars().all()
    collector = _delivered.get()
    if collector is not None:
        collector.extend(created)
    return len(created)


@contextmanager
def collecting_delivered() -> Iterator[list[int]]:
    """Within the block, the ids of the notifications `deliver()` creates are appended to
    the list yielded. Only new rows count (ON CONFLICT skips the rest), which is what makes
    a redelivered message send nothing a second time."""
    collected: list[int] = []
    token = _delivered.set(collected)
    try:
        yield collected
    finally:
        _delivered.reset(token)


def inbox(principal: Principal, unread_only: bool, page: int, page_size: int
          ) -> tuple[list[Notification], int]:
    """My notifications, newest first, and how many there are in all."""
    query = select(Notification).where(Notification.user_id == principal.user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(
        query.order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(page_size).offset((page - 1) * page_size)
    ).scalars().all()
    return list(rows), total


def unread_count(principal: Principal) -> int:
    """How many of my notifications are unread: one COUNT (the page header asks on every
    page, so it must stay cheap; notifications.user_id is indexed)."""
    return db.session.execute(
        select(func.count()).select_from(Notification)
        .where(Notification.user_id == principal.user_id, Notification.read_at.is_(None))
    ).scalar_one()


def mark_read(principal: Principal, notification_id: int) -> Notification:
    """Mark one of my notifications read (again is harmless: the first reading time stays).
    Someone else's notification is simply not found."""
    notification = db.session.execute(
        select(Notification).where(Notification.id == notification_id,
                                   Notification.user_id == principal.user_id)
    ).scalar_one_or_none()
    if notification is None:
        raise NotFound(_l("No such notification."))
    if notification.read_at is None:
        with committing():
            notification.read_at = utcnow()
    return notification


def mark_all_read(principal: Principal) -> int:
    """Mark all my unread notifications read; returns how many changed."""
    with committing():
        result = db.session.execute(
            update(Notification)
            .where(Notification.user_id == principal.user_id, Notification.read_at.is_(None))
            .values(read_at=utcnow())
            # Nothing loaded needs refreshing, and the scope criteria cannot be evaluated in
            # Python, so skip the session synchronisation.
            .execution_options(synchronize_session=False)
        )
    return int(result.rowcount)  # type: ignore[attr-defined]
