"""The case page as the township centre's working page, in a real headless Chromium: the
保康镇 dispatcher takes a freshly reported case to resolution by clicks alone (accept, assign
the top-ranked suggested mediator, record a session, resolve with a written agreement), and a
stale version is refused with the conflict message and an offer to reload. No JavaScript
console errors; screenshots go to test-artifacts/ to be looked at."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import text

from tests.support.console_flow import (
    PARTIES,
    dispatch_to_resolution,
    fresh_case,
    offered_actions,
    open_action,
    send,
    wait_for_state,
    wait_until_live,
)

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"case-actions-{name}.png"), full_page=True)


def test_dispatcher_takes_a_fresh_case_to_resolution(app, page, page_log, live_server,
                                                     login_as, demo_county, made_cases) -> None:
    from govgrid.extensions import db

    case = fresh_case(page, live_server, demo_county, made_cases)
    login_as(page, "baokang.dispatcher", next_path=f"/cases/{case['id']}")
    wait_until_live(page)
    assert "accept" in offered_actions(page)
    applicant = page.locator("#parties tr[data-party]").first
    assert applicant.locator("[data-pii=id_number]").inner_text() == "150521********1231"
    shot(page, "before")
    # The holding centre handles the case: it may see a party in full, giving a reason
    # (the API records the read).
    applicant.locator("details.unmask summary").click()
    applicant.locator("input[name=reason]").fill("电话联系申请人，确认调解时间")
    applicant.locator("form[data-unmask-url] button[type=submit]").click()
    page.wait_for_selector("#parties [data-pii=id_number][data-unmasked]")
    assert applicant.locator("[data-pii=id_number]").inner_text() == PARTIES[0]["id_number"]

    def at_step(action: str) -> None:
        if action in ("assign", "resolve"):  # the ranked suggestions; the agreement form
            shot(page, action)

    done = dispatch_to_resolution(page, on_step=at_step)
    shot(page, "after")

    assert done.case_id == case["id"]
    with app.app_context(), db.engine.connect() as conn:
        row = conn.execute(text("SELECT state, outcome, handler_id FROM cases WHERE id = :i"),
                           {"i": case["id"]}).one()
        sessions = conn.execute(text("SELECT count(*) FROM mediation_sessions "
                                     "WHERE case_id = :i"), {"i": case["id"]}).scalar()
        numbers = conn.execute(text("SELECT number FROM agreements WHERE case_id = :i"),
                               {"i": case["id"]}).scalars().all()
    assert (row.state, row.outcome) == ("resolved", "written_agreement")
    assert row.handler_id == done.mediator_id  # the top-ranked suggestion
    assert sessions == 1 and numbers == [done.agreement_number]
    assert page.locator("#timeline").inner_text().count("化解") >= 1
    assert page_log.foreign_requests() == [] and page_log.errors == []


def test_a_stale_version_is_refused_with_an_offer_to_reload(app, page, page_log, live_server,
                                                            login_as, demo_county,
                                                            made_cases) -> None:
    case = fresh_case(page, live_server, demo_county, made_cases)
    login_as(page, "baokang.dispatcher", next_path=f"/cases/{case['id']}")
    wait_until_live(page)
    # Someone else edits the case while this page is open: its version moves on.
    token = page.locator("meta[name=csrf-token]").get_attribute("content")
    edited = page.request.patch(f"{live_server}/api/v1/cases/{case['id']}",
                                headers={"X-CSRFToken": token},
                                data={"version": case["version"], "people_involved": 3})
    assert edited.ok, edited.text()

    form = open_action(page, "accept")
    send(form)
    message = form.locator("[data-result]")
    message.wait_for(state="visible")
    with app.test_request_context(), force_locale("zh_CN"):
        stale = gettext("The object was changed by someone else; reload and try again.")
    assert message.inner_text() == stale and message.get_attribute("data-status") == "409"
    assert page.locator(".case-head .state").get_attribute("data-state") == "reported"
    shot(page, "stale")

    form.locator("[data-reload]").click()  # offered with the refusal
    wait_for_state(page, "reported")
    send(open_action(page, "accept"))  # with the version just read, it goes through
    wait_for_state(page, "accepted")
    # The browser reports the refused request itself ("Failed to load resource: … 409"):
    # that one is expected; nothing else may be.
    assert [e for e in page_log.errors if "status of 409" not in e] == []
    assert page_log.foreign_requests() == []
