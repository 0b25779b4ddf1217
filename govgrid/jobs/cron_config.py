"""The periodic schedule, read by `rq cron govgrid.jobs.cron_config`.

The outbox relay runs every 10 s: if Redis was down, cron was down too, and the first run
after Redis returns relays everything that waited. Later issues add SLA sweeps and hot-spot
recomputation here.
"""

from rq import cron

from ..outbox.relay import RELAY_INTERVAL_S, relay
from .heartbeat import HEARTBEAT_INTERVAL_S, heartbeat
from .queues import DEFAULT

cron.register(heartbeat, DEFAULT, interval=HEARTBEAT_INTERVAL_S)
cron.register(relay, DEFAULT, interval=RELAY_INTERVAL_S)
