"""The case page as a centre console's working page: exactly the actions the reader may take
(the API's `available_actions`, one form each, with the fields the workflow requires), the
case's facts in Beijing time, parties masked as the API masks them, attachments through the
access-checked route, mediation sessions and printable agreements."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from govgrid.timestamps import frozen_at
from tests.integration.cases.test_attachments import png_2x2
from tests.support.cases import ok, report

APPLICANT_ID = "150521199001011231"
PARTIES = [{"name": "张建国", "role": "applicant", "id_number": APPLICANT_ID,
            "phone": "13812345678", "address": "保南村三组12号"},
           {"name": "李玉梅", "role": "respondent", "phone": "13947512345"}]
ACTION = re.compile(r'<details class="action[^"]*" data-action="([a-z_]+)"')


def page(client, case_id: str) -> str:
    response = client.get(f"/cases/{case_id}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def offered(client, case_id: str) -> set[str]:
    return set(ACTION.findall(page(client, case_id)))


def api_actions(client, case_id: str) -> set[str]:
    return set(client.get(f"/api/v1/cases/{case_id}").json["available_actions"])


def form_html(html: str, action: str) -> str:
    start = html.index('<details class="action')
    start = html.index(f'data-action="{action}"', start)
    return html[start:html.index("</details>", start)]


@pytest.fixture
def dispatcher(api_client_for):
    return api_client_for("baokang.dispatcher")


def township_report(dispatcher, point) -> dict:
    """A case the 保康镇 centre took in itself (so the township holds it), with two parties."""
    return report(dispatcher, point, source="walk_in", parties=PARTIES,
                  description="翻建院墙占用邻居宅基地约半米", people_involved=2,
                  amount_involved="3000.00")


@pytest.fixture
def township_case(dispatcher, cell_point):
    return township_report(dispatcher, cell_point)


def test_dispatcher_is_offered_exactly_what_the_api_allows(dispatcher, township_case):
    actions = offered(dispatcher, township_case["id"])
    assert "accept" in actions
    assert actions == api_actions(dispatcher, township_case["id"])
    # …and each form in the user's language, with the version the page read.
    html = page(dispatcher, township_case["id"])
    assert ">受理</summary>" in html and ">不予受理</summary>" in html
    assert f'data-version="{township_case["version"]}"' in html
    assert 'name="reason"' in form_html(html, "reject")
    assert "required" in form_html(html, "reject")  # 不予受理 needs its reason
    assert "required" not in form_html(html, "accept")  # a note is optional


def test_grid_worker_sees_none_of_the_dispatchers_actions(api_client_for, dispatcher,
                                                          township_case, cell_point):
    grid = api_client_for("baonan.grid")
    html = page(grid, township_case["id"])  # in the grid worker's cell: readable
    assert ACTION.findall(html) == [] and "data-no-actions" in html
    assert 'src="/static/js/case-actions.js"' not in html  # nothing to send, no script
    # On their own report the grid worker may settle it on the spot, the dispatcher only
    # pull it up to the township: the two never see each other's actions.
    own = report(grid, cell_point)
    assert offered(grid, own["id"]) == api_actions(grid, own["id"]) == {"resolve_on_spot"}
    assert offered(dispatcher, own["id"]) == api_actions(dispatcher, own["id"]) == {"pull_up"}


def test_actions_follow_the_case_through_its_states(dispatcher, township_case):
    case = ok(dispatcher, township_case, "accept")
    html = page(dispatcher, case["id"])
    assert set(ACTION.findall(html)) == api_actions(dispatcher, case["id"])
    assign = form_html(html, "assign")
    assert "data-suggestions" in assign  # the ranked suggestions load into it
    assert f'/api/v1/cases/{case["id"]}/mediator-suggestions' in html
    case = ok(dispatcher, case, "assign", mediator_id=dispatcher.get(
        f"/api/v1/cases/{case['id']}/mediator-suggestions").json[0]["mediator"]["user_id"])
    html = page(dispatcher, case["id"])
    assert {"record_session", "resolve", "escalate"} <= set(ACTION.findall(html))
    assert set(ACTION.findall(html)) == api_actions(dispatcher, case["id"])
    resolve = form_html(html, "resolve")
    assert re.search(r'<select id="action-resolve-outcome" name="outcome"[^>]*required', resolve)
    # The agreement's fields wait for "written agreement" and are required while the case
    # has no agreement yet.
    assert 'data-shown-when="outcome=written_agreement"' in resolve
    assert re.search(r'name="facts" data-group="agreement"[^>]*required', resolve)
    assert 'data-field="summary"' in form_html(html, "record_session")


def test_parties_are_masked_for_those_who_do_not_handle_the_case(api_client_for, dispatcher,
                                                                 township_case):
    county = page(api_client_for("county.staff"), township_case["id"])
    assert "150521********1231" in county and "138****5678" in county
    assert APPLICANT_ID not in county and "13812345678" not in county
    assert "data-unmask-url" not in county  # not theirs to unmask
    # The holding centre handles the case: still masked on the page, but it may unmask
    # (through the audited API).
    held = page(dispatcher, township_case["id"])
    assert "150521********1231" in held and APPLICANT_ID not in held
    assert "/unmask" in held


def test_facts_sessions_agreements_and_attachments(app, dispatcher, cell_point, tmp_path):
    app.config["FILES_DIR"], saved = str(tmp_path), app.config["FILES_DIR"]
    try:
        with frozen_at(dt.datetime(2026, 3, 12, 1, 30, tzinfo=dt.UTC)):
            case = township_report(dispatcher, cell_point)
            case_id = case["id"]
            case = ok(dispatcher, case, "accept")
            case = ok(dispatcher, case, "assign", mediator_id=dispatcher.get(
                "/api/v1/cases/" + case_id + "/mediator-suggestions").json[0]["mediator"]
                ["user_id"])
            case = ok(dispatcher, case, "record_session", summary="双方到场核对界桩位置",
                      place="保康镇综治中心调解室", participants=["张建国", "李玉梅"],
                      held_at="2026-03-12T14:00:00+08:00")
            made = dispatcher.post(f"/api/v1/cases/{case_id}/agreements", json={
                "facts": "越界约半米", "terms": "十日内拆除越界部分", "performance": "自行拆除",
                "signed_on": "2026-03-12"})
            assert made.status_code == 201, made.json
            uploaded = dispatcher.post(f"/api/v1/cases/{case_id}/attachments", data={
                "file": (io.BytesIO(png_2x2()), "现场照片.png")},
                content_type="multipart/form-data")
            assert uploaded.status_code == 201, uploaded.json
            html = page(dispatcher, case_id)
    finally:
        app.config["FILES_DIR"] = saved
    assert "翻建院墙占用邻居宅基地约半米" in html and "3000.00" in html
    # Reported at 01:30 UTC, shown in Beijing time.
    assert re.search(r"data-reported>2026-03-12 09:30", html)
    assert "双方到场核对界桩位置" in html and "2026-03-12 14:00" in html
    assert "张建国、李玉梅" in html
    number = made.json["number"]
    assert number in html and made.json["print_url"] in html
    content = uploaded.json["content_url"]
    assert f'<img src="{content}"' in html and "现场照片.png" in html
    # With an agreement on record, resolving does not ask for another one.
    resolve = form_html(html, "resolve")
    assert number in resolve
    assert not re.search(r'name="facts" data-group="agreement"[^>]*required', resolve)
