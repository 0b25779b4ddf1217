"""Queue names and how to get a queue bound to the app's Redis."""

from __future__ import annotations

from rq import Queue

from ..extensions import redis_client

DEFAULT = "default"
ALL = (DEFAULT,)


def queue(name: str = DEFAULT) -> Queue:
    return Queue(name, connection=redis_client.connection)
