"""The demo county as loaded into PostGIS tiles exactly: valid, nested, no overlaps, no gaps."""

import pytest
from sqlalchemy import text

UNIT_PAIRS = "SELECT c.code, c.boundary AS child, p.code AS parent_code, p.boundary AS parent " \
    "FROM units c JOIN units p ON p.id = c.parent_id"
CELL_PAIRS = "SELECT c.code, c.boundary AS child, v.code AS parent_code, v.boundary AS parent " \
    "FROM grid_cells c JOIN units v ON v.id = c.village_id"


def _scalar(session, sql):
    return session.execute(text(sql)).scalar_one()


def test_counts(db_session):
    by_level = text("SELECT level, count(*) FROM units GROUP BY level")
    levels = dict(db_session.execute(by_level).all())
    assert levels == {"county": 1, "township": 21, "village": 553}
    assert _scalar(db_session, "SELECT count(*) FROM grid_cells") >= 553
    # Every village has at least one cell; cell codes extend their village's code.
    assert _scalar(db_session, """
        SELECT count(*) FROM units v WHERE v.level = 'village'
        AND NOT EXISTS (SELECT 1 FROM grid_cells c WHERE c.village_id = v.id)""") == 0
    assert _scalar(db_session, """
        SELECT count(*) FROM grid_cells c JOIN units v ON v.id = c.village_id
        WHERE left(c.code, 12) <> v.code""") == 0


def test_county_size_and_place(db_session):
    area_km2, lon, lat = db_session.execute(text("""
        SELECT ST_Area(boundary::geography) / 1e6, ST_X(ST_Centroid(boundary)),
               ST_Y(ST_Centroid(boundary)) FROM units WHERE level = 'county'""")).one()
    assert area_km2 == pytest.approx(9800, rel=0.02)
    assert lon == pytest.approx(123.3, abs=0.3) and lat == pytest.approx(44.1, abs=0.3)


@pytest.mark.parametrize("table", ["units", "grid_cells"])
def test_every_geometry_is_valid(db_session, table):
    assert _scalar(db_session, f"SELECT count(*) FROM {table} WHERE NOT ST_IsValid(boundary)") == 0
    assert _scalar(db_session, f"SELECT count(*) FROM {table} WHERE ST_IsEmpty(boundary)") == 0


@pytest.mark.parametrize("pairs", [UNIT_PAIRS, CELL_PAIRS], ids=["units", "cells"])
def test_every_child_inside_its_parent(db_session, pairs):
    outside = db_session.execute(
        text(f"SELECT code FROM ({pairs}) x WHERE NOT ST_CoveredBy(child, parent)")
    ).scalars().all()
    assert outside == []


@pytest.mark.parametrize(
    "table,parent", [("units", "parent_id"), ("grid_cells", "village_id")]
)
def test_siblings_do_not_overlap(db_session, table, parent):
    # Interiors meeting in two dimensions ('2' in the DE-9IM II cell) is an overlap;
    # siblings sharing an edge meet in one dimension only.
    overlaps = db_session.execute(text(f"""
        SELECT a.code, b.code FROM {table} a JOIN {table} b
          ON a.{parent} = b.{parent} AND a.id < b.id AND a.boundary && b.boundary
        WHERE ST_Relate(a.boundary, b.boundary, '2********')""")).all()
    assert overlaps == []


@pytest.mark.parametrize("pairs", [UNIT_PAIRS, CELL_PAIRS], ids=["units", "cells"])
def test_children_union_equals_parent(db_session, pairs):
    worst = db_session.execute(text(f"""
        SELECT max(ST_Area(ST_SymDifference(parent, u)::geography) / ST_Area(parent::geography))
        FROM (SELECT parent_code, parent, ST_Union(child) AS u FROM ({pairs}) x
              GROUP BY parent_code, parent) y""")).scalar_one()
    assert worst < 1e-6


def test_figures_add_up(db_session):
    mismatched = db_session.execute(text("""
        SELECT p.code FROM units p JOIN units c ON c.parent_id = p.id
        GROUP BY p.code, p.population, p.households
        HAVING sum(c.population) <> p.population OR sum(c.households) <> p.households""")).all()
    assert mismatched == []
    assert _scalar(db_session, """
        SELECT count(*) FROM units v WHERE v.level = 'village' AND v.households <>
          (SELECT sum(households) FROM grid_cells c WHERE c.village_id = v.id)""") == 0
