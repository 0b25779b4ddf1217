"""Sweep notices: claim an occasion once, then notify through the outbox.

`claim()` inserts the notice with its unique key (ON CONFLICT DO NOTHING). Only the
transaction whose insert wins gets the row back; it writes the outbox message that fills the
inboxes and the audit entry, in the same transaction as whatever else the sweep changes.
A second sweep (a retry, or another worker at the same moment) blocks on the key until the
first commits, then finds it taken and does nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert

from ..audit.recorder import record
from ..extensions import db
from ..outbox.models import OutboxMessage
from .models import SlaNotice

TOPIC = "sla.notice"


class Kind:
    """Notice kinds; also the notification kinds the inbox shows."""

    due_soon = "due_soon"  # 将到期提醒
    urge = "urge"  # 催办
    supervision = "supervision"  # 督办
    supervision_reply = "supervision_reply"  # 督办回复
    escalated = "escalated"  # 自动提级
    extension_request = "extension_request"  # 延期申请
    extension_decided = "extension_decided"  # 延期审批结果
    urgent_alarm = "urgent_alarm"  # 紧急事件报告时限预警
    urgent_late = "urgent_late"  # 迟报


def claim(key: str, kind: str, county_id: int, case_id: uuid.UUID | None,
          recipients: Iterable[int], payload: dict[str, Any] | None = None
          ) -> int | None:
    """The new notice's id, or None when the occasion was claimed before. The caller owns
    the transaction."""
    recipient_ids = sorted(set(recipients))
    notice_id = db.session.execute(
        pg_insert(SlaNotice).values(
            county_id=county_id, key=key[:200], kind=kind, case_id=case_id,
            recipients=recipient_ids, payload=payload or {})
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(SlaNotice.id)
    ).scalar_one_or_none()
    if notice_id is None:
        return None
    if recipient_ids:
        db.session.add(OutboxMessage(county_id=county_id, topic=TOPIC, payload={
            "notice_id": notice_id, "case_id": None if case_id is None else str(case_id)}))
    record(f"sla.{kind}", object_type="sla_notices", object_id=notice_id, county_id=county_id,
           summary={"key": key, "case_id": None if case_id is None else str(case_id),
                    "recipients": recipient_ids, **(payload or {})})
    return notice_id
