"""A periodic job whose only effect is a timestamp in Redis: /healthz reads it to tell
whether `rq cron` and at least one worker are alive."""

from __future__ import annotations

import time

from ..extensions import redis_client
from .context import with_app_context

HEARTBEAT_KEY = "govgrid:heartbeat"
HEARTBEAT_INTERVAL_S = 60


@with_app_context
def heartbeat() -> float:
    now = time.time()
    redis_client.connection.set(HEARTBEAT_KEY, repr(now), ex=HEARTBEAT_INTERVAL_S * 10)
    return now


def last_heartbeat_age() -> float | None:
    """Seconds since a worker last ran the heartbeat, or None if never (or expired)."""
    raw = redis_client.connection.get(HEARTBEAT_KEY)
    return None if raw is None else max(0.0, time.time() - float(raw))
