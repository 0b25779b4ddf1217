"""What the dashboard's analysis layers need to know when the page is drawn: the month they
show (the month of the period's last day) and whether a finished hot-spot run of it exists,
so the page never asks for a layer that is not there and can offer to run it instead."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import url_for

from ..analysis.models import RunKind
from ..analysis.runs import current_run
from ..auth.principal import current_principal


def analysis_layers(last_day: dt.date) -> dict[str, Any]:
    month = last_day.replace(day=1)
    county_id = current_principal().county_id
    run = current_run(county_id, RunKind.hotspots, month) if county_id is not None else None
    return {
        "month": f"{month:%Y-%m}",
        "run": run.id if run else None,
        "finishedAt": run.finished_at.isoformat() if run and run.finished_at else None,
        "settings": run.settings if run else None,
        "page": url_for("analysis_pages.analysis_page", month=f"{month:%Y-%m}"),
    }
