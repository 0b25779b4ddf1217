"""The category dictionary through the API: both levels in one flat list, names in the
request's language, inactive and other counties' categories left out, the urgent-clock flag
following the county's policy, login required."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select, text

from govgrid.auth.scope import unscoped
from govgrid.cases.categories import read_taxonomy
from govgrid.cases.models import Category
from govgrid.geo.models import Unit

URL = "/api/v1/categories"


@pytest.fixture
def grid(api_client_for):
    return api_client_for("baonan.grid")


def by_code(response) -> dict[str, dict]:
    assert response.status_code == 200, response.json
    return {c["code"]: c for c in response.json}


def test_both_levels_in_code_order_with_chinese_names(grid):
    response = grid.get(URL)
    listed = by_code(response)
    codes = [c["code"] for c in response.json]
    assert codes == sorted(codes)
    taxonomy = read_taxonomy()
    assert set(listed) == ({t["code"] for t in taxonomy}
                           | {c["code"] for t in taxonomy for c in t["children"]})
    assert listed["02"] == {"code": "02", "name": "邻里纠纷", "parent_code": None,
                            "default_severity": None, "urgent_clock": False}
    assert listed["0201"]["name"] == "相邻通行纠纷" and listed["0201"]["parent_code"] == "02"
    assert listed["0103"]["default_severity"] == "major"
    for entry in response.json:  # every child's parent is listed, as a top-level entry
        if entry["parent_code"] is not None:
            assert len(entry["code"]) == 4 and entry["code"].startswith(entry["parent_code"])
            assert listed[entry["parent_code"]]["parent_code"] is None


@pytest.mark.parametrize("request_args", [
    {"headers": {"Accept-Language": "en"}},
    {"query_string": {"lang": "en"}},
], ids=["accept-language", "lang"])
def test_english_names_on_request(grid, request_args):
    listed = by_code(grid.get(URL, **request_args))
    assert listed["02"]["name"] == "Neighbours"
    assert listed["23"]["name"] == "Signs of mass incidents"
    assert listed["0201"]["name"] == "Right of way"


def test_a_browser_preferring_chinese_gets_chinese(grid):
    listed = by_code(grid.get(URL, headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}))
    assert listed["02"]["name"] == "邻里纠纷"


def test_inactive_categories_are_left_out(grid, db_session):
    db_session.execute(text("UPDATE case_categories SET is_active = false "
                            "WHERE code IN ('0102', '17')"))
    listed = by_code(grid.get(URL))
    assert "0102" not in listed and "17" not in listed
    assert "0101" in listed and "1701" in listed  # only the rows marked inactive


def test_a_countys_own_categories_are_listed_to_its_people_only(grid, db_session):
    county_id = db_session.execute(
        select(Unit.id).where(Unit.code == "150521000000").execution_options(**unscoped())
    ).scalar_one()
    parent_id = db_session.execute(select(Category.id).where(Category.code == "99")).scalar_one()
    db_session.execute(insert(Category).values(
        county_id=county_id, parent_id=parent_id, code="9951", name="旗县自设类别",
        name_en="County's own", departments=[], weight=0.0, dedup_radius_m=300,
        is_active=True))
    assert by_code(grid.get(URL))["9951"]["name"] == "旗县自设类别"
    # Another county's category is not this county's dictionary (any unit id other than the
    # demo county's stands for another county here).
    db_session.execute(text("UPDATE case_categories SET county_id = (SELECT id FROM units "
                            "WHERE level = 'township' LIMIT 1) WHERE code = '9951'"))
    assert "9951" not in by_code(grid.get(URL))


def test_urgent_clock_follows_the_countys_policy(grid, api_client_for):
    listed = by_code(grid.get(URL))
    watched = {code for code, entry in listed.items() if entry["urgent_clock"]}
    assert watched == {code for code in listed if code[:2] in {"16", "20", "21", "23"}}
    staff = api_client_for("county.staff")
    version = staff.get("/api/v1/deadline-policy").json["version"]
    changed = staff.put("/api/v1/deadline-policy", json={
        "version": version, "policy": {"urgent": {"categories": ["05", "1601"]}}})
    assert changed.status_code == 200, changed.json
    watched = {code for code, entry in by_code(grid.get(URL)).items() if entry["urgent_clock"]}
    assert watched == {code for code in listed if code.startswith(("05", "1601"))}
    assert "16" not in watched  # the group itself is not 1601


def test_private_cache_for_five_minutes(grid):
    response = grid.get(URL)
    assert response.headers["Cache-Control"] == "private, max-age=300"
    assert "Accept-Language" in response.headers["Vary"]


def test_login_is_required(anon_client):
    response = anon_client.get(URL)
    assert response.status_code == 401
    assert response.json["code"] == 401 and "邻里纠纷" not in response.get_data(as_text=True)
