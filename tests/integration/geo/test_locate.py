"""Point location against the demo county in PostGIS."""

import random

import pytest


def _sample_cells(demo_county, n=60):
    return random.Random(7).sample(demo_county.cells, n)


def test_representative_points_land_in_their_own_cell(client, demo_county):
    villages = {u.code: u for u in demo_county.units}
    for cell in _sample_cells(demo_county):
        point = cell.boundary.representative_point()
        response = client.get(f"/api/v1/locate?lon={point.x}&lat={point.y}")
        assert response.status_code == 200, response.json
        body = response.json
        assert body["grid_cell"]["code"] == cell.code
        village = villages[cell.village_code]
        assert body["village"]["code"] == village.code
        assert body["village"]["name"] == village.name
        assert body["township"]["code"] == village.parent_code
        assert body["county"]["code"] == "150521000000"


def test_locate_is_one_query(app, db_session, demo_county, count_queries, as_county_staff):
    from govgrid.geo.services import locate

    point = demo_county.cells[0].boundary.representative_point()
    with app.test_request_context(), as_county_staff, count_queries() as counter:
        located = locate(point.x, point.y)
    assert located["grid_cell"]["code"] == demo_county.cells[0].code
    assert counter.count == 1, counter.statements


def test_locate_uses_the_spatial_index(app, db_session):
    from sqlalchemy import text

    from govgrid.extensions import db
    from govgrid.geo.services import locate_statement

    with app.app_context():
        dialect = db.engine.dialect
    statement = locate_statement().params(lon=123.3, lat=44.1).compile(
        dialect=dialect, compile_kwargs={"literal_binds": True}
    )
    plan = "\n".join(
        row[0] for row in db.session.execute(text(f"EXPLAIN {statement}"))
    )
    assert "idx_grid_cells_boundary" in plan


@pytest.mark.parametrize("lon,lat", [(100.0, 44.1), (123.3, 30.0), (0, 0)])
def test_outside_the_county_is_422_in_chinese(client, lon, lat):
    response = client.get(f"/api/v1/locate?lon={lon}&lat={lat}")
    assert response.status_code == 422
    assert "不在" in response.json["message"]


def test_outside_message_in_english_on_request(client):
    response = client.get("/api/v1/locate?lon=100&lat=44&lang=en")
    assert response.status_code == 422
    assert "outside the county" in response.json["message"]


@pytest.mark.parametrize(
    "query",
    ["lon=abc&lat=44.1", "lon=123.3", "lat=44.1", "lon=181&lat=44", "lon=123&lat=91",
     "lon=nan&lat=44", "lon=1e999&lat=44", ""],
)
def test_malformed_coordinates_are_400(client, query):
    response = client.get(f"/api/v1/locate?{query}")
    assert response.status_code == 400
    assert response.json["code"] == 400
    assert response.json["message"]


def test_point_in_a_village_without_cells_falls_back_to_units(client, db_session, demo_county):
    """Imported real data may leave areas undivided into cells: locate still answers."""
    from sqlalchemy import text

    cell = demo_county.cells[0]
    db_session.execute(text("DELETE FROM grid_cells WHERE code = :c"), {"c": cell.code})
    point = cell.boundary.representative_point()
    body = client.get(f"/api/v1/locate?lon={point.x}&lat={point.y}").json
    assert body["grid_cell"] is None
    assert body["village"]["code"] == cell.village_code


def test_field_errors_are_lists_in_the_users_language(client):
    body = client.get("/api/v1/locate?lon=abc").json
    assert body["message"] == "请求格式有误。"
    assert body["errors"]["query"] == {"lon": ["不是有效的数字。"], "lat": ["此项为必填。"]}
