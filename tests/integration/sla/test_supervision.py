"""督办 orders through the API: the level above issues one on a case, the holding unit's
staff and head are notified, the holding centre replies once (optimistic-locked), and the
open orders are listed within jurisdiction only."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from govgrid.timestamps import frozen_at
from tests.support.cases import ok, report, village_point
from tests.support.sla import handle_sla_notices, make_unit_head

T0 = dt.datetime(2025, 6, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday
DAY = dt.timedelta(days=1)
REASON = "该纠纷超期未化解，请于三日内报告进展"
ORDERS = "/api/v1/supervision-orders"


@pytest.fixture
def users(api_client_for):
    names = ("baonan.grid", "baonan.staff", "baokang.dispatcher", "menda.dispatcher",
             "county.staff")
    return {name: api_client_for(name) for name in names}


@pytest.fixture
def village_case(users, demo_county):
    """A 保南村 case reported and accepted at T0 (7 days to handle)."""
    with frozen_at(T0):
        case = report(users["baonan.grid"], village_point(demo_county))
        return ok(users["baonan.staff"], case, "accept")


@pytest.fixture
def grid_is_head(db_session):
    """The demo village has no 负责人: make its grid worker the unit head for the test."""
    make_unit_head(db_session, "baonan.grid")
    db_session.commit()  # into the test's outer transaction, visible to requests


def issue(client, case, reason=REASON, **body):
    return client.post(f"/api/v1/cases/{case['id']}/supervision-orders",
                       json={"reason": reason, **body})


def reply(client, order, text_="已组织双方再次调解，预计本周内达成协议", version=None):
    return client.post(f"{ORDERS}/{order['id']}/reply", json={
        "version": order["version"] if version is None else version, "reply": text_})


def kinds_for(client, case_id: str) -> list[str]:
    response = client.get("/api/v1/notifications", query_string={"page_size": 100})
    assert response.status_code == 200, response.json
    return [n["kind"] for n in response.json if n["case_id"] == case_id]


def test_township_supervises_an_overdue_village_case_and_the_village_is_told(
        app, db_session, users, village_case, grid_is_head):
    """Issued two days past due: overdue_days 2, reply due in the policy's 3 days, and the
    village staff and its head get a 督办 notification."""
    with frozen_at(T0 + 9 * DAY):
        issued = issue(users["baokang.dispatcher"], village_case)
    assert issued.status_code == 201, issued.json
    order = issued.json
    assert order["overdue_days"] == 2 and order["version"] == 1 and order["reply"] is None
    assert dt.datetime.fromisoformat(order["reply_due_at"]) == T0 + 12 * DAY
    assert order["target_unit_id"] == village_case["owner_unit_id"]

    handle_sla_notices(app, db_session, village_case["id"])
    assert kinds_for(users["baonan.staff"], village_case["id"]) == ["supervision"]
    assert kinds_for(users["baonan.grid"], village_case["id"]) == ["supervision"]  # the head
    assert kinds_for(users["baokang.dispatcher"], village_case["id"]) == []


def test_only_the_level_above_issues(users, village_case):
    """The village itself may not supervise its case (403), another township cannot see
    it (404), the county is not the level directly above (403); a blank reason is 422."""
    assert issue(users["baonan.staff"], village_case).status_code == 403
    assert issue(users["menda.dispatcher"], village_case).status_code == 404
    assert issue(users["county.staff"], village_case).status_code == 403
    blank = issue(users["baokang.dispatcher"], village_case, reason="  ")
    assert blank.status_code == 422 and "reason" in str(blank.json["errors"])


def test_the_village_replies_once_with_the_version(app, db_session, users, village_case):
    """The holding centre replies at the order's version: a stale version and a second
    reply are 409; the grid worker may not reply (403); the issuer is told."""
    order = issue(users["baokang.dispatcher"], village_case, reply_days=2).json
    assert reply(users["baonan.grid"], order).status_code == 403
    assert reply(users["baokang.dispatcher"], order).status_code == 403
    stale = reply(users["baonan.staff"], order, version=order["version"] + 1)
    assert stale.status_code == 409 and "他人修改" in stale.json["message"]

    answered = reply(users["baonan.staff"], order)
    assert answered.status_code == 200, answered.json
    assert answered.json["replied_at"] and answered.json["version"] == 2
    assert answered.json["reply"].startswith("已组织双方")
    again = reply(users["baonan.staff"], answered.json, text_="再次回复")
    assert again.status_code == 409 and "已回复" in again.json["message"]

    handle_sla_notices(app, db_session, village_case["id"])
    assert "supervision_reply" in kinds_for(users["baokang.dispatcher"], village_case["id"])


def test_open_orders_are_listed_within_jurisdiction(users, village_case):
    """GET supervision-orders: open orders the reader's jurisdiction covers; answered ones
    drop out; another township sees none of them."""
    order = issue(users["baokang.dispatcher"], village_case).json

    def open_ids(client, **query):
        response = client.get(ORDERS, query_string=query)
        assert response.status_code == 200, response.json
        return [o["id"] for o in response.json]

    assert order["id"] in open_ids(users["baokang.dispatcher"])
    assert order["id"] in open_ids(users["baonan.staff"])
    assert order["id"] in open_ids(users["county.staff"])
    assert order["id"] in open_ids(users["baokang.dispatcher"],
                                   unit_id=village_case["owner_unit_id"])
    assert order["id"] not in open_ids(users["baokang.dispatcher"],
                                       unit_id=order["issuing_unit_id"])
    assert order["id"] not in open_ids(users["menda.dispatcher"])
    assert users["menda.dispatcher"].get(
        f"/api/v1/cases/{village_case['id']}/supervision-orders").status_code == 404
    assert [o["id"] for o in users["baonan.staff"].get(
        f"/api/v1/cases/{village_case['id']}/supervision-orders").json] == [order["id"]]
    assert reply(users["menda.dispatcher"], order).status_code in (403, 404)

    assert reply(users["baonan.staff"], order).status_code == 200
    assert order["id"] not in open_ids(users["baokang.dispatcher"])
