"""`geo import`: real PostGIS checks of surveyed boundary files, all or nothing.

Inputs are built from the loaded demo county (exported, then perturbed) and written to
tmp_path as GeoJSON or Shapefile. Every refused file must leave the database bit-identical.
"""

from __future__ import annotations

import copy
import json
import math
import zipfile

import pytest
import shapefile
from shapely.geometry import MultiPolygon, Point, box, mapping, shape
from shapely.geometry.polygon import orient
from sqlalchemy import text

COUNTY = "150521000000"
TOWNSHIP = "150521104000"  # 门达镇: 17 villages, small enough to keep every import fast
OTHER_TOWNSHIP = "150521105000"

WGS84_PRJ = ('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,'
             '298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]')
CGCS2000_GK_PRJ = (
    'PROJCS["CGCS2000_3_Degree_GK_CM_123E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",'
    'DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],'
    'UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",'
    '500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],'
    'PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]')

CHECKSUM = text("""
    SELECT md5(string_agg(r, '|' ORDER BY r)) FROM (
        SELECT concat_ws(',', code, name, path::text, parent_id, county_id, population,
                         households, md5(ST_AsBinary(boundary))) AS r FROM units
        UNION ALL
        SELECT concat_ws(',', code, name, path::text, village_id, county_id, kind::text,
                         population, households, md5(ST_AsBinary(boundary))) FROM grid_cells
    ) rows""")


# --- helpers --------------------------------------------------------------------------------

def checksum(session) -> str:
    return session.execute(CHECKSUM).scalar_one()


def export(level: str, parent: str | None = None) -> dict:
    from govgrid.geo.exporter import export_geojson

    return export_geojson(level, COUNTY, parent)


def write(tmp_path, collection: dict, name: str = "boundaries.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return path


def run_import(path, level: str = "village", *, repair: bool = False, dry_run: bool = False,
               **fields):
    from govgrid.geo.importer import import_boundaries
    from govgrid.geo.readers import FieldNames, read_features

    read = read_features(path, level, FieldNames(**fields))
    return import_boundaries(read.features, level, COUNTY, repair=repair, dry_run=dry_run,
                             prior_problems=read.problems)


def messages(report) -> list[str]:
    """The errors as text (outside a request the locale has to be chosen explicitly)."""
    from flask_babel import force_locale

    with force_locale("en"):
        return [f"{p.kind.value} {p.code}: {p.message}" for p in report.errors]


def found(report) -> set[tuple[str, str | None]]:
    return {(p.kind.value, p.code) for p in report.problems}


def feature_of(collection: dict, code: str) -> dict:
    return next(f for f in collection["features"] if f["properties"]["code"] == code)


def set_geometry(feature: dict, geometry) -> None:
    feature["geometry"] = None if geometry is None else mapping(geometry)


def bowtie(geometry) -> dict:
    """The ring with a tiny figure-eight (about 1 m) spliced in at its fourth vertex: invalid
    (self-intersection), and ST_MakeValid changes the area by well under a square metre."""
    ring = [list(c) for c in mapping(geometry)["coordinates"][0][0]]
    x, y = ring[3]
    e = 1e-5
    ring[4:4] = [[x + e, y + e], [x + e, y], [x, y + e], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def adjacent_pair(collection: dict) -> tuple[dict, dict]:
    features = collection["features"]
    for a in features:
        for b in features:
            if a is not b and shape(a["geometry"]).intersection(shape(b["geometry"])).length:
                return a, b
    raise AssertionError("no adjacent villages")


def to_mercator(collection: dict) -> dict:
    """Web Mercator metres, as a careless export from a web map would give."""
    def project(coords):
        if isinstance(coords[0], (int, float)):
            lon, lat = coords[:2]
            return [6378137 * math.radians(lon),
                    6378137 * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))]
        return [project(c) for c in coords]

    out = copy.deepcopy(collection)
    for f in out["features"]:
        f["geometry"]["coordinates"] = project(f["geometry"]["coordinates"])
    return out


@pytest.fixture
def villages(db_session) -> dict:
    return export("village", TOWNSHIP)


@pytest.fixture
def before(db_session) -> str:
    return checksum(db_session)


# --- files that pass ----------------------------------------------------------------------------

def test_unchanged_file_passes_and_rewrites_the_same_boundaries(db_session, villages, tmp_path):
    report = run_import(write(tmp_path, villages))
    assert report.ok and report.written
    assert (report.inserted, report.updated) == (0, 17)
    # A file covering one township only: the others are listed, as a warning.
    assert {p.kind.value for p in report.problems} == {"parents_not_covered"}
    unequal = db_session.execute(text("""
        SELECT count(*) FROM json_array_elements(CAST(:fc AS json) -> 'features') f
        JOIN units u ON u.code = f -> 'properties' ->> 'code'
        WHERE NOT ST_Equals(u.boundary, ST_SetSRID(ST_GeomFromGeoJSON(f ->> 'geometry'), 4326))
        """), {"fc": json.dumps(villages)}).scalar_one()
    assert unequal == 0


def test_moved_border_updates_both_villages_and_keeps_population(db_session, villages,
                                                                 tmp_path):
    a, b = adjacent_pair(villages)
    ga, gb = shape(a["geometry"]), shape(b["geometry"])
    border = max(getattr(ga.intersection(gb), "geoms", [ga.intersection(gb)]),
                 key=lambda part: part.length)
    piece = border.interpolate(0.5, normalized=True).buffer(0.002).intersection(gb)
    new_a, new_b = ga.union(piece), gb.difference(piece)
    set_geometry(a, new_a)
    set_geometry(b, new_b)
    a["properties"]["name"] = "新名村"
    population = db_session.execute(text("SELECT population FROM units WHERE code = :c"),
                                    {"c": a["properties"]["code"]}).scalar_one()

    report = run_import(write(tmp_path, villages))

    assert report.ok and report.written, messages(report)
    assert report.updated == 17
    # The grid cells of the village that lost ground now stick out of it: a warning only.
    assert ("children_outside", b["properties"]["code"]) in found(report)
    for feature, geometry in ((a, new_a), (b, new_b)):
        row = db_session.execute(text("""
            SELECT ST_Area(ST_SymDifference(boundary, ST_GeomFromText(:wkt, 4326))::geography),
                   name, population FROM units WHERE code = :c"""),
            {"wkt": geometry.wkt, "c": feature["properties"]["code"]}).one()
        assert row[0] < 1e-3
    assert db_session.execute(text("SELECT name, population FROM units WHERE code = :c"),
                              {"c": a["properties"]["code"]}).one() == ("新名村", population)


def test_split_village_inserts_the_new_one_under_its_township(db_session, villages, tmp_path):
    a = villages["features"][0]
    geometry = shape(a["geometry"])
    x0, y0, x1, y1 = geometry.bounds
    west = geometry.intersection(box(x0 - 1, y0 - 1, (x0 + x1) / 2, y1 + 1))
    set_geometry(a, west)
    new = copy.deepcopy(a)
    new_code = TOWNSHIP[:9] + "299"
    new["properties"].update(code=new_code, name="新设村")
    set_geometry(new, geometry.difference(west))
    villages["features"].append(new)

    report = run_import(write(tmp_path, villages))

    assert report.ok and (report.inserted, report.updated) == (1, 17)
    row = db_session.execute(text("""
        SELECT u.level::text, u.path::text, u.population, u.households, t.code,
               u.county_id = t.county_id
        FROM units u JOIN units t ON t.id = u.parent_id WHERE u.code = :c"""),
        {"c": new_code}).one()
    assert row == ("village", f"{COUNTY}.{TOWNSHIP}.{new_code}", 0, 0, TOWNSHIP, True)


def test_new_grid_cell_gets_its_village_path_and_kind(db_session, tmp_path):
    village = "150521104201"
    cells = export("grid", village)
    first = cells["features"][0]
    geometry = shape(first["geometry"])
    x0, y0, x1, y1 = geometry.bounds
    south = geometry.intersection(box(x0 - 1, y0 - 1, x1 + 1, (y0 + y1) / 2))
    set_geometry(first, south)
    new = copy.deepcopy(first)
    new["properties"].update(code=village + "901", name="新网格", kind="专属网格")
    set_geometry(new, geometry.difference(south))
    cells["features"].append(new)

    report = run_import(write(tmp_path, cells), "grid")

    assert report.ok and report.inserted == 1, messages(report)
    row = db_session.execute(text("""
        SELECT c.kind::text, c.path::text, v.code FROM grid_cells c
        JOIN units v ON v.id = c.village_id WHERE c.code = :c"""),
        {"c": village + "901"}).one()
    assert row == ("dedicated", f"{COUNTY}.{TOWNSHIP}.{village}.{village}901", village)


def test_codes_as_numbers_and_nine_digit_parents(db_session, villages, tmp_path):
    for f in villages["features"]:
        f["properties"]["code"] = int(f["properties"]["code"])
        f["properties"]["township"] = int(TOWNSHIP[:9])
    report = run_import(write(tmp_path, villages), parent="township")
    assert report.ok and report.updated == 17


def test_dry_run_checks_but_writes_nothing(db_session, villages, before, tmp_path):
    villages["features"][0]["properties"]["name"] = "改名村"
    report = run_import(write(tmp_path, villages), dry_run=True)
    assert report.ok and not report.written
    assert checksum(db_session) == before


# --- files that are refused ----------------------------------------------------------------------

def _bowtie(villages):
    f = villages["features"][2]
    f["geometry"] = bowtie(shape(f["geometry"]))
    return [("invalid_geometry", f["properties"]["code"])]


def _shift(villages):
    f = villages["features"][3]
    set_geometry(f, _translated(shape(f["geometry"]), 0.004, 0.0))
    return [("overlap", None), ("gap", TOWNSHIP)]


def _translated(geometry, dx, dy):
    from shapely.affinity import translate

    return translate(geometry, dx, dy)


def _outside(villages):
    f = villages["features"][4]
    set_geometry(f, _translated(shape(f["geometry"]), 1.0, 0.0))
    return [("outside_parent", f["properties"]["code"]), ("gap", TOWNSHIP)]


def _drop(villages):
    f = villages["features"].pop(5)
    return [("gap", TOWNSHIP), ("missing_sibling", f["properties"]["code"])]


def _duplicate(villages):
    f = villages["features"][6]
    villages["features"].append(copy.deepcopy(f))
    return [("duplicate_code", f["properties"]["code"])]


def _unknown_parent(villages):
    f = villages["features"][7]
    f["properties"]["code"] = "150521199201"  # no township 150521199 exists
    return [("unknown_parent", "150521199201")]


def _point(villages):
    f = villages["features"][8]
    set_geometry(f, Point(123.3, 44.1))
    return [("not_polygon", f["properties"]["code"])]


def _empty(villages):
    f = villages["features"][9]
    f["geometry"] = None
    return [("empty_geometry", f["properties"]["code"])]


def _bad_code(villages):
    villages["features"][10]["properties"]["code"] = "15052110"
    return [("bad_code", "15052110")]


def _web_mercator_crs(villages):
    villages["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    return [("wrong_crs", None)]


PERTURBATIONS = [_bowtie, _shift, _outside, _drop, _duplicate, _unknown_parent, _point, _empty,
                 _bad_code, _web_mercator_crs]


@pytest.mark.parametrize("perturb", PERTURBATIONS, ids=lambda f: f.__name__.strip("_"))
def test_each_problem_is_reported_and_nothing_written(db_session, villages, before, tmp_path,
                                                      perturb):
    expected = perturb(villages)
    report = run_import(write(tmp_path, villages))
    assert not report.ok and not report.written
    reported = found(report)
    for kind, code in expected:
        if code is None:
            assert kind in {k for k, _ in reported}, reported
        else:
            assert (kind, code) in reported, reported
    assert checksum(db_session) == before


def test_overlap_names_both_villages_once(db_session, villages, tmp_path):
    shifted = villages["features"][3]["properties"]["code"]
    _shift(villages)
    overlaps = [p for p in run_import(write(tmp_path, villages)).problems
                if p.kind.value == "overlap"]
    assert overlaps
    pairs = [tuple(sorted((p.code, p.details["other_code"]))) for p in overlaps]
    assert len(pairs) == len(set(pairs))
    assert all(shifted in pair for pair in pairs)
    assert all(p.details["overlap_m2"] > 1 for p in overlaps)


def test_every_problem_of_one_file_is_reported_together(db_session, villages, before,
                                                        tmp_path):
    expected = [e for perturb in (_bowtie, _duplicate, _unknown_parent, _point, _outside)
                for e in perturb(villages)]
    report = run_import(write(tmp_path, villages))
    expected = [e for e in expected if e[0] != "gap"]  # gaps are not checked around errors
    assert set(expected) <= found(report)
    assert checksum(db_session) == before


def test_repair_fixes_the_bowtie(db_session, villages, before, tmp_path):
    f = villages["features"][2]
    code, original = f["properties"]["code"], shape(f["geometry"])
    f["geometry"] = bowtie(original)
    path = write(tmp_path, villages)

    refused = run_import(path)
    assert ("invalid_geometry", code) in found(refused) and not refused.written
    assert checksum(db_session) == before

    report = run_import(path, repair=True)
    assert report.ok and report.written, messages(report)
    assert ("repaired", code) in found(report)
    valid, moved = db_session.execute(text("""
        SELECT ST_IsValid(boundary),
               ST_Area(ST_SymDifference(boundary, ST_GeomFromText(:wkt, 4326))::geography)
        FROM units WHERE code = :c"""), {"c": code, "wkt": original.wkt}).one()
    assert valid and moved < 1.0


def test_coordinates_in_metres_are_wrong_crs_even_without_a_crs_member(
        db_session, villages, before, tmp_path):
    report = run_import(write(tmp_path, to_mercator(villages)))
    assert "wrong_crs" in {p.kind.value for p in report.errors}
    # Containment and overlap checks would only repeat it for every feature.
    assert "spatial_checks_skipped" in {p.kind.value for p in report.problems}
    assert checksum(db_session) == before


@pytest.mark.parametrize("name", ["EPSG:4490", "urn:ogc:def:crs:EPSG::4490"])
def test_cgcs2000_is_accepted_with_a_note(db_session, villages, tmp_path, name):
    villages["crs"] = {"type": "name", "properties": {"name": name}}
    report = run_import(write(tmp_path, villages), dry_run=True)
    assert report.ok
    assert "crs_note" in {p.kind.value for p in report.warnings}


@pytest.mark.parametrize("name", ["urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326"])
def test_wgs84_crs_members_are_accepted(db_session, villages, tmp_path, name):
    villages["crs"] = {"type": "name", "properties": {"name": name}}
    report = run_import(write(tmp_path, villages), dry_run=True)
    assert report.ok and "crs_note" not in {p.kind.value for p in report.problems}


def test_parent_field_must_agree_with_the_code(db_session, villages, tmp_path):
    for f in villages["features"]:
        f["properties"]["parent"] = TOWNSHIP
    f = villages["features"][0]
    f["properties"]["parent"] = OTHER_TOWNSHIP
    report = run_import(write(tmp_path, villages), parent="parent")
    assert ("parent_mismatch", f["properties"]["code"]) in found(report)


def test_misspelt_code_field_is_one_clear_error(db_session, villages, tmp_path):
    report = run_import(write(tmp_path, villages), code="CODE")
    assert "missing_field" in {p.kind.value for p in report.errors}


# --- Shapefiles --------------------------------------------------------------------------------

def write_shapefile(base, collection: dict, prj: str | None, encoding: str = "utf-8"):
    """Numeric codes and upper-case field names, as ArcGIS writes them; rings clockwise."""
    with shapefile.Writer(str(base), shapeType=shapefile.POLYGON, encoding=encoding) as w:
        w.field("CODE", "N", 15, 0)
        w.field("NAME", "C", 80)
        for f in collection["features"]:
            geometry = shape(f["geometry"])
            polygons = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
            rings = []
            for polygon in polygons:
                polygon = orient(polygon, sign=-1.0)
                rings += [list(polygon.exterior.coords)]
                rings += [list(hole.coords) for hole in polygon.interiors]
            w.poly(rings)
            w.record(int(f["properties"]["code"]), f["properties"]["name"])
    if prj is not None:
        base.with_suffix(".prj").write_text(prj)
    return base.with_suffix(".shp")


def test_wgs84_shapefile_in_gbk_is_accepted(db_session, villages, tmp_path):
    path = write_shapefile(tmp_path / "villages", villages, WGS84_PRJ, encoding="gbk")
    report = run_import(path, code="CODE", name="NAME")
    assert report.ok and report.written and report.updated == 17, messages(report)
    names = db_session.execute(text("""
        SELECT u.name FROM units u JOIN units t ON t.id = u.parent_id WHERE t.code = :t
        ORDER BY u.code"""), {"t": TOWNSHIP}).scalars().all()
    assert names == [f["properties"]["name"] for f in villages["features"]]  # ordered by code


def test_projected_shapefile_is_refused(db_session, villages, before, tmp_path):
    path = write_shapefile(tmp_path / "villages", villages, CGCS2000_GK_PRJ)
    report = run_import(path, code="CODE", name="NAME")
    wrong = [p for p in report.errors if p.kind.value == "wrong_crs"]
    assert wrong and "CGCS2000_3_Degree_GK_CM_123E" in wrong[0].details["crs"]
    assert checksum(db_session) == before


def test_zipped_shapefile_without_prj_is_read_with_a_note(db_session, villages, tmp_path):
    shp = write_shapefile(tmp_path / "villages", villages, None)
    archive = tmp_path / "villages.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for suffix in (".shp", ".shx", ".dbf"):
            z.write(shp.with_suffix(suffix), f"survey/villages{suffix}")
    report = run_import(archive, code="CODE", name="NAME", dry_run=True)
    assert report.ok and report.feature_count == 17
    assert "crs_note" in {p.kind.value for p in report.warnings}


# --- CLI ------------------------------------------------------------------------------------------

def test_cli_refuses_a_bad_file_with_exit_1(app, db_session, villages, before, tmp_path):
    code = villages["features"][2]["properties"]["code"]
    _bowtie(villages)
    _duplicate(villages)
    path = write(tmp_path, villages)
    result = app.test_cli_runner().invoke(
        args=["geo", "import", str(path), "--level", "village", "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "[invalid_geometry] (error: 1)" in result.output
    assert f"#2 {code}: The geometry is invalid: " in result.output
    assert "Self-intersection[" in result.output  # ST_IsValidReason, with the location
    assert "[duplicate_code]" in result.output
    assert "nothing was written" in result.output
    assert checksum(db_session) == before


def test_cli_imports_a_good_file_with_exit_0(app, db_session, villages, tmp_path):
    villages["features"][0]["properties"]["name"] = "改名村"
    path = write(tmp_path, villages)
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["geo", "import", str(path), "--level", "village", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    result = runner.invoke(args=["geo", "import", str(path), "--level", "village",
                                 "--county", "150521", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "IMPORTED: 0 new, 17 updated" in result.output
    assert db_session.execute(text("SELECT name FROM units WHERE code = :c"),
                              {"c": villages["features"][0]["properties"]["code"]}
                              ).scalar_one() == "改名村"


def test_cli_repair_flag_and_unknown_county(app, db_session, villages, tmp_path):
    _bowtie(villages)
    path = write(tmp_path, villages)
    runner = app.test_cli_runner()
    repaired = runner.invoke(args=["geo", "import", str(path), "--level", "village",
                                   "--repair", "--dry-run"])
    assert repaired.exit_code == 0, repaired.output
    assert "[repaired]" in repaired.output
    unknown = runner.invoke(args=["geo", "import", str(path), "--level", "village",
                                  "--county", "150599000000"])
    assert unknown.exit_code == 1 and "150599000000" in unknown.output


# --- readers without the database -----------------------------------------------------------------

@pytest.mark.parametrize("value,width,expected", [
    (150521104201, 12, "150521104201"), (150521104201.0, 12, "150521104201"),
    ("150521104", 12, "150521104000"), ("１５０５２１", 12, "150521000000"),
    (" 150521104201001 ", 15, "150521104201001"), ("150521104201.0", 15, "150521104201"),
    (None, 12, None), ("", 12, None), ("abc", 12, "abc"),
])
def test_normalise_code(value, width, expected):
    from govgrid.geo.readers import normalise_code

    assert normalise_code(value, width) == expected


@pytest.mark.parametrize("crs,kinds", [
    (None, set()), ({"type": "name", "properties": {"name": "EPSG:4326"}}, set()),
    ({"type": "EPSG", "properties": {"code": 4326}}, set()),
    ({"type": "name", "properties": {"name": "http://www.opengis.net/def/crs/EPSG/0/4490"}},
     {"crs_note"}),
    ({"type": "name", "properties": {"name": "EPSG:3857"}}, {"wrong_crs"}),
    ({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4549"}}, {"wrong_crs"}),
])
def test_geojson_crs_member(crs, kinds):
    from govgrid.geo.readers import geojson_crs_problems

    assert {p.kind.value for p in geojson_crs_problems(crs)} == kinds


def test_a_successful_import_is_audited(app, db_session, tmp_path):
    """Set-based writes escape automatic capture; the import records itself."""
    from sqlalchemy import text

    from govgrid.geo.exporter import export_geojson
    from govgrid.geo.importer import import_boundaries
    from govgrid.geo.readers import read_features

    with app.test_request_context():
        path = tmp_path / "villages.geojson"
        import json

        path.write_text(json.dumps(export_geojson("village", "150521000000", "150521104000")))
        read = read_features(path, "village")
        report = import_boundaries(read.features, "village", "150521000000", repair=False,
                                   dry_run=False, prior_problems=read.problems)
    assert report.written
    entry = db_session.execute(text(
        "SELECT summary FROM audit_log WHERE action = 'geo.import' ORDER BY id DESC LIMIT 1"
    )).scalar_one()
    assert entry["updated"] == 17 and "150521104201" in entry["codes"]
