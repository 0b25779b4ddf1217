"""The case list's `mine` filter (我上报的): one's own reports only, and never more than
jurisdiction already allows."""

from __future__ import annotations

import pytest

from tests.support.cases import report

LIST = "/api/v1/cases?page_size=100"


@pytest.fixture
def users(api_client_for):
    names = ("baonan.grid", "baonan.staff", "county.staff", "menda.dispatcher")
    return {name: api_client_for(name) for name in names}


def listed(client, query=""):
    response = client.get(LIST + query)
    assert response.status_code == 200, response.json
    return response.json


def test_each_reporter_sees_only_their_own_with_mine(users, cell_point):
    grid, staff = users["baonan.grid"], users["baonan.staff"]
    by_grid = {report(grid, cell_point, title="网格员上报")["id"] for _ in range(2)}
    by_staff = {report(staff, cell_point, title="工作站上报", source="walk_in")["id"]}
    grid_id = grid.get("/api/v1/session").json["id"]
    staff_id = staff.get("/api/v1/session").json["id"]

    mine = listed(grid, "&mine=true")
    assert by_grid <= {c["id"] for c in mine} and not by_staff & {c["id"] for c in mine}
    assert {c["reporter_id"] for c in mine} == {grid_id}
    mine = listed(staff, "&mine=true")
    assert by_staff <= {c["id"] for c in mine} and not by_grid & {c["id"] for c in mine}
    assert {c["reporter_id"] for c in mine} == {staff_id}

    # Without it (or with false) scoping is as before: both read all three (the staff's
    # report lies in the grid worker's cell).
    for client in (grid, staff):
        for query in ("", "&mine=false"):
            assert by_grid | by_staff <= {c["id"] for c in listed(client, query)}, query
    # Someone who reported none of them: none with mine, all without it.
    county = users["county.staff"]
    assert not (by_grid | by_staff) & {c["id"] for c in listed(county, "&mine=true")}
    assert by_grid | by_staff <= {c["id"] for c in listed(county)}
    # Outside the jurisdiction, mine changes nothing either.
    assert not (by_grid | by_staff) & {c["id"] for c in listed(users["menda.dispatcher"])}


def test_mine_combines_with_the_other_filters(users, cell_point):
    grid = users["baonan.grid"]
    urgent = report(grid, cell_point, title="紧急上报", is_urgent=True, severity="serious")
    plain = report(grid, cell_point, title="一般上报")
    ids = {c["id"] for c in listed(grid, "&mine=true&urgent=true")}
    assert urgent["id"] in ids and plain["id"] not in ids
    assert listed(grid, "&mine=true&q=一般上报")[0]["id"] == plain["id"]


def test_mine_must_be_a_boolean(users):
    response = users["baonan.grid"].get("/api/v1/cases?mine=perhaps")
    assert response.status_code == 400
    assert "mine" in response.json["errors"]["query"]
