"""Fixtures of the notification tests: notifications put straight into someone's inbox."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import insert

from govgrid.notifications.models import Notification

# Source message ids far from any real outbox id: (user, source message) is unique.
_source_ids = itertools.count(900_000_000)

Notify = Callable[..., int]


@pytest.fixture
def notify(db_session, principal_of) -> Notify:
    """notify("baonan.staff", kind="urge", title=..., read=True, case_id=..., at=...) -> the
    new notification's id, in the test's transaction."""

    def make(username: str, *, kind: str = "new_case", title: str = "测试通知",
             body: str = "", case_id: uuid.UUID | None = None, read: bool = False,
             at: dt.datetime | None = None) -> int:
        principal = principal_of(username)
        values = {"county_id": principal.county_id, "user_id": principal.user_id,
                  "kind": kind, "title": title, "body": body, "case_id": case_id,
                  "source_message_id": next(_source_ids),
                  "read_at": dt.datetime.now(dt.UTC) if read else None}
        if at is not None:
            values["created_at"] = at
        made = db_session.execute(
            insert(Notification).values(**values).returning(Notification.id)).scalar_one()
        # Into the test's outer transaction (a savepoint release): left in the session's own
        # savepoint, the end of the next request (session.remove) would roll it back.
        db_session.commit()
        return made

    return make
