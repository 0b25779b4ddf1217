"""Committed cases made through the live server's API (browser tests): the live server reads
committed data only and runs on the real clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

TOKEN_NAME = "e2e-live"  # tokens the tests log in with; removed with the cases


def reporter(page: Any, base: str, username: str) -> Callable[..., dict[str, Any]]:
    """report(point, minutes_ago, **fields) -> case: a case reported now through the live
    API by `username`, occurred `minutes_ago`."""
    login = page.request.post(f"{base}/api/v1/session", data={
        "username": username, "password": "govgrid2026", "token_name": TOKEN_NAME})
    assert login.ok, login.text()
    headers = {"Authorization": f"Bearer {login.json()['token']}"}

    def report(point: tuple[float, float], minutes_ago: float, **fields: object) -> dict:
        occurred = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes_ago)
        response = page.request.post(f"{base}/api/v1/cases", headers=headers, data={
            "source": "grid_worker", "lon": point[0], "lat": point[1],
            "occurred_at": occurred.isoformat(), **fields})
        assert response.ok, response.text()
        return response.json()

    return report
