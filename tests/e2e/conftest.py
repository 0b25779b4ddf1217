"""Browser fixtures: the session `app` served on a free local port, and headless Chromium.

Chromium is the Debian package (Playwright cannot download browsers on our networks); set
GOVGRID_CHROMIUM to use another binary.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("GOVGRID_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failed test in their
    teardown (and leave evidence of what the browser showed)."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def failed(request: pytest.FixtureRequest) -> bool:
    report = getattr(request.node, "report_call", None)
    return report is not None and report.failed


@pytest.fixture(scope="module")
def live_server(app) -> Iterator[str]:
    """Base URL of the app served by werkzeug in a daemon thread (port 0: the OS picks)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (set GOVGRID_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            headless=True, executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@dataclass
class PageLog:
    """What a page did besides rendering: every request URL and every console error."""

    origin: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        """Requests to anywhere but the live server (data: and blob: URLs are not network)."""
        return [
            url for url in self.requests
            if urlsplit(url).scheme not in {"data", "blob"}
            and not url.startswith(self.origin + "/")
        ]


@pytest.fixture
def page_log(live_server) -> PageLog:
    return PageLog(origin=live_server)


@pytest.fixture
def page(browser, live_server, page_log):
    """A fresh page (desktop size, Chinese browser) whose requests and console are logged.

    Requests to other hosts are recorded and aborted, so a stray CDN link fails fast instead
    of waiting for a network that intranet deployments do not have."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="zh-CN", base_url=live_server
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("request", lambda request: page_log.requests.append(request.url))
    page.on("console", lambda msg: msg.type == "error" and page_log.errors.append(msg.text))
    page.on("pageerror", lambda error: page_log.errors.append(f"uncaught: {error}"))
    context.route(
        lambda url: not url.startswith(live_server + "/"), lambda route: route.abort()
    )
    yield page
    context.close()


@pytest.fixture
def login_as():
    """login_as(page, "county.staff"): log in through the login form, as a person would."""

    def login(page, username: str, password: str = "govgrid2026", next_path: str = "/") -> None:
        page.goto(f"/login?next={next_path}")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"**{next_path}")

    return login


@pytest.fixture
def made_cases(app):
    """Ids of the cases a browser test commits; removed afterwards with everything hanging
    off them (clocks, reports and notices go with their case) and the tests' tokens."""
    from sqlalchemy import text

    from govgrid.extensions import db
    from tests.support.cases import delete_cases
    from tests.support.live import TOKEN_NAME

    case_ids: list[str] = []
    yield case_ids
    with app.app_context(), db.engine.begin() as conn:
        delete_cases(conn, case_ids)
        conn.execute(text("DELETE FROM api_tokens WHERE name = :n"), {"n": TOKEN_NAME})
