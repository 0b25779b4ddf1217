"""Deadline state (正常 / 将到期 / 超期) of cases under a controllable clock: on the case,
in the list filters `deadline_state` and `overdue`, in `sort=due_at`, and across a
suspension (the clock stops and later runs on with the time that was left)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from govgrid.timestamps import frozen_at
from tests.support.cases import ok, report, village_point

T0 = dt.datetime(2025, 6, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday
H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
TAG = "时限状态测试"


@pytest.fixture
def point(demo_county):
    return village_point(demo_county)


@pytest.fixture
def grid(api_client_for):
    return api_client_for("baonan.grid")


@pytest.fixture
def staff(api_client_for):
    return api_client_for("baonan.staff")


def reported_at(client, point, moment: dt.datetime, title: str = TAG) -> dict:
    with frozen_at(moment):
        return report(client, point, title=title)


def state_at(client, case: dict, moment: dt.datetime) -> str | None:
    with frozen_at(moment):
        response = client.get(f"/api/v1/cases/{case['id']}")
    assert response.status_code == 200, response.json
    return response.json["deadline_state"]


def listed(client, moment: dt.datetime, **query: str) -> list[str]:
    """Ids of this module's cases the list returns at `moment` with the query."""
    with frozen_at(moment):
        response = client.get("/api/v1/cases", query_string={"q": TAG, "page_size": 100,
                                                              **query})
    assert response.status_code == 200, response.json
    return [c["id"] for c in response.json]


def test_acceptance_clock_is_normal_then_due_soon_then_overdue(grid, staff, point):
    """24 h to accept: normal at first, due soon in the last 20 % (from 19.2 h), overdue
    from 24 h."""
    case = reported_at(grid, point, T0)
    assert case["due_stage"] == "accept"
    assert dt.datetime.fromisoformat(case["due_at"]) == T0 + 24 * H
    assert dt.datetime.fromisoformat(case["due_soon_at"]) == T0 + dt.timedelta(hours=19.2)
    assert state_at(staff, case, T0 + dt.timedelta(minutes=1)) == "normal"
    assert state_at(staff, case, T0 + 19 * H) == "normal"
    assert state_at(staff, case, T0 + dt.timedelta(hours=19.2)) == "due_soon"
    assert state_at(staff, case, T0 + 23 * H) == "due_soon"
    assert state_at(staff, case, T0 + 24 * H) == "overdue"
    assert state_at(staff, case, T0 + 30 * DAY) == "overdue"


@pytest.fixture
def four_cases(grid, staff, point):
    """At T0+25 h: `late` (reported T0) is overdue, `soon` (T0+2 h) due soon, `fresh`
    (T0+20 h) normal, and `closed` (settled on the spot, followed up) has no clock."""
    late = reported_at(grid, point, T0)
    soon = reported_at(grid, point, T0 + 2 * H)
    fresh = reported_at(grid, point, T0 + 20 * H)
    with frozen_at(T0 + 3 * H):
        closed = report(grid, point, title=TAG)
        closed = ok(grid, closed, "resolve_on_spot", outcome="oral_agreement")
        closed = ok(staff, closed, "follow_up", satisfied=True)
    assert closed["state"] == "closed" and closed["due_at"] is None
    assert closed["deadline_state"] is None
    return {"late": late["id"], "soon": soon["id"], "fresh": fresh["id"],
            "closed": closed["id"]}


def test_list_filters_by_deadline_state(staff, four_cases):
    """deadline_state=overdue|due_soon|normal and overdue=true/false pick the right cases at
    the (frozen) moment of the request; cases with no clock match no deadline state."""
    now = T0 + 25 * H
    c = four_cases
    assert listed(staff, now, deadline_state="overdue") == [c["late"]]
    assert listed(staff, now, deadline_state="due_soon") == [c["soon"]]
    assert listed(staff, now, deadline_state="normal") == [c["fresh"]]
    assert listed(staff, now, overdue="true") == [c["late"]]
    assert set(listed(staff, now, overdue="false")) == {c["soon"], c["fresh"], c["closed"]}
    # An hour later the due-soon case is overdue too.
    assert set(listed(staff, now + 2 * H, deadline_state="overdue")) == {c["late"], c["soon"]}


def test_sort_by_due_at_puts_the_soonest_first_and_clockless_last(staff, four_cases):
    """sort=due_at: soonest due first, cases without a clock last; -due_at: latest first,
    still with the clock-less last."""
    c, now = four_cases, T0 + 25 * H
    assert listed(staff, now, sort="due_at") == [c["late"], c["soon"], c["fresh"], c["closed"]]
    assert listed(staff, now, sort="-due_at") == [c["fresh"], c["soon"], c["late"], c["closed"]]


@pytest.mark.parametrize("query", [{"sort": "title"}, {"sort": "due_at;drop"},
                                   {"deadline_state": "late"}, {"deadline_state": ""},
                                   {"overdue": "maybe"}])
def test_invalid_sort_or_deadline_state_is_400(staff, query):
    """Unknown sort orders and deadline states are refused with 400 and field errors."""
    response = staff.get("/api/v1/cases", query_string=query)
    assert response.status_code == 400, response.json
    assert set(query) <= set(response.json["errors"]["query"])


def test_suspension_stops_the_clock_and_resumption_restores_the_time_left(
        staff, grid, point):
    """Suspended two days into a 7-day mediation: no clock (state null, not overdue however
    long it waits); resumed: due five days after resumption."""
    case = reported_at(grid, point, T0)
    me = staff.get("/api/v1/session").json["id"]
    with frozen_at(T0 + H):
        case = ok(staff, case, "accept")
        case = ok(staff, case, "assign", mediator_id=me)
    assert dt.datetime.fromisoformat(case["due_at"]) == T0 + H + 7 * DAY
    with frozen_at(T0 + H + 2 * DAY):
        case = ok(staff, case, "suspend", reason="一方当事人住院")
    assert case["state"] == "suspended"
    assert case["due_at"] is None and case["due_stage"] is None
    assert state_at(staff, case, T0 + 30 * DAY) is None
    assert case["id"] not in listed(staff, T0 + 30 * DAY, overdue="true")
    assert case["id"] not in listed(staff, T0 + 30 * DAY, deadline_state="overdue")

    resumed_at = T0 + 20 * DAY
    with frozen_at(resumed_at):
        case = ok(staff, case, "resume")
    assert case["state"] == "mediating" and case["due_stage"] == "resolve"
    assert dt.datetime.fromisoformat(case["due_at"]) == resumed_at + 5 * DAY
    assert dt.datetime.fromisoformat(case["due_soon_at"]) == resumed_at + 4 * DAY
    assert state_at(staff, case, resumed_at + H) == "normal"
    assert state_at(staff, case, resumed_at + 4 * DAY + H) == "due_soon"
    assert state_at(staff, case, resumed_at + 5 * DAY) == "overdue"


def test_sort_by_due_at_puts_finished_cases_last_whatever_they_kept(staff, grid, point,
                                                                     four_cases):
    """A case rejected before any other was due has no running clock: it sorts with the
    clock-less cases (after every running one), not by the acceptance time it once had."""
    early = reported_at(grid, point, T0 - 5 * H)
    with frozen_at(T0 - 4 * H):
        rejected = ok(staff, early, "reject", reason="不属于矛盾纠纷")
    assert rejected["deadline_state"] is None
    c, now = four_cases, T0 + 25 * H
    order = listed(staff, now, sort="due_at")
    assert order[:3] == [c["late"], c["soon"], c["fresh"]]
    assert set(order[3:]) == {c["closed"], rejected["id"]}
    assert listed(staff, now, sort="-due_at")[:3] == [c["fresh"], c["soon"], c["late"]]


def test_a_case_back_in_reported_gets_a_fresh_acceptance_clock(api_client_for, staff,
                                                               point, db_session):
    """Pushed down to the village and returned to the township three days later: the
    township must accept it within 24 h of getting it back, not by the village's old
    handling due time."""
    from sqlalchemy import text

    township = api_client_for("baokang.dispatcher")
    village_id = db_session.execute(text(
        "SELECT id FROM units WHERE code = '150521100201'")).scalar_one()
    with frozen_at(T0):
        case = report(township, point, title=TAG, source="walk_in")
        case = ok(township, case, "push_down", target_unit_id=village_id)
    returned_at = T0 + 3 * DAY
    with frozen_at(returned_at):
        case = ok(staff, case, "return", reason="不属于本村管辖")
    assert case["state"] == "reported" and case["owner_level"] == "township"
    assert case["due_stage"] == "accept"
    assert dt.datetime.fromisoformat(case["due_at"]) == returned_at + 24 * H
    assert state_at(township, case, returned_at + H) == "normal"


def test_a_resubmitted_draft_gets_a_fresh_acceptance_clock(grid, staff, point):
    """Sent back to the reporter to complete and resubmitted two days later: the 24 h to
    accept run from the resubmission."""
    case = reported_at(grid, point, T0)
    with frozen_at(T0 + H):
        case = ok(staff, case, "return", reason="请补充当事人信息")
    assert case["state"] == "draft" and case["deadline_state"] is None
    resubmitted = T0 + 2 * DAY
    with frozen_at(resubmitted):
        case = ok(grid, case, "submit")
    assert case["state"] == "reported"
    assert dt.datetime.fromisoformat(case["due_at"]) == resubmitted + 24 * H
    assert state_at(staff, case, resubmitted + H) == "normal"
