"""`geo export`: RFC 7946 GeoJSON of the demo county, and the export → import round trip."""

from __future__ import annotations

import json
import re

import pytest
from shapely.geometry import shape
from sqlalchemy import text

COUNTY = "150521000000"
TOWNSHIP = "150521104000"
VILLAGE = "150521104201"
UNIT_PROPERTIES = {"code", "name", "level", "parent_code", "population", "households"}

# Ring orientation is normalised by the export (RFC 7946), so compare it away.
CHECKSUM = text("""
    SELECT md5(string_agg(concat_ws(',', code, name, population, households,
                                    md5(ST_AsBinary(ST_ForcePolygonCCW(boundary)))),
                          '|' ORDER BY code))
    FROM (SELECT code, name, population, households, boundary FROM units
          UNION ALL
          SELECT code, name, population, households, boundary FROM grid_cells) x""")


def export(level, parent=None, county=COUNTY):
    from govgrid.geo.exporter import export_geojson

    return export_geojson(level, county, parent)


def polygons(feature):
    geometry = shape(feature["geometry"])
    return list(getattr(geometry, "geoms", [geometry]))


def test_townships_are_rfc7946(db_session):
    collection = export("township")
    assert set(collection) == {"type", "features"}  # in particular no "crs" member
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert len(features) == 21
    assert [f["id"] for f in features] == sorted(f["id"] for f in features)
    for f in features:
        assert set(f["properties"]) == UNIT_PROPERTIES
        assert f["properties"]["level"] == "township"
        assert f["properties"]["parent_code"] == COUNTY
        for polygon in polygons(f):
            # Right-hand rule: exterior counter-clockwise, holes clockwise.
            assert polygon.exterior.is_ccw
            assert not any(hole.is_ccw for hole in polygon.interiors)
            x0, y0, x1, y1 = polygon.bounds
            assert 121 < x0 < x1 < 126 and 42 < y0 < y1 < 46  # lon, lat (not lat, lon)
    decimals = re.findall(r"\.(\d+)", json.dumps([f["geometry"] for f in features]))
    assert decimals and max(map(len, decimals)) <= 7


def test_villages_match_the_demo_data(db_session, demo_county):
    collection = export("village", TOWNSHIP)
    expected = {u.code: u for u in demo_county.units if u.parent_code == TOWNSHIP}
    assert [f["properties"]["code"] for f in collection["features"]] == sorted(expected)
    for f in collection["features"]:
        unit = expected[f["properties"]["code"]]
        p = f["properties"]
        assert (p["name"], p["population"], p["households"], p["parent_code"]) == (
            unit.name, unit.population, unit.households, TOWNSHIP)
        # The demo is on a 1e-7 degree grid, which 7 decimals carry exactly.
        assert shape(f["geometry"]).symmetric_difference(unit.boundary).area < 1e-14


def test_grid_cells_carry_kind_and_their_village(db_session, demo_county):
    cells = export("grid", VILLAGE)["features"]
    expected = [c for c in demo_county.cells if c.village_code == VILLAGE]
    assert len(cells) == len(expected) >= 1
    for f, cell in zip(cells, sorted(expected, key=lambda c: c.code), strict=True):
        assert set(f["properties"]) == UNIT_PROPERTIES | {"kind"}
        assert f["properties"]["kind"] == cell.kind
        assert f["properties"]["level"] == "grid"
        assert f["properties"]["parent_code"] == VILLAGE
    under_township = export("grid", TOWNSHIP)["features"]
    assert {f["properties"]["parent_code"][:9] for f in under_township} == {TOWNSHIP[:9]}
    assert len(under_township) == sum(c.village_code[:9] == TOWNSHIP[:9]
                                      for c in demo_county.cells)


def test_unknown_parent_or_county_is_not_found(app, db_session):
    from govgrid.errors import NotFound

    # DomainError renders its message at once, which needs a locale: a request provides one.
    with app.test_request_context(), pytest.raises(NotFound):
        export("village", "150521199000")
    with app.test_request_context(), pytest.raises(NotFound):
        export("village", county="150599000000")
    assert export("village", "150521104201")["features"] == []  # nothing below a village


@pytest.mark.parametrize("level,count", [("township", 21), ("village", 553), ("grid", None)])
def test_export_then_import_passes_with_zero_problems(db_session, tmp_path, level, count):
    from govgrid.geo.importer import import_boundaries
    from govgrid.geo.readers import read_features

    before = db_session.execute(CHECKSUM).scalar_one()
    path = tmp_path / f"{level}.geojson"
    path.write_text(json.dumps(export(level), ensure_ascii=False), encoding="utf-8")
    read = read_features(path, level)
    report = import_boundaries(read.features, level, COUNTY, prior_problems=read.problems)
    assert report.problems == []
    assert report.written and report.inserted == 0
    assert report.updated == (count or db_session.execute(
        text("SELECT count(*) FROM grid_cells")).scalar_one())
    # Written back bit for bit (up to the ring orientation the export normalised).
    assert db_session.execute(CHECKSUM).scalar_one() == before


def test_cli_export_to_stdout_and_file(app, db_session, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["geo", "export", "--level", "village", "--parent", TOWNSHIP])
    assert result.exit_code == 0, result.output
    collection = json.loads(result.stdout)
    assert len(collection["features"]) == 17
    assert "门达嘎查" in result.stdout  # UTF-8, not \\u escapes

    target = tmp_path / "townships.geojson"
    result = runner.invoke(args=["geo", "export", "--level", "township", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(target.read_text(encoding="utf-8"))["features"]) == 21

    missing = runner.invoke(args=["geo", "export", "--level", "village", "--parent",
                                  "150521199000"])
    assert missing.exit_code == 1 and "150521199000" in missing.output
