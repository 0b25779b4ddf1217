"""Urgent reporting clocks driven through the API at a controllable moment: an incident
that occurred at T0, reported, looked at and reported on `minutes` later."""

from __future__ import annotations

import datetime as dt
from typing import Any

from govgrid.sla.calendar import LOCAL_TZ
from govgrid.timestamps import frozen_at
from tests.support.cases import report

T0 = dt.datetime(2026, 11, 10, 14, 0, tzinfo=LOCAL_TZ)  # the incident, Tuesday 14:00
COUNTY_CENTRE = "科尔沁左翼中旗综治中心"
TITLE = "保南村村民因拖欠工资聚集讨薪"


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def report_at(client: Any, point: tuple[float, float], minutes: float,
              **overrides: Any) -> dict[str, Any]:
    """A 重大 mass incident (2302 集体讨薪) that occurred at T0, reported `minutes` later."""
    body = {"category_code": "2302", "title": TITLE, "severity": "serious",
            "occurred_at": T0.isoformat(), **overrides}
    with frozen_at(at(minutes)):
        return report(client, point, **body)


def clocks_at(client: Any, case_id: str, minutes: float) -> tuple[dict[str, Any], list[Any]]:
    with frozen_at(at(minutes)):
        response = client.get(f"/api/v1/cases/{case_id}/urgent-clocks")
    assert response.status_code == 200, response.json
    return {c["kind"]: c for c in response.json["clocks"]}, response.json["reports"]


def record_at(client: Any, case_id: str, minutes: float, **body: Any) -> Any:
    with frozen_at(at(minutes)):
        return client.post(f"/api/v1/cases/{case_id}/urgent-reports", json=body)


def when(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


