"""Centre-console work driven through the browser, as a dispatcher clicks it, for e2e tests
to chain: each function starts on a page a person would be on and leaves the browser where
that person would be. The case page's forms are templates/cases_pages/_actions.html, sent
by static/js/case-actions.js, which reloads the page after each action."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.support.cases import village_point
from tests.support.live import reporter

SESSION_SUMMARY = "双方到场，核对宅基地使用证和界桩位置，被申请人承认院墙越界约半米"
AGREEMENT = {
    "facts": "申请人与被申请人系前后院邻居。被申请人翻建院墙时占用申请人宅基地约半米，双方"
             "多次发生争吵。",
    "terms": "一、被申请人于十日内拆除越界部分院墙，按原界桩位置重建；二、重建费用由被申请人"
             "承担；三、双方今后和睦相处。",
    "performance": "被申请人自行拆除并重建，村民委员会于期满次日现场确认。",
}


PARTIES = [{"name": "张建国", "role": "applicant", "id_number": "150521199001011231",
            "phone": "13812345678", "address": "保南村三组12号"},
           {"name": "李玉梅", "role": "respondent", "phone": "13947512345",
            "address": "保南村三组14号"}]


def fresh_case(page, live_server, demo_county, made_cases) -> dict:
    """A 0201 neighbour dispute the 保康镇 centre took in itself a moment ago (so it holds it)."""
    township = reporter(page, live_server, "baokang.dispatcher")
    case = township(village_point(demo_county), 30, category_code="0201", source="walk_in",
                    title="院墙越界占用宅基地纠纷", address="保南村三组12号",
                    description="张建国反映邻居李玉梅家翻建院墙时向其宅基地一侧越界约半米，"
                                "双方多次争吵，请求镇综治中心调解。",
                    people_involved=2, amount_involved="3000.00", parties=PARTIES)
    made_cases.append(case["id"])
    return case


@dataclass(frozen=True)
class Resolution:
    """What the flow did, for the caller to check against the database."""

    case_id: str
    mediator_id: int
    mediator_name: str
    agreement_number: str


def case_id_of(page: Any) -> str:
    return page.url.split("/cases/", 1)[1].split("?", 1)[0].split("/", 1)[0]


def wait_until_live(page: Any) -> None:
    """The page is loaded and its forms are wired (an unwired form would not be sent)."""
    page.wait_for_selector("#actions[data-ready]", state="attached")


def state_of(page: Any) -> str:
    return page.locator(".case-head .state").get_attribute("data-state")


def offered_actions(page: Any) -> list[str]:
    return page.locator("#actions details.action").evaluate_all(
        "items => items.map(item => item.dataset.action)")


def open_action(page: Any, action: str) -> Any:
    """Open the action's form (closing any other) and return it."""
    details = page.locator(f"#actions details.action[data-action='{action}']")
    details.locator("summary").click()
    form = details.locator("form.action-form")
    form.wait_for(state="visible")
    return form


def send(form: Any) -> None:
    form.locator("button[type=submit]").click()


def wait_for_state(page: Any, state: str) -> None:
    page.wait_for_selector(f".case-head .state[data-state='{state}']")
    wait_until_live(page)


def dispatch_to_resolution(page: Any,
                           on_step: Callable[[str], None] | None = None) -> Resolution:
    """From the open page of a reported case held by the user's centre (with its parties
    registered): accept it, assign the top-ranked suggested mediator, record a mediation
    session and resolve it with a written agreement, all by clicks. `on_step(action)` is
    called with each form filled in, just before it is sent (e.g. to take a screenshot)."""
    step = on_step or (lambda action: None)
    wait_until_live(page)
    assert state_of(page) == "reported", state_of(page)

    form = open_action(page, "accept")
    form.locator("textarea[name=note]").fill("经核实，情况属实，予以受理")
    step("accept")
    send(form)
    wait_for_state(page, "accepted")

    form = open_action(page, "assign")
    form.locator("[data-suggestions][data-ready]").wait_for(state="attached")
    top = form.locator(".suggestion[data-rank='1']")
    assert top.locator(".suggestion-parts li").count() >= 1  # the score is explained
    mediator_id = int(top.get_attribute("data-user-id"))
    mediator_name = top.locator(".suggestion-name").inner_text()
    top.locator("input[type=radio]").check()
    step("assign")
    send(form)
    wait_for_state(page, "mediating")
    assert mediator_name in page.locator("#facts [data-handler]").inner_text()

    form = open_action(page, "record_session")
    form.locator("textarea[name=summary]").fill(SESSION_SUMMARY)
    form.locator("input[name=place]").fill("保康镇综治中心调解室")
    form.locator("input[name=participants]").fill("张建国、李玉梅")
    step("record_session")
    send(form)
    page.locator("#mediation .session", has_text=SESSION_SUMMARY).wait_for()
    wait_until_live(page)

    form = open_action(page, "resolve")
    form.locator("select[name=outcome]").select_option("written_agreement")
    for name, text in AGREEMENT.items():
        form.locator(f"textarea[name={name}]").fill(text)
    step("resolve")
    send(form)
    wait_for_state(page, "resolved")
    number = page.locator("#mediation .agreement a").first.inner_text()
    return Resolution(case_id=case_id_of(page), mediator_id=mediator_id,
                      mediator_name=mediator_name, agreement_number=number)
