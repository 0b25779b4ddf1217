"""The mediator workload board (/console/workload): each mediator's cases in hand by state,
overdue and due soon, sessions held and cases resolved in the last 30 days, on crafted cases
under a frozen clock; one SQL statement; every figure links to exactly the cases behind it."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select, update

from govgrid.auth.models import User
from govgrid.auth.scope import unscoped
from govgrid.cases.models import Case, CaseAssignment
from govgrid.timestamps import frozen_at
from tests.support.cases import ok, report

T0 = dt.datetime(2025, 6, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday
NOW = T0 + dt.timedelta(days=2)
H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
TAG = "工作量测试"
ROW = re.compile(r'<tr data-case-id="([0-9a-f-]{36})"')


@pytest.fixture
def users(api_client_for):
    names = ("baokang.dispatcher", "baokang.mediator", "menda.dispatcher", "county.staff",
             "baonan.staff")
    return {name: api_client_for(name) for name in names}


def user_id(db_session, username: str) -> int:
    return db_session.execute(select(User.id).where(User.username == username)
                              .execution_options(**unscoped())).scalar_one()


def set_case(db_session, case: dict, **values) -> None:
    db_session.execute(update(Case).where(Case.id == uuid.UUID(case["id"])).values(**values))
    db_session.commit()


@pytest.fixture
def crafted(users, cell_point, db_session):
    """保康镇's mediator at NOW: `accepted` (handed over by an assignment only), `overdue`,
    `due_soon` and `normal` being mediated (one session on `normal` this month and one 40
    days ago), `suspended`, `resolved` two days ago and `resolved_long_ago` (40 days)."""
    dispatcher, mediator = users["baokang.dispatcher"], users["baokang.mediator"]
    mediator_id = user_id(db_session, "baokang.mediator")
    cases = {}
    with frozen_at(T0):
        for name in ("accepted", "overdue", "due_soon", "normal", "suspended", "resolved",
                     "resolved_long_ago"):
            case = report(dispatcher, cell_point, title=f"{TAG} {name}", source="walk_in")
            case = ok(dispatcher, case, "accept")
            if name != "accepted":
                case = ok(dispatcher, case, "assign", mediator_id=mediator_id)
            cases[name] = case
        cases["normal"] = ok(mediator, cases["normal"], "record_session",
                             summary="双方到场，初步沟通", held_at=(T0 + H).isoformat())
        cases["normal"] = ok(mediator, cases["normal"], "record_session",
                             summary="补记：早前的一次走访", held_at=(T0 - 40 * DAY).isoformat())
        cases["suspended"] = ok(mediator, cases["suspended"], "suspend", reason="当事人住院")
        for name in ("resolved", "resolved_long_ago"):
            cases[name] = ok(mediator, cases[name], "resolve", outcome="terminated",
                             routes_explained=True, note="已告知诉讼途径")
    case_id = uuid.UUID(cases["accepted"]["id"])
    county_id = db_session.execute(select(Case.county_id).where(Case.id == case_id)
                                   .execution_options(**unscoped())).scalar_one()
    db_session.execute(insert(CaseAssignment).values(
        county_id=county_id, case_id=case_id, user_id=mediator_id, kind="handler"))
    db_session.commit()
    set_case(db_session, cases["overdue"], due_soon_at=NOW - 3 * H, due_at=NOW - H)
    set_case(db_session, cases["due_soon"], due_soon_at=NOW - H, due_at=NOW + 5 * H)
    set_case(db_session, cases["resolved_long_ago"], resolved_at=NOW - 40 * DAY)
    # Someone else's case in the same township is nobody's figure here.
    with frozen_at(T0):
        other = ok(dispatcher, report(dispatcher, cell_point, title=f"{TAG} 他人",
                                      source="walk_in"), "accept")
        ok(dispatcher, other, "assign", mediator_id=user_id(db_session, "baokang.dispatcher"))
    return cases


EXPECTED = {"active_cases": 5, "accepted": 1, "mediating": 3, "suspended": 1, "overdue": 1,
            "due_soon": 1, "sessions": 1, "resolved": 1}


def board_rows(principal, sort="overdue"):
    from govgrid.auth.principal import acting_as
    from govgrid.console import workload

    with acting_as(principal), frozen_at(NOW):
        rows, since = workload.board(sort)
    return {row.username: row for row in rows}, since


def test_the_figures_on_crafted_cases(app, crafted, principal_of):
    with app.app_context():
        rows, since = board_rows(principal_of("baokang.dispatcher"))
    row = rows["baokang.mediator"]
    assert {key: getattr(row, key) for key in EXPECTED} == EXPECTED
    assert row.max_active_cases == 10 and row.unit_name == "保康镇"
    # Whole local days: from midnight 29 days before today (Asia/Shanghai).
    assert since == dt.datetime(2025, 5, 6, tzinfo=ZoneInfo("Asia/Shanghai"))
    # The same figures for the county, which reads the whole county.
    with app.app_context():
        county, _ = board_rows(principal_of("county.staff"))
    assert {key: getattr(county["baokang.mediator"], key) for key in EXPECTED} == EXPECTED


def test_one_statement(app, crafted, principal_of, count_queries):
    principal = principal_of("baokang.dispatcher")
    with app.app_context(), count_queries() as counter:
        rows, _ = board_rows(principal)
    assert counter.count == 1, counter.statements
    assert "FILTER (WHERE" in counter.statements[0] and "LATERAL" in counter.statements[0]


def test_only_ones_own_mediators(app, crafted, principal_of):
    with app.app_context():
        township, _ = board_rows(principal_of("baokang.dispatcher"))
        menda, _ = board_rows(principal_of("menda.dispatcher"))
        county, _ = board_rows(principal_of("county.staff"))
    assert set(township) == {"baokang.mediator"}
    assert "baokang.mediator" not in menda and {"menda.mediator2", "menda.mediator3"} <= set(menda)
    assert set(township) | set(menda) <= set(county)


def test_every_figure_links_to_the_cases_behind_it(users, crafted):
    dispatcher = users["baokang.dispatcher"]
    with frozen_at(NOW):
        html = dispatcher.get("/console/workload").get_data(as_text=True)
    row = re.search(r'<tr data-username="baokang.mediator".*?</tr>', html, re.S).group(0)
    expected_cases = {
        "active": {"accepted", "overdue", "due_soon", "normal", "suspended"},
        "accepted": {"accepted"}, "mediating": {"overdue", "due_soon", "normal"},
        "suspended": {"suspended"}, "overdue": {"overdue"}, "due_soon": {"due_soon"},
        "resolved": {"resolved"},
    }
    by_id = {case["id"]: name for name, case in crafted.items()}
    for field, names in expected_cases.items():
        cell = re.search(rf'data-field="{field}">\s*<a href="([^"]+)">(\d+)</a>', row)
        assert cell, field
        href, figure = cell.group(1).replace("&amp;", "&"), int(cell.group(2))
        with frozen_at(NOW):
            queue = dispatcher.get(href)
        assert queue.status_code == 200, (field, href)
        listed = {by_id.get(i, i) for i in ROW.findall(queue.get_data(as_text=True))}
        assert listed == names and figure == len(names), (field, href, listed)
    assert 'data-field="sessions">1</td>' in row


def test_sorting(app, db_session, crafted, principal_of, users):
    from govgrid.cases.records import MediatorProfile
    from govgrid.geo.models import Unit

    unit = db_session.execute(select(Unit).where(Unit.code == "150521100000")
                              .execution_options(**unscoped())).scalar_one()
    idle = db_session.execute(insert(User).values(
        county_id=unit.county_id, unit_id=unit.id, username="t.idle", display_name="阿闲",
        role="mediator", password_hash="x", is_active=True).returning(User.id)).scalar()
    db_session.commit()
    with app.app_context():
        principal = principal_of("baokang.dispatcher")
        by_overdue = list(board_rows(principal, "overdue")[0])
        by_name = list(board_rows(principal, "name")[0])
        rows, _ = board_rows(principal)
    assert by_overdue == ["baokang.mediator", "t.idle"]
    assert by_name == sorted(by_name, key=lambda n: rows[n].display_name)
    assert rows["t.idle"].max_active_cases is None  # not in the registry: still listed
    assert db_session.execute(select(MediatorProfile).where(MediatorProfile.user_id == idle)
                              .execution_options(**unscoped())).first() is None
    with frozen_at(NOW):
        page = users["baokang.dispatcher"].get("/console/workload?sort=name")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    shown = [rows[n].display_name for n in by_name]
    assert html.index(shown[0]) < html.index(shown[1])
    assert 'aria-sort="ascending"' in html


def test_a_bad_sort_is_400(users):
    response = users["baokang.dispatcher"].get("/console/workload?sort=salary")
    assert response.status_code == 400
    assert 'role="alert"' in response.get_data(as_text=True)
