"""A phone for the mobile app's browser tests: 360 x 640, touch, Chinese, geolocation granted
at the demo grid worker's cell, service workers allowed, every request and console error
logged; and helpers to drive the app as a grid worker would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.e2e.conftest import failed
from tests.support.cases import village_point
from tests.support.mobile import WORKER

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "mobile"
PHONE = {"width": 360, "height": 640}


@pytest.fixture
def phone(request, browser, live_server, page_log, demo_county) -> Iterator[Any]:
    lon, lat = village_point(demo_county)
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
        locale="zh-CN", base_url=live_server, service_workers="allow",
        geolocation={"longitude": lon, "latitude": lat, "accuracy": 12},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    (ARTIFACTS / f"FAILED-{request.node.name}.png").unlink(missing_ok=True)
    page.on("request", lambda request: page_log.requests.append(request.url))
    page.on("console", lambda msg: msg.type == "error" and page_log.errors.append(msg.text))
    page.on("pageerror", lambda error: page_log.errors.append(f"uncaught: {error}"))
    context.route(lambda url: not url.startswith(live_server + "/"), lambda route: route.abort())
    yield page
    if failed(request):
        leave_evidence(page, request.node.name)
    context.close()


OUTBOX = """async () => {
    const db = await new Promise((ok) => { const r = indexedDB.open('govgrid-mobile');
                                           r.onsuccess = () => ok(r.result); });
    const all = await new Promise((ok) => { const r = db.transaction('outbox')
        .objectStore('outbox').getAll(); r.onsuccess = () => ok(r.result); });
    return all.map((e) => ({ id: e.id, status: e.status, created: e.created,
                             attempts: e.attempts, lastError: e.lastError,
                             rejection: e.rejection, report: e.report }));
}"""


def leave_evidence(page: Any, name: str) -> None:
    """A failed phone test leaves what the screen showed and what the outbox held."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(ARTIFACTS / f"FAILED-{name}.png"), full_page=True)
        print(f"--- {page.url}\n{page.inner_text('body')}")
        print(f"--- outbox: {page.evaluate(OUTBOX)}")
    except Exception as problem:  # the page may be gone: the evidence is a courtesy
        print(f"--- no evidence: {problem}")


@pytest.fixture
def shoot() -> Callable[[Any, str], None]:
    """shoot(page, "report"): a screenshot of the screen as it is, to be looked at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> None:
        # From the top: a full-page shot of a scrolled page draws the sticky bar mid-page.
        page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def worker_cases(app, made_cases) -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """worker_cases() -> the cases the grid worker reported since the test began (each is
    removed afterwards), with their grid cell and attachments."""
    from govgrid.extensions import db

    since = dt.datetime.now(dt.UTC)

    def read() -> list[dict[str, Any]]:
        with app.app_context(), db.engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT c.id::text AS id, c.title, c.state, g.code AS cell, c.accuracy_m, "
                "  (SELECT json_agg(json_build_object('size', a.size, 'type', a.media_type)) "
                "     FROM attachments a WHERE a.case_id = c.id) AS attachments "
                "FROM cases c JOIN users u ON u.id = c.reporter_id "
                "LEFT JOIN grid_cells g ON g.id = c.grid_cell_id "
                "WHERE u.username = :u AND c.reported_at >= :since ORDER BY c.reported_at"),
                {"u": WORKER, "since": since}).mappings().all()
        found = [dict(row) for row in rows]
        made_cases.extend(r["id"] for r in found if r["id"] not in made_cases)
        return found

    yield read
    read()  # whatever the test left behind is removed too
