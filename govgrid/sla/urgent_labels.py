"""Names of urgent clocks, their statuses and report channels in the user's language (the
API returns them beside the identifiers; pages and scripts show them)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .urgent import ClockKind, ClockStatus
from .urgent_models import Channel

CLOCK_LABELS = {
    ClockKind.county: _l("Report to the county"),
    ClockKind.upper: _l("Report to the level above the county"),
    ClockKind.general: _l("General emergency: report to the county"),
}
STATUS_LABELS = {
    ClockStatus.running: _l("Running"),
    ClockStatus.alarm: _l("Time running out"),
    ClockStatus.met: _l("Reported on time"),
    ClockStatus.late: _l("Late report (迟报)"),
}
CHANNEL_LABELS = {
    Channel.phone: _l("Phone"),
    Channel.platform: _l("Through the platform"),
    Channel.document: _l("Written report"),
    Channel.in_person: _l("In person"),
}
