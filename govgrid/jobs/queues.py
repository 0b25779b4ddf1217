"""Queue names and how to get a queue bound to the app's Redis.

Two queues, listed to workers in priority order: `default` for what is due now (the outbox
relay, deadline sweeps, urgent clocks, notifications), `analysis` for long work people wait
for but that can wait behind those (hot-spot runs, backtests, monthly reports, the analysis
calendar). A worker given `default analysis` always takes a waiting `default` job first, so a
month-end batch of reports never holds back a reminder by more than the job in hand; a
deployment with more cores runs a second worker on `analysis` alone.
"""

from __future__ import annotations

from rq import Queue

from ..extensions import redis_client

DEFAULT = "default"
ANALYSIS = "analysis"
ALL = (DEFAULT, ANALYSIS)


def queue(name: str = DEFAULT) -> Queue:
    return Queue(name, connection=redis_client.connection)
