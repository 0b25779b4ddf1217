"""The synthetic demo county: real codes and names, invented geometry that tiles exactly."""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
import shapely

from govgrid.demo.boundaries import (
    DATA_CSV,
    DivisionRow,
    SynthCounty,
    generate,
    geodesic_area_km2,
    pad12,
    read_divisions,
)

STREET = "150521403"  # 保康街道办事处, the banner seat


@pytest.fixture(scope="module")
def county() -> SynthCounty:
    return generate()


@pytest.fixture(scope="module")
def csv_rows() -> list[dict[str, str]]:
    with open(DATA_CSV, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _children(county: SynthCounty) -> dict[str, list]:
    """Parent code -> child geometries, for units and for grid cells."""
    kids: dict[str, list] = defaultdict(list)
    for unit in county.units[1:]:
        kids[unit.parent_code].append(unit.boundary)
    for cell in county.cells:
        kids[cell.village_code].append(cell.boundary)
    return kids


def _spherical_km2(geom) -> float:
    """Independent check: Lambert cylindrical equal-area on the authalic sphere."""
    r = 6371.0072
    xy = shapely.get_coordinates(geom)
    return shapely.area(shapely.transform(geom, lambda c: np.column_stack(
        [r * np.radians(c[:, 0]), r * np.sin(np.radians(c[:, 1]))]))) if len(xy) else 0.0


def test_pad12() -> None:
    assert pad12("150521") == "150521000000"
    assert pad12("150521100") == "150521100000"
    assert pad12("150521100201") == "150521100201"
    with pytest.raises(ValueError):
        pad12("15052x")


def test_read_divisions_matches_the_packaged_csv(csv_rows) -> None:
    rows = read_divisions()
    assert rows == read_divisions(Path(DATA_CSV))
    assert [r.code for r in rows] == [r["code"] for r in csv_rows]
    levels = [r.level for r in rows]
    assert (levels.count("county"), levels.count("township"), levels.count("village")) == (
        1, 21, 553)
    assert DivisionRow("150521", "科尔沁左翼中旗", "county", "1505") in rows


def test_units_match_the_csv_and_parents_come_first(county, csv_rows) -> None:
    expected = [(pad12(r["code"]), r["name"], r["level"]) for r in csv_rows]
    assert [(u.code, u.name, u.level) for u in county.units] == expected
    assert county.units[0].parent_code is None
    seen = {county.units[0].code}
    for unit in county.units[1:]:
        assert unit.parent_code in seen, unit.code
        seen.add(unit.code)
    by_code = {r["code"]: r for r in csv_rows}
    for unit in county.units[1:]:
        raw = unit.code[:9] if unit.level == "township" else unit.code
        assert unit.parent_code == pad12(by_code[raw]["parent_code"])


def test_county_size_place_and_shape(county) -> None:
    shape = county.units[0].boundary
    assert geodesic_area_km2(shape) == pytest.approx(9800, rel=0.02)
    assert _spherical_km2(shape) == pytest.approx(9800, rel=0.02)
    assert shape.centroid.x == pytest.approx(123.3, abs=0.3)
    assert shape.centroid.y == pytest.approx(44.1, abs=0.3)
    # Irregular, not a rectangle or a disc: many vertices and clearly not convex.
    assert shapely.get_num_coordinates(shape) > 200
    assert shape.area / shape.convex_hull.area < 0.95


def test_township_sizes_are_plausible(county) -> None:
    towns = {u.code[:9]: geodesic_area_km2(u.boundary) for u in county.units[1:22]}
    villages = defaultdict(int)
    for unit in county.units[22:]:
        villages[unit.parent_code[:9]] += 1
    assert min(towns, key=towns.get) == STREET
    density = {code: towns[code] / villages[code] for code in towns}
    sumu = [density[c] for c in towns if c[6] == "2" and c != "150521205"]
    towns_ = [density[c] for c in towns if c[6] == "1" and c != "150521100"]
    assert np.mean(sumu) > 1.2 * np.mean(towns_)
    assert density["150521401"] > np.mean(towns_)  # 珠日河牧场: a sparse state ranch


def test_every_geometry_is_a_valid_nonempty_multipolygon(county) -> None:
    geoms = [u.boundary for u in county.units] + [c.boundary for c in county.cells]
    assert all(g.geom_type == "MultiPolygon" for g in geoms)
    assert shapely.is_valid(geoms).all()
    assert not shapely.is_empty(geoms).any()
    assert (shapely.area(geoms) > 0).all()


def test_coordinates_sit_on_the_shared_precision_grid(county) -> None:
    xy = np.vstack([shapely.get_coordinates(c.boundary) for c in county.cells])
    assert np.abs(xy * 1e7 - np.round(xy * 1e7)).max() < 1e-4


def test_children_tile_every_parent_exactly(county) -> None:
    parents = {u.code: u.boundary for u in county.units}
    kids = _children(county)
    assert len(kids) == 1 + 21 + 553
    for code, children in kids.items():
        parent = parents[code]
        union = shapely.union_all(children)
        assert union.symmetric_difference(parent).area / parent.area < 1e-9, code
        # No overlaps: the children's areas add up to the area of their union ...
        assert sum(g.area for g in children) == pytest.approx(union.area, rel=1e-9), code
        # ... and neighbours share exactly the same edges (no gaps, no slivers).
        assert shapely.coverage_is_valid(np.array(children)), code
        assert shapely.covered_by(children, parent).all(), code


def test_siblings_do_not_overlap(county) -> None:
    for code, children in _children(county).items():
        arr = np.array(children)
        left, right = shapely.STRtree(arr).query(arr, predicate="intersects")
        pairs = left < right
        overlap = shapely.area(shapely.intersection(arr[left[pairs]], arr[right[pairs]]))
        assert overlap.sum() < 1e-12, code


def test_same_seed_gives_identical_bytes(county) -> None:
    again = generate(seed=150521)
    assert [shapely.to_wkb(u.boundary) for u in again.units] == [
        shapely.to_wkb(u.boundary) for u in county.units]
    assert [(c.code, c.name, c.households, shapely.to_wkb(c.boundary)) for c in again.cells] == [
        (c.code, c.name, c.households, shapely.to_wkb(c.boundary)) for c in county.cells]
    assert [(u.population, u.households) for u in again.units] == [
        (u.population, u.households) for u in county.units]


def test_figures_add_up_and_look_like_the_banner(county) -> None:
    units = {u.code: u for u in county.units}
    for level in ("township", "county"):
        for unit in (u for u in county.units if u.level == level):
            kids = [u for u in county.units if u.parent_code == unit.code]
            assert unit.households == sum(k.households for k in kids)
            assert unit.population == sum(k.population for k in kids)
    cells = defaultdict(list)
    for cell in county.cells:
        cells[cell.village_code].append(cell)
    for code, its_cells in cells.items():
        assert units[code].households == sum(c.households for c in its_cells)
        assert units[code].population == sum(c.population for c in its_cells)
    total = county.units[0]
    assert total.population == pytest.approx(520_000, rel=0.05)
    assert 2.7 < total.population / total.households < 3.1
    for unit in county.units[22:]:
        urban = unit.code[9] in "01" or unit.code.startswith(STREET)
        low, high = (1500, 4000) if urban else (150, 900)
        assert low <= unit.households <= high, (unit.code, unit.households)


def test_grid_cells_hold_300_to_500_households(county) -> None:
    cells = defaultdict(list)
    for cell in county.cells:
        cells[cell.village_code].append(cell)
    villages = {u.code: u for u in county.units if u.level == "village"}
    assert set(cells) == set(villages)
    for code, its_cells in cells.items():
        comp = [c for c in its_cells if c.kind == "comprehensive"]
        assert comp and {c.kind for c in its_cells} <= {"comprehensive", "dedicated"}
        comp_households = sum(c.households for c in comp)
        assert len(comp) == max(1, round(comp_households / 400)), code
        if len(comp) > 1:
            assert all(300 <= c.households <= 500 for c in comp), code
        if villages[code].households < 300 and len(comp) == len(its_cells):
            # A small village is one cell covering all of it (unless it hosts a 专属网格).
            assert len(its_cells) == 1
            assert its_cells[0].boundary.equals(villages[code].boundary)
        # Codes: village code + serial 001, 002, ... in order.
        assert [c.code for c in its_cells] == [f"{code}{i:03d}" for i in
                                               range(1, len(its_cells) + 1)]
        assert all(re.fullmatch(r".+第\d+网格", c.name) for c in comp)
    assert len({c.code for c in county.cells}) == len(county.cells)


def test_dedicated_cells_cover_schools_hospitals_and_parks(county) -> None:
    dedicated = [c for c in county.cells if c.kind == "dedicated"]
    assert 5 <= len(dedicated) <= 15
    names = " ".join(c.name for c in dedicated)
    assert "中学" in names and "医院" in names and "工业园区" in names
    for cell in dedicated:
        assert cell.name.endswith("专属网格")
        # In a seat's community or industrial park (居委会 0xx/1xx, 类似居委会 4xx).
        assert cell.village_code[9] in "014", cell.code
        assert 0 <= cell.households <= 100


def test_custom_rows_also_tile() -> None:
    rows = [DivisionRow("150521", "测试旗", "county", None),
            DivisionRow("150521100", "甲镇", "township", "150521"),
            DivisionRow("150521200", "乙苏木", "township", "150521")]
    rows += [DivisionRow(f"150521{t}2{i:02d}", f"村{t}{i}", "village", f"150521{t}")
             for t in ("100", "200") for i in range(1, 6)]
    small = generate(rows, seed=7)
    assert [u.level for u in small.units].count("village") == 10
    assert geodesic_area_km2(small.units[0].boundary) == pytest.approx(9800, rel=0.02)
    for code, children in _children(small).items():
        parent = next(u.boundary for u in small.units if u.code == code)
        assert shapely.coverage_is_valid(np.array(children))
        assert shapely.union_all(children).symmetric_difference(parent).area < 1e-9 * parent.area
    assert math.isclose(sum(u.households for u in small.units[3:]), small.units[0].households)
