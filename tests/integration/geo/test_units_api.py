"""Unit tree, unit boundaries and grid cells through the HTTP API."""

import pytest
from shapely.geometry import shape


def _count(nodes, level):
    return sum((n["level"] == level) + _count(n["children"], level) for n in nodes)


def test_tree_holds_the_whole_county(client):
    tree = client.get("/api/v1/units/tree").json
    assert len(tree) == 1 and tree[0]["name"] == "科尔沁左翼中旗"
    assert _count(tree, "township") == 21
    assert _count(tree, "village") == 553
    county = tree[0]
    assert county["population"] == sum(t["population"] for t in county["children"])


def test_tree_from_a_root_with_depth(client):
    township = client.get("/api/v1/units/tree?root=150521100000&depth=1").json
    assert [n["name"] for n in township] == ["保康镇"]
    assert township[0]["children"] == []
    deeper = client.get("/api/v1/units/tree?root=150521100000&depth=2").json
    assert len(deeper[0]["children"]) == 40


def test_tree_unknown_root_is_404(client):
    assert client.get("/api/v1/units/tree?root=150521999000").status_code == 404


def test_unit_feature_and_simplification(client, demo_county):
    full = client.get("/api/v1/units/150521100000").json
    coarse = client.get("/api/v1/units/150521100000?zoom=8").json
    assert full["properties"]["name"] == "保康镇"
    assert full["properties"]["level"] == "township"
    assert full["properties"]["parent_code"] == "150521000000"
    expected = next(u for u in demo_county.units if u.code == "150521100000")
    # GeoJSON carries 6 decimals (about 0.1 m), so compare relative to the area.
    difference = shape(full["geometry"]).symmetric_difference(expected.boundary).area
    assert difference / expected.boundary.area < 1e-5
    assert full["properties"]["area_km2"] > 0
    assert len(str(coarse["geometry"])) < len(str(full["geometry"]))


def test_unknown_unit_is_404_json(client):
    response = client.get("/api/v1/units/150521999999")
    assert response.status_code == 404
    assert response.json["message"]


def test_township_collection(client):
    body = client.get("/api/v1/units?level=township&zoom=8").json
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 21
    assert not body["truncated"]


def test_villages_by_parent_and_bbox(client, demo_county):
    under = client.get("/api/v1/units?level=village&parent=150521104000").json
    assert len(under["features"]) == 17
    cell = demo_county.cells[100]
    minx, miny, maxx, maxy = cell.boundary.bounds
    near = client.get(f"/api/v1/units?level=village&bbox={minx},{miny},{maxx},{maxy}").json
    assert cell.village_code in {f["id"] for f in near["features"]}


def test_grid_cells_by_bbox_and_village(client, demo_county):
    cell = demo_county.cells[5]
    minx, miny, maxx, maxy = cell.boundary.bounds
    body = client.get(f"/api/v1/grid-cells?bbox={minx},{miny},{maxx},{maxy}&zoom=14").json
    codes = {f["id"] for f in body["features"]}
    assert cell.code in codes
    feature = next(f for f in body["features"] if f["id"] == cell.code)
    assert feature["properties"]["kind"] in {"comprehensive", "dedicated"}
    in_village = client.get(f"/api/v1/grid-cells?village={cell.village_code}").json
    expected = {c.code for c in demo_county.cells if c.village_code == cell.village_code}
    assert {f["id"] for f in in_village["features"]} == expected


def test_feature_collections_are_one_query(app, db_session, count_queries, as_county_staff):
    from govgrid.geo.models import UnitLevel
    from govgrid.geo.services import unit_features

    with app.test_request_context(), as_county_staff, count_queries() as counter:
        unit_features(UnitLevel.village, 0.001)
    assert counter.count == 1


@pytest.mark.parametrize(
    "url",
    ["/api/v1/units?level=province", "/api/v1/units", "/api/v1/units?level=village&bbox=1,2",
     "/api/v1/grid-cells", "/api/v1/grid-cells?bbox=3,3,1,1", "/api/v1/units/150521100000?zoom=-1",
     "/api/v1/units/tree?root=abc", "/api/v1/units/tree?depth=9"],
)
def test_bad_queries_are_400_with_a_message(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json["message"]
    assert response.json["errors"]
