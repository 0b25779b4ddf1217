"""Synthetic boundaries, population and households for the demo county 科尔沁左翼中旗 (150521).

Codes and names are real (see data/SOURCE.md); the real boundaries are not public, so every
geometry here is invented, deterministically from a seed. Pure module: no Flask, no database.

Exact tiling: each level is first drawn approximately (power diagram for townships, Voronoi
with Lloyd relaxation below), in a local km plane. Then the boundaries of all the finest
pieces (grid cells) are noded together once, with snap-rounding to a 1e-7 degree grid, and
polygonized. Every unit is a coverage union of those faces, so neighbours share bit-identical
vertices and every parent is exactly the union of its children.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPoint, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

DATA_CSV = Path(__file__).parent / "data" / "admin-divisions-150521.csv"
CENTRE = (123.3, 44.1)  # lon, lat
COUNTY_KM2 = 9800.0
PEOPLE = 520_000
PERSONS_PER_HOUSEHOLD = 2.9
GRID = 1e-7  # degrees (~1 cm): the one precision every coordinate is snapped to
CELL_HOUSEHOLDS = (300, 400, 500)  # min, target, max households of a comprehensive cell
# Local plane (km) used only to shape things; areas that matter are measured geodesically.
_KX = 111.32 * math.cos(math.radians(CENTRE[1]))
_KY = 111.13
# Dedicated cells (专属网格): village code, name, range of resident households (staff dorms).
DEDICATED = (
    ("150521403001", "科左中旗人民医院", (20, 80)), ("150521403003", "保康第一中学", (0, 40)),
    ("150521403005", "科左中旗蒙古族中学", (0, 40)), ("150521403006", "科左中旗蒙医医院", (10, 60)),
    ("150521403008", "科左中旗职业教育中心", (0, 30)), ("150521100400", "保康工业园区", (0, 100)),
    ("150521101001", "宝龙山中学", (0, 40)), ("150521101400", "宝龙山工业园区", (0, 100)),
    ("150521102001", "舍伯吐中心卫生院", (5, 40)), ("150521102002", "舍伯吐中学", (0, 40)),
    ("150521108400", "花吐古拉工业园区", (0, 100)),
)
# Township area per village, by kind: the seat is dense, steppe sumu and state ranches sparse.
_AREA_FACTOR = {"seat_town": 0.8, "town": 1.0, "xiang": 1.0, "sumu": 1.7, "farm": 2.2,
                "ranch": 2.6}
_STREET_SHARE = 0.005  # the seat's 街道 is a small urban area, not a share of villages

# WGS84 ellipsoid, for the Lambert cylindrical equal-area projection below (no pyproj).
_A = 6378137.0
_E2 = (1 / 298.257223563) * (2 - 1 / 298.257223563)
_E = math.sqrt(_E2)


def _equal_area(lonlat: np.ndarray) -> np.ndarray:
    """Lon/lat degrees -> metres, x = a*lambda, y = a*q(phi)/2: dx*dy is exactly the area
    element of the ellipsoid (q is the authalic-latitude function), so planar area = true."""
    s = np.sin(np.radians(lonlat[:, 1]))
    q = (1 - _E2) * (s / (1 - _E2 * s * s) - np.log((1 - _E * s) / (1 + _E * s)) / (2 * _E))
    return np.column_stack([_A * np.radians(lonlat[:, 0] - CENTRE[0]), _A * q / 2])


def geodesic_area_km2(geom: BaseGeometry) -> float:
    """Area on the WGS84 ellipsoid (within ~1e-6 of PostGIS geography for our shapes)."""
    return float(shapely.area(shapely.transform(geom, _equal_area))) / 1e6


def _to_lonlat(xy: np.ndarray) -> np.ndarray:
    return np.column_stack([CENTRE[0] + xy[:, 0] / _KX, CENTRE[1] + xy[:, 1] / _KY])


@dataclass(frozen=True)
class DivisionRow:
    code: str
    name: str
    level: str
    parent_code: str | None


def read_divisions(path: str | Path | None = None) -> list[DivisionRow]:
    """Rows of a division CSV (code,name,level,parent_code); default: the packaged one."""
    with open(path or DATA_CSV, encoding="utf-8", newline="") as fh:
        return [DivisionRow(r["code"].strip(), r["name"].strip(), r["level"].strip(),
                            r["parent_code"].strip() or None) for r in csv.DictReader(fh)]


def pad12(code: str) -> str:
    """Statistical code padded to 12 digits: 150521 -> 150521000000."""
    if not code.isdigit() or len(code) > 12:
        raise ValueError(f"not a statistical division code: {code!r}")
    return code.ljust(12, "0")


@dataclass
class SynthUnit:
    code: str
    name: str
    level: str
    parent_code: str | None
    boundary: MultiPolygon
    population: int
    households: int


@dataclass
class SynthCell:
    code: str
    village_code: str
    name: str
    kind: str
    boundary: MultiPolygon
    households: int
    population: int


@dataclass
class SynthCounty:
    units: list[SynthUnit]
    cells: list[SynthCell]


def _township_kind(name: str, street_prefix: str | None) -> str:
    if name.endswith(("街道办事处", "街道")):
        return "street"
    for suffix, kind in (("苏木", "sumu"), ("牧场", "ranch"), ("农场", "farm"), ("乡", "xiang")):
        if name.endswith(suffix):
            return kind
    return "seat_town" if street_prefix and name.startswith(street_prefix) else "town"


def _sample(poly: BaseGeometry, n: int, rng: np.random.Generator) -> np.ndarray:
    """n uniform random points inside poly (rejection sampling in its bounding box)."""
    x0, y0, x1, y1 = poly.bounds
    found = np.empty((0, 2))
    for _ in range(200):
        pts = rng.uniform((x0, y0), (x1, y1), size=(max(8 * n, 32), 2))
        found = np.vstack([found, pts[shapely.contains_xy(poly, pts[:, 0], pts[:, 1])]])
        if len(found) >= n:
            return found[:n]
    raise ValueError("could not sample points inside a polygon")


def _county_shape(rng: np.random.Generator) -> Polygon:
    """Star-shaped polygon with a smoothed random radius (r > 0 for every angle keeps it
    simple), stretched east-west like the real banner, scaled to COUNTY_KM2 geodesically."""
    t = np.linspace(0, 2 * np.pi, 360, endpoint=False)
    k = np.arange(2, 48)
    amp = rng.normal(0, 1, k.size) * 0.5 * k**-1.3
    log_r = (amp[:, None] * np.cos(k[:, None] * t + rng.uniform(0, 2 * np.pi, k.size)[:, None]))
    r = np.exp(log_r.sum(0))
    rot = rng.uniform(-0.3, 0.3)
    x, y = 1.4 * r * np.cos(t), 0.72 * r * np.sin(t)
    xy = np.column_stack([x * math.cos(rot) - y * math.sin(rot),
                          x * math.sin(rot) + y * math.cos(rot)])
    xy -= xy.mean(0)
    for _ in range(3):  # area scales with the square of size; iterate for the projection
        area = geodesic_area_km2(Polygon(_to_lonlat(xy)))
        xy *= math.sqrt(COUNTY_KM2 / area)
    return Polygon(xy)


def _clip(poly: list[tuple[float, float]], a: float, b: float, c: float) -> list:
    """Sutherland-Hodgman: keep the part of a convex polygon where a*x + b*y <= c."""
    out = []
    for i, cur in enumerate(poly):
        prev = poly[i - 1]
        dc, dp = a * cur[0] + b * cur[1] - c, a * prev[0] + b * prev[1] - c
        if (dc <= 0) != (dp <= 0):
            s = dp / (dp - dc)
            out.append((prev[0] + s * (cur[0] - prev[0]), prev[1] + s * (cur[1] - prev[1])))
        if dc <= 0:
            out.append(cur)
    return out


def _power_cells(parent: Polygon, pts: np.ndarray, w: np.ndarray) -> np.ndarray:
    x0, y0, x1, y1 = parent.bounds
    box = [(x0 - 1, y0 - 1), (x1 + 1, y0 - 1), (x1 + 1, y1 + 1), (x0 - 1, y1 + 1)]
    sq = (pts**2).sum(1)
    cells = []
    for i in range(len(pts)):
        poly = box
        for j in range(len(pts)):
            if j != i and poly:
                d = pts[j] - pts[i]
                poly = _clip(poly, 2 * d[0], 2 * d[1], sq[j] - sq[i] - w[j] + w[i])
        cells.append(Polygon(poly) if len(poly) >= 3 else Polygon())
    return shapely.intersection(np.array(cells), parent)


def _townships(county: Polygon, targets: np.ndarray, seat: int | None,
               rng: np.random.Generator) -> np.ndarray:
    """Power diagram whose cell areas approach the targets (weights nudged, seeds moved to
    centroids each round), so the towns differ in size the way real ones do."""
    pts = _sample(county, len(targets), rng)
    if seat is not None:  # the banner seat sits near the middle
        pts[seat] = shapely.get_coordinates(county.centroid)[0]
    w = np.zeros(len(targets))
    for _ in range(80):
        cells = _power_cells(county, pts, w)
        area = shapely.area(cells)
        ok = area > 0  # an emptied cell keeps its seed; its weight grows back below
        pts[ok] = shapely.get_coordinates(shapely.centroid(cells[ok]))
        w += 0.5 * (targets - area)
    return _power_cells(county, pts, w)


def _voronoi(parent: BaseGeometry, n: int, rng: np.random.Generator,
             fixed: np.ndarray | None = None, lloyd: int = 2) -> np.ndarray:
    """n Voronoi cells clipped to parent; rows of `fixed` are seeds Lloyd must not move."""
    if n == 1:
        return np.array([parent])
    pts = _sample(parent, n, rng)
    if fixed is not None:
        pts[: len(fixed)] = fixed
    for step in range(lloyd + 1):
        polys = shapely.get_parts(
            shapely.voronoi_polygons(MultiPoint(pts), extend_to=parent, ordered=True))
        cells = shapely.intersection(polys, parent)
        if step < lloyd:
            move = np.arange(n) >= (0 if fixed is None else len(fixed))
            pts[move] = shapely.get_coordinates(shapely.centroid(cells[move]))
    return cells


def _exact(cells_km: list[BaseGeometry]) -> list[MultiPolygon]:
    """Turn approximate cells (km plane) into an exact lon/lat tiling; see module docstring."""
    approx = shapely.transform(np.array(cells_km), _to_lonlat)
    noded = shapely.unary_union(shapely.boundary(approx), grid_size=GRID)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    faces = faces[shapely.area(faces) > 0]
    rep = shapely.point_on_surface(faces)
    tree = shapely.STRtree(approx)
    owner = np.full(len(faces), -1)
    face_idx, cell_idx = tree.query(rep, predicate="within")
    owner[face_idx[::-1]] = cell_idx[::-1]  # first match wins
    lost = np.flatnonzero(owner < 0)  # sub-grid slivers between approximate cells
    if len(lost):
        owner[lost] = tree.query_nearest(rep[lost], all_matches=False)[1]
    groups: dict[int, list] = defaultdict(list)
    for face, cell in zip(faces, owner, strict=True):
        groups[int(cell)].append(face)
    exact = [_multi(shapely.coverage_union_all(groups[i])) for i in range(len(cells_km))]
    # Snapping moves edges by < 1e-7 degrees; anything more means noding lost an edge.
    if not np.allclose(shapely.area(exact), shapely.area(approx), rtol=1e-3):
        raise RuntimeError("exact tiling does not match the drawn cells")
    return exact


def _multi(geom: BaseGeometry) -> MultiPolygon:
    return MultiPolygon([geom]) if isinstance(geom, Polygon) else geom


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to weights that sum exactly to total (largest remainder)."""
    w = np.asarray(weights, dtype=float)
    w = w if w.sum() > 0 else np.ones_like(w)
    exact = total * w / w.sum()
    base = np.floor(exact).astype(int)
    base[np.argsort(-(exact - base), kind="stable")[: total - base.sum()]] += 1
    return base.tolist()


def _split(total: int, n: int, rng: np.random.Generator) -> list[int]:
    """n cell household counts summing to total, each within CELL_HOUSEHOLDS when n > 1
    (always possible because n = round(total / 400)); random transfers add variety."""
    lo, _, hi = CELL_HOUSEHOLDS
    parts = [total // n + (i < total % n) for i in range(n)]
    for _ in range(3 * n if n > 1 else 0):
        i, j = (int(v) for v in rng.integers(n, size=2))
        room = min(parts[i] - lo, hi - parts[j], 60)
        if i != j and room > 0:
            d = int(rng.integers(0, room + 1))
            parts[i], parts[j] = parts[i] - d, parts[j] + d
    return parts


def _village_households(villages: list[DivisionRow], kinds: dict[str, str],
                        rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Households and population per village. Urban communities are fixed draws; the rural
    rest is scaled (within each village's range) so the banner totals about PEOPLE."""
    lo, hi, urban = np.zeros(len(villages)), np.zeros(len(villages)), np.zeros(len(villages), bool)
    pph = np.zeros(len(villages))
    for i, v in enumerate(villages):
        kind = kinds[v.parent_code or ""]
        urban[i] = kind == "street" or v.code[9] in "01"  # NBS: 001-199 are 居委会
        pastoral = kind in ("sumu", "ranch") or v.name.endswith("嘎查")
        lo[i], hi[i] = (1500, 4000) if urban[i] else (150, 600) if pastoral else (200, 900)
        pph[i] = rng.uniform(2.5, 2.8) if urban[i] else rng.uniform(2.8, 3.1)
    raw = lo + (hi - lo) * rng.beta(1.6, 3.5, len(villages))
    target = PEOPLE / PERSONS_PER_HOUSEHOLD - raw[urban].sum()
    s_lo, s_hi = 0.0, 10.0
    for _ in range(60):  # bisection on the scale of the rural excess over each minimum
        s = (s_lo + s_hi) / 2
        total = np.minimum(lo + s * (raw - lo), hi)[~urban].sum()
        s_lo, s_hi = (s, s_hi) if total < target else (s_lo, s)
    households = np.where(urban, raw, np.minimum(lo + s * (raw - lo), hi)).round().astype(int)
    pph *= PEOPLE / (households * pph).sum()  # keep the mix, hit the banner's head count
    return households, (households * pph).round().astype(int)


def _villages(tcell: BaseGeometry, vs: list[DivisionRow], street: bool,
              rng: np.random.Generator) -> dict[str, BaseGeometry]:
    """Village cells of one township. Communities (居委会 0xx/1xx) huddle round the town
    seat and industrial parks (4xx) sit at its edge: Lloyd leaves those seeds in place."""
    centre = [] if street else [v for v in vs if v.code[9] in "014"]
    fixed = None
    if centre:
        cand = _sample(tcell, 16, rng)  # seat: the candidate farthest from the boundary
        seat = shapely.Point(cand[np.argmax(shapely.distance(tcell.boundary,
                                                             shapely.points(cand)))])
        fixed = np.vstack([_sample(tcell.intersection(seat.buffer(
            1.5 if v.code[9] in "01" else 4.0)), 1, rng) for v in centre])
    order = centre + [v for v in vs if v not in centre]
    return {v.code: c for v, c in zip(order, _voronoi(tcell, len(vs), rng, fixed), strict=True)}


def _cell_specs(v: DivisionRow, h: int, p: int,
                rng: np.random.Generator) -> list[tuple[str, str, int, int]]:
    """(name, kind, households, population) of a village's cells, comprehensive first."""
    ded = next(((n, r) for code, n, r in DEDICATED if code == v.code), None)
    ded_h = min(h, int(rng.integers(ded[1][0], ded[1][1] + 1))) if ded else 0
    n = max(1, round((h - ded_h) / CELL_HOUSEHOLDS[1]))
    hh = _split(h - ded_h, n, rng) + ([ded_h] if ded else [])
    names = [f"{v.name}第{i + 1}网格" for i in range(n)] + ([f"{ded[0]}专属网格"] if ded else [])
    kinds = ["comprehensive"] * n + ["dedicated"] * (len(names) - n)
    return list(zip(names, kinds, hh, _apportion(p, hh), strict=True))


def _unit(row: DivisionRow, level: str, parts: list, households: int,
          population: int) -> SynthUnit:
    # Coverage union only drops shared edges, so the parent keeps its children's vertices.
    parent = pad12(row.parent_code) if level != "county" and row.parent_code else None
    return SynthUnit(pad12(row.code), row.name, level, parent,
                     _multi(shapely.coverage_union_all(parts)), population, households)


def generate(rows: list[DivisionRow] | None = None, seed: int = 150521) -> SynthCounty:
    """The synthetic county for `rows` (default: the packaged CSV); same seed, same bytes."""
    rows = read_divisions() if rows is None else rows
    rng = np.random.default_rng(seed)
    county_row = next(r for r in rows if r.level == "county")
    towns = [r for r in rows if r.level == "township"]
    villages = [r for r in rows if r.level == "village"]
    by_town = {t.code: [v for v in villages if v.parent_code == t.code] for t in towns}
    if not all(by_town.values()):
        raise ValueError("every township needs at least one village to tile it")
    street = next((t for t in towns if _township_kind(t.name, None) == "street"), None)
    kinds = {t.code: _township_kind(t.name, street.name[:2] if street else None) for t in towns}

    county = _county_shape(rng)
    weight = np.array([_AREA_FACTOR.get(kinds[t.code], 0.0) * len(by_town[t.code])
                       for t in towns]) * rng.lognormal(0, 0.15, len(towns))
    seat = towns.index(street) if street else None
    targets = weight / weight.sum() * county.area * (1 - (_STREET_SHARE if street else 0))
    if seat is not None:
        targets[seat] = county.area * _STREET_SHARE
    village_cells: dict[str, BaseGeometry] = {}
    for t, tcell in zip(towns, _townships(county, targets, seat, rng), strict=True):
        village_cells.update(_villages(tcell, by_town[t.code], t is street, rng))

    hh, pop = _village_households(villages, kinds, rng)
    specs: list[tuple[DivisionRow, int, tuple[str, str, int, int]]] = []
    approx: list[BaseGeometry] = []
    for v, h, p in zip(villages, hh.tolist(), pop.tolist(), strict=True):
        vspecs = _cell_specs(v, h, p, rng)
        specs += [(v, i + 1, spec) for i, spec in enumerate(vspecs)]
        approx.extend(_voronoi(village_cells[v.code], len(vspecs), rng))

    cells = [SynthCell(f"{pad12(v.code)}{serial:03d}", pad12(v.code), name, kind, geom, h, p)
             for (v, serial, (name, kind, h, p)), geom in zip(specs, _exact(approx), strict=True)]
    parts: dict[str, list[MultiPolygon]] = defaultdict(list)
    for c in cells:
        parts[c.village_code].append(c.boundary)
    units = {v.code: _unit(v, "village", parts[pad12(v.code)], h, p)
             for v, h, p in zip(villages, hh.tolist(), pop.tolist(), strict=True)}
    for t in towns:
        kids = [units[v.code] for v in by_town[t.code]]
        units[t.code] = _unit(t, "township", [k.boundary for k in kids],
                              sum(k.households for k in kids), sum(k.population for k in kids))
    tunits = [units[t.code] for t in towns]
    county_unit = _unit(county_row, "county", [t.boundary for t in tunits],
                        sum(t.households for t in tunits), sum(t.population for t in tunits))
    return SynthCounty([county_unit, *tunits, *[units[v.code] for v in villages]], cells)
