"""Issue 7's whole path in a real headless Chromium: a township dispatcher finds a new case
in the console queue, opens it from the queue and takes it to resolution by clicks alone
(accept, assign the top-ranked mediator, record a session, resolve with a written agreement);
the case is resolved in the database and has left the open queue. No console errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from tests.support.console_flow import dispatch_to_resolution, fresh_case

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_dispatcher_takes_a_case_from_the_queue_to_resolution(
        app, page, page_log, live_server, login_as, demo_county, made_cases) -> None:
    from govgrid.extensions import db

    case = fresh_case(page, live_server, demo_county, made_cases)
    login_as(page, "baokang.dispatcher", next_path="/console")
    page.wait_for_selector("#queue-map[data-map-ready='1']")
    row = page.locator(f"#queue tbody tr[data-case-id='{case['id']}']")
    assert row.count() == 1
    assert "院墙越界占用宅基地纠纷" in row.inner_text()

    row.locator("a.case-link").click()
    page.wait_for_url(f"**/cases/{case['id']}")
    resolution = dispatch_to_resolution(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-dispatch-resolved.png"), full_page=True)

    with app.app_context(), db.engine.connect() as conn:
        state, outcome, handler = conn.execute(
            text("SELECT state, outcome, handler_id FROM cases WHERE id = :i"),
            {"i": case["id"]}).one()
    assert (state, outcome, handler) == ("resolved", "written_agreement",
                                         resolution.mediator_id)
    assert resolution.agreement_number

    # Back in the queue the case waits only for its follow-up visit (still open, due later);
    # filtered to cases being mediated it is gone.
    page.goto("/console?state=mediating")
    assert page.locator(f"#queue tbody tr[data-case-id='{case['id']}']").count() == 0
    assert page_log.foreign_requests() == [] and page_log.errors == []
