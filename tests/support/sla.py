"""Time-limit test helpers: handle the sweeps' notices inline, make a unit head."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text

from govgrid.auth.scope import unscoped
from govgrid.outbox.handlers import handle
from govgrid.outbox.models import OutboxMessage


def handle_sla_notices(app: Any, db_session: Any, case_id: str | None = None) -> None:
    """Run the outbox handler inline for the sweeps' notices (of one case, or all), as a
    worker would; there must be some."""
    query = select(OutboxMessage.id).where(OutboxMessage.topic == "sla.notice")
    if case_id is not None:
        query = query.where(OutboxMessage.payload["case_id"].astext == case_id)
    ids = db_session.execute(query.order_by(OutboxMessage.id)
                             .execution_options(**unscoped())).scalars().all()
    assert ids
    with app.app_context():
        for message_id in ids:
            handle(message_id)


def make_unit_head(db_session: Any, username: str) -> None:
    """The demo units have no 负责人: make this user their unit's head for the test."""
    db_session.execute(text("UPDATE users SET is_unit_head = true WHERE username = :u"),
                       {"u": username})
