"""The periodic schedule, read by `rq cron govgrid.jobs.cron_config`.

The outbox relay runs every 10 s: if Redis was down, cron was down too, and the first run
after Redis returns relays everything that waited. The deadline sweep runs every minute; it is
idempotent, so a minute missed or run twice changes nothing but timing. The analysis
calendar (nightly hot-spot runs, month-end reports) ticks every 15 minutes and decides from
the Beijing clock and what is stored (analysis/schedule.py); so does the assessment's
(assessment/sweep.py, hourly: month-end assessment, overdue rectifications, expiry).
"""

from rq import cron

from ..analysis.schedule import SCHEDULE_INTERVAL_S, schedule_analysis
from ..assessment.sweep import SWEEP_INTERVAL_S as ASSESSMENT_INTERVAL_S
from ..assessment.sweep import sweep_assessment
from ..outbox.relay import RELAY_INTERVAL_S, relay
from ..sla.sweeps import SWEEP_INTERVAL_S, sweep_deadlines
from ..sla.urgent_sweep import URGENT_SWEEP_INTERVAL_S, sweep_urgent_clocks
from .heartbeat import HEARTBEAT_INTERVAL_S, heartbeat
from .queues import ANALYSIS, DEFAULT

cron.register(heartbeat, DEFAULT, interval=HEARTBEAT_INTERVAL_S)
cron.register(relay, DEFAULT, interval=RELAY_INTERVAL_S)
cron.register(sweep_deadlines, DEFAULT, interval=SWEEP_INTERVAL_S)
# Urgent reporting clocks run in hours with a 15-minute alarm window: swept every minute.
cron.register(sweep_urgent_clocks, DEFAULT, interval=URGENT_SWEEP_INTERVAL_S)
cron.register(schedule_analysis, ANALYSIS, interval=SCHEDULE_INTERVAL_S)
cron.register(sweep_assessment, ANALYSIS, interval=ASSESSMENT_INTERVAL_S)
