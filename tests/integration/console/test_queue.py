"""The centre console's queue (/console): new and overdue first, the filters of the case
list (dates as local days), pages, export links with the list's own query, 400 with the
reason on bad filters, and jurisdiction as everywhere. Time is frozen (timestamps.frozen_at),
so the deadline states are exact."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from govgrid.cases.models import Case
from govgrid.timestamps import frozen_at
from tests.support.cases import ok, report

T0 = dt.datetime(2025, 6, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday
NOW = T0 + dt.timedelta(hours=25)
H = dt.timedelta(hours=1)
TAG = "工作台队列测试"
OTHER_VILLAGE = "150521100202"  # in 保康镇, beside 保南村
ROW = re.compile(r'<tr data-case-id="([0-9a-f-]{36})"')


@pytest.fixture
def users(api_client_for):
    names = ("baonan.grid", "baonan.staff", "baokang.dispatcher", "menda.dispatcher",
             "baokang.mediator", "county.staff")
    return {name: api_client_for(name) for name in names}


def set_clock(db_session, case: dict, due_soon_at: dt.datetime, due_at: dt.datetime) -> None:
    """Put the case's running clock where the test needs it (committed: a savepoint)."""
    db_session.execute(update(Case).where(Case.id == uuid.UUID(case["id"]))
                       .values(due_soon_at=due_soon_at, due_at=due_at))
    db_session.commit()


@pytest.fixture
def crafted(users, cell_point, db_session):
    """At NOW (T0 + 25 h), by name: two overdue (an accepted one 2 h past due, a report 1 h
    past its 24 h to accept), two new reports (one of them already due soon), an accepted
    case due soon, two accepted cases running normally, and a rejected one."""
    grid, staff = users["baonan.grid"], users["baonan.staff"]

    def reported(hours: float, title: str, **fields):
        with frozen_at(T0 + hours * H):
            return report(grid, cell_point, title=f"{TAG} {title}", **fields)

    cases = {name: reported(0, name) for name in
             ("late_accepted", "late", "soon", "normal_a", "normal_b", "finished")}
    cases["fresh_soon"] = reported(4, "fresh_soon")
    cases["fresh"] = reported(20, "fresh")
    with frozen_at(T0 + H):
        for name in ("late_accepted", "soon", "normal_a", "normal_b"):
            cases[name] = ok(staff, cases[name], "accept")
        cases["finished"] = ok(staff, cases["finished"], "reject", reason="不属于受理范围")
    set_clock(db_session, cases["late_accepted"], NOW - 5 * H, NOW - 2 * H)
    set_clock(db_session, cases["soon"], NOW - H, NOW + 3 * H)
    set_clock(db_session, cases["normal_a"], NOW + 24 * H, NOW + 48 * H)
    set_clock(db_session, cases["normal_b"], NOW + 96 * H, NOW + 120 * H)
    return cases


QUEUE_ORDER = ["late_accepted", "late", "fresh_soon", "fresh", "soon", "normal_a", "normal_b"]


def page_ids(client, **query) -> list[str]:
    with frozen_at(NOW):
        response = client.get("/console", query_string={"q": TAG, **query})
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return ROW.findall(response.get_data(as_text=True))


def names(cases: dict, ids: list[str]) -> list[str]:
    by_id = {case["id"]: name for name, case in cases.items()}
    return [by_id[i] for i in ids if i in by_id]


def test_overdue_then_new_then_due_soon_then_the_rest(users, crafted):
    dispatcher = users["baokang.dispatcher"]
    assert names(crafted, page_ids(dispatcher)) == QUEUE_ORDER
    # The list API in the same order (sort=queue), so exports and maps can follow it.
    with frozen_at(NOW):
        listed = dispatcher.get("/api/v1/cases", query_string={
            "q": TAG, "sort": "queue", "open": "true", "page_size": 100}).json
    assert names(crafted, [c["id"] for c in listed]) == QUEUE_ORDER
    # Four hours later `fresh_soon` and `soon` (both due at T0 + 28 h) are overdue as well:
    # the order follows the clock of the moment the list is read.
    with frozen_at(T0 + 29 * H):
        later = dispatcher.get("/console", query_string={"q": TAG})
    order = names(crafted, ROW.findall(later.get_data(as_text=True)))
    assert order[:2] == ["late_accepted", "late"]
    assert set(order[2:4]) == {"fresh_soon", "soon"}
    assert order[4:] == ["fresh", "normal_a", "normal_b"]


def test_finished_cases_only_when_asked(users, crafted):
    dispatcher = users["baokang.dispatcher"]
    assert "finished" not in names(crafted, page_ids(dispatcher))
    everything = names(crafted, page_ids(dispatcher, state="all"))
    assert everything == QUEUE_ORDER + ["finished"]  # no clock: last
    assert names(crafted, page_ids(dispatcher, state="rejected")) == ["finished"]


def test_rows_show_the_case_at_a_glance(users, crafted):
    with frozen_at(NOW):
        html = users["baokang.dispatcher"].get(
            "/console", query_string={"q": TAG, "deadline_state": "overdue"}
        ).get_data(as_text=True)
    late = crafted["late"]
    assert f'href="/cases/{late["id"]}"' in html
    assert f"{TAG} late" in html and "宅基地纠纷" in html and "一般" in html
    assert "保康镇 保南村" in html  # place: township and village
    assert "已上报" in html and "已受理" in html  # the two overdue cases' states
    assert 'class="badge deadline-overdue"' in html and "超期" in html
    # The countdown of the case page (countdown.js), with the server's clock.
    assert f'data-due-at="{(T0 + 24 * H).astimezone(dt.UTC).isoformat()}"' in html
    assert f'data-server-now="{NOW.astimezone(dt.UTC).isoformat()}"' in html
    assert "2025-06-02 09:00" in html  # reported, in Asia/Shanghai


FILTERED = [
    ({"deadline_state": "overdue"}, ["late_accepted", "late"]),
    ({"deadline_state": "due_soon"}, ["fresh_soon", "soon"]),
    ({"deadline_state": "normal"}, ["fresh", "normal_a", "normal_b"]),
    ({"state": "reported"}, ["late", "fresh_soon", "fresh"]),
    ({"state": "accepted", "deadline_state": "overdue"}, ["late_accepted"]),
    ({"level": "village"}, QUEUE_ORDER),
    ({"level": "township"}, []),
    ({"unit": "150521100201"}, QUEUE_ORDER),
    ({"unit": OTHER_VILLAGE}, []),
    ({"category": "02"}, QUEUE_ORDER),
    ({"category": "0101"}, []),
    ({"severity": "general"}, QUEUE_ORDER),
    ({"severity": "major"}, []),
    # Local days (Asia/Shanghai): `fresh` was reported at 05:00 on the 3rd, which is still
    # the 2nd in UTC; "until" includes its whole day.
    ({"reported_to": "2025-06-02"}, ["late_accepted", "late", "fresh_soon", "soon",
                                     "normal_a", "normal_b"]),
    ({"reported_from": "2025-06-03"}, ["fresh"]),
    ({"reported_from": "2025-06-02", "reported_to": "2025-06-02", "state": "reported"},
     ["late", "fresh_soon"]),
]


def test_filters(users, crafted):
    """Each filter on the same crafted cases (one set of cases for all: reporting is the
    slow part)."""
    for query, expected in FILTERED:
        assert names(crafted, page_ids(users["baokang.dispatcher"], **query)) == expected, query


def test_more_filters_and_text(users, crafted, cell_point):
    dispatcher = users["baokang.dispatcher"]
    with frozen_at(T0):
        urgent = report(users["baonan.grid"], cell_point, title=f"{TAG} 紧急",
                        is_urgent=True, severity="serious")
        divorce = report(users["baonan.grid"], cell_point, title=f"{TAG} 离婚",
                         category_code="0101")
        held = report(dispatcher, cell_point, title=f"{TAG} 镇受理", source="walk_in")
        elsewhere = dispatcher.post("/api/v1/cases", json={
            "category_code": "0201", "title": f"{TAG} 邻村", "source": "walk_in",
            "unit_code": OTHER_VILLAGE}).json
    assert page_ids(dispatcher, urgent="true") == [urgent["id"]]
    assert page_ids(dispatcher, severity="serious") == [urgent["id"]]
    assert page_ids(dispatcher, category="0101") == [divorce["id"]]
    assert set(page_ids(dispatcher, level="township")) == {held["id"], elsewhere["id"]}
    assert page_ids(dispatcher, unit=OTHER_VILLAGE) == [elsewhere["id"]]
    assert page_ids(dispatcher, q=f"{TAG} 离婚") == [divorce["id"]]
    assert page_ids(dispatcher, q="没有这样的标题") == []


def test_pages_keep_the_filters(users, crafted, monkeypatch):
    from govgrid.console import queue

    monkeypatch.setattr(queue, "PAGE_SIZE", 3)
    dispatcher = users["baokang.dispatcher"]
    assert names(crafted, page_ids(dispatcher)) == QUEUE_ORDER[:3]
    assert names(crafted, page_ids(dispatcher, page="2")) == QUEUE_ORDER[3:6]
    assert names(crafted, page_ids(dispatcher, page="3")) == QUEUE_ORDER[6:]
    with frozen_at(NOW):
        html = dispatcher.get("/console", query_string={"q": TAG, "state": "reported",
                                                        "page": "1"}).get_data(as_text=True)
    assert "第 1 / 1 页" not in html  # one page: no pager
    with frozen_at(NOW):
        html = dispatcher.get("/console", query_string={"q": TAG}).get_data(as_text=True)
    nxt = re.search(r'href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(nxt).query) == {"q": [TAG], "page": ["2"]}


def test_export_links_carry_the_lists_query(users, crafted):
    with frozen_at(NOW):
        html = users["baokang.dispatcher"].get("/console", query_string={
            "q": TAG, "deadline_state": "overdue", "reported_from": "2025-06-02",
            "urgent": "true"}).get_data(as_text=True)
    for kind in ("xlsx", "csv"):
        href = re.search(rf'id="export-{kind}" href="([^"]+)"', html).group(1)
        href = href.replace("&amp;", "&")
        assert href.startswith("/api/v1/cases/export?")
        query = {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}
        assert query == {"format": kind, "q": TAG, "deadline_state": "overdue",
                         "reported_from": "2025-06-02T00:00:00+08:00", "urgent": "true",
                         "open": "true", "sort": "queue"}
    # The export answers with the queue's cases (the endpoint takes the list's query).
    with frozen_at(NOW):
        html = users["baokang.dispatcher"].get("/console", query_string={
            "q": TAG, "deadline_state": "overdue"}).get_data(as_text=True)
        href = re.search(r'id="export-csv" href="([^"]+)"', html).group(1)
        exported = users["baokang.dispatcher"].get(href.replace("&amp;", "&"))
    assert exported.status_code == 200, exported.get_data(as_text=True)[:500]
    text = exported.get_data(as_text=True)
    assert f"{TAG} late" in text and f"{TAG} fresh" not in text
    # The map asks the points endpoint with the very same filters.
    points = re.search(r'"pointsUrl": "([^"]+)"', html).group(1)
    assert unquote(points).startswith("/api/v1/cases/points?")
    assert "deadline_state=overdue" in points and "sort=queue" in points


@pytest.mark.parametrize("query", [
    {"reported_from": "2025-02-30"}, {"reported_to": "02/06/2025"},
    {"reported_to": "9999-12-31"}, {"state": "nope"}, {"deadline_state": "late"},
    {"category": "2"}, {"unit": "15052110"}, {"level": "province"}, {"urgent": "perhaps"},
    {"handler": "x"}, {"handler": "99999999999"}, {"page": "0"}, {"page": "²"},
    {"page": "10000000"}, {"q": "x" * 101},
])
def test_bad_filters_are_400_with_the_reason(users, query):
    response = users["baokang.dispatcher"].get("/console", query_string=query)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="queue-errors"' in html and 'role="alert"' in html
    assert 'id="queue-map"' not in html and 'id="export-csv"' not in html


def test_a_bad_date_names_the_field_and_the_format(users):
    html = users["baokang.dispatcher"].get(
        "/console?reported_from=2025-02-30").get_data(as_text=True)
    assert "reported_from" in html and "YYYY-MM-DD" in html
    assert 'value="2025-02-30"' in html  # shown back in its field, to be corrected


def test_jurisdiction_and_roles(users, crafted):
    assert page_ids(users["menda.dispatcher"]) == []
    assert names(crafted, page_ids(users["baonan.staff"])) == QUEUE_ORDER
    assert names(crafted, page_ids(users["county.staff"])) == QUEUE_ORDER
    for name in ("baonan.grid", "baokang.mediator"):
        for path in ("/console", "/console/workload"):
            assert users[name].get(path).status_code == 403, (name, path)


def test_header_links_to_the_console_for_centre_staff_only(users):
    for name, shown in (("baokang.dispatcher", True), ("baonan.staff", True),
                        ("county.staff", True), ("baonan.grid", False),
                        ("baokang.mediator", False)):
        html = users[name].get("/notifications").get_data(as_text=True)
        assert ('href="/console"' in html) is shown, name
