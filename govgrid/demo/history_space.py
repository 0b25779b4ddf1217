"""Where demo cases happen: grid cells weighted by households, hot spots, points (pure).

Every case lies in a grid cell drawn in proportion to its households, reshaped by what the
dispute is about: land and grassland disputes stay in the countryside (grassland mostly in
pastoral 嘎查 and 苏木), property-management ones in town communities, wage disputes gather in
the industrial parks, school and hospital matters in their dedicated cells. About 25 cells are
hot spots with repeated grassland or land disputes, their points gathered round one contested
site, so the heat map and the hot-spot analysis have something true to find.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

HOT_GRASSLAND, HOT_LAND = 13, 12  # hot-spot cells by theme (about 25 in all)
# Share of a theme's cases that fall in its hot cells / dedicated cells.
SHARES = {"grassland": 0.30, "land": 0.25, "wage": 0.35, "school": 0.5, "medical": 0.4}
CLUSTERED = 0.6  # share of a hot cell's themed cases drawn round its contested site
SITE_SIGMA = 0.004  # degrees (~350 m): spread round a contested site


@dataclass(frozen=True)
class Place:
    """One grid cell and the units above it (ids as in the database)."""

    cell_id: int
    cell_code: str
    cell_name: str
    kind: str  # comprehensive / dedicated
    households: int
    path: str  # the cell's ltree path (the case's location_path)
    village_id: int
    village_code: str
    village_name: str
    township_id: int
    township_name: str
    county_id: int
    boundary: BaseGeometry

    @property
    def urban(self) -> bool:  # NBS: 0xx/1xx are 居委会; the 街道 is the banner seat
        return self.village_code[9] in "01" or self.township_name.endswith("街道办事处")

    @property
    def pastoral(self) -> bool:
        return self.village_name.endswith("嘎查") or self.township_name.endswith(("苏木", "牧场"))

    @property
    def park(self) -> bool:  # 4xx: industrial parks (工业园区)
        return self.village_code[9] == "4"


def location_profile(code: str) -> str:
    """Which kind of place a category's disputes happen in."""
    if code[:2] == "05" or code in ("1702", "1703"):
        return "grassland"
    if code[:2] == "04":
        return "land"
    if code[:2] == "06":
        return "wage"
    if code[:2] == "07":
        return "urban"
    if code[:2] == "20":
        return "school"
    if code[:2] == "09":
        return "medical"
    if code[:2] in ("03", "17", "18") or code in ("0802", "1002", "1003", "1101", "1103",
                                                  "1104", "1105", "1203", "1304", "1405"):
        return "rural"
    return "any"


def choose_hot_cells(places: list[Place], rng: np.random.Generator) -> dict[int, str]:
    """Index of each hot-spot cell -> its theme (grassland or land)."""
    rural = [i for i, p in enumerate(places) if p.kind == "comprehensive" and not p.urban
             and not p.park]
    pastoral = [i for i in rural if places[i].pastoral]
    farming = [i for i in rural if not places[i].pastoral]
    hot = {int(i): "grassland" for i in
           rng.choice(pastoral, size=min(HOT_GRASSLAND, len(pastoral)), replace=False)}
    hot.update({int(i): "land" for i in
                rng.choice(farming, size=min(HOT_LAND, len(farming)), replace=False)})
    return hot


def _boost(weights: np.ndarray, mask: np.ndarray, share: float) -> None:
    """Scale the masked cells so that they receive `share` of the draws."""
    inside, outside = weights[mask].sum(), weights[~mask].sum()
    if inside > 0 and outside > 0:
        weights[mask] *= max(1.0, share / (1 - share) * outside / inside)


def cell_weights(places: list[Place], profile: str, hot: dict[int, str]) -> np.ndarray:
    """Probability of each cell for a case of this location profile."""
    w = np.array([p.households + 5.0 for p in places])  # dedicated cells house few people
    urban = np.array([p.urban for p in places])
    if profile in ("rural", "land", "grassland"):
        w[urban] *= 0.03
    if profile == "grassland":
        w[np.array([p.pastoral for p in places])] *= 3.0
    if profile == "urban":
        w[~urban] *= 0.08
    if profile in ("grassland", "land"):
        _boost(w, np.array([hot.get(i) == profile for i in range(len(places))]),
               SHARES[profile])
    dedicated = {"wage": lambda p: p.park,
                 "school": lambda p: p.kind == "dedicated" and ("中学" in p.cell_name
                                                               or "教育" in p.cell_name),
                 "medical": lambda p: p.kind == "dedicated" and ("医院" in p.cell_name
                                                                or "卫生院" in p.cell_name)}
    if profile in dedicated:
        _boost(w, np.array([dedicated[profile](p) for p in places]), SHARES[profile])
    return w / w.sum()


def _inside(geom: BaseGeometry, count: int, rng: np.random.Generator,
            centre: tuple[float, float] | None = None) -> np.ndarray:
    """`count` points strictly inside geom: uniform (rejection in the bounding box), or
    normal round `centre` when given (rejection outside the cell)."""
    x0, y0, x1, y1 = geom.bounds
    found = np.empty((0, 2))
    for _ in range(500):
        batch = max(4 * (count - len(found)), 16)
        if centre is None:
            pts = rng.uniform((x0, y0), (x1, y1), size=(batch, 2))
        else:
            pts = rng.normal(centre, SITE_SIGMA, size=(batch, 2))
        found = np.vstack([found, pts[shapely.contains_xy(geom, pts[:, 0], pts[:, 1])]])
        if len(found) >= count:
            return found[:count]
    raise ValueError("could not place points inside a grid cell")


def sample_points(places: list[Place], cell_idx: np.ndarray, clustered: np.ndarray,
                  hot: dict[int, str], rng: np.random.Generator) -> np.ndarray:
    """One point per case inside its cell; `clustered` cases round their hot cell's site."""
    points = np.empty((len(cell_idx), 2))
    sites = {i: tuple(_inside(places[i].boundary, 1, rng)[0]) for i in sorted(hot)}
    for cell in np.unique(cell_idx):
        geom = places[int(cell)].boundary
        shapely.prepare(geom)
        rows = np.flatnonzero(cell_idx == cell)
        near = rows[clustered[rows]] if int(cell) in sites else rows[:0]
        spread = np.setdiff1d(rows, near)
        if len(spread):
            points[spread] = _inside(geom, len(spread), rng)
        if len(near):
            points[near] = _inside(geom, len(near), rng, sites[int(cell)])
    return points


def near_point(place: Place, base: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A point a few tens of metres from `base` in the same cell (a second report of the
    same dispute); the base point itself if the jitter leaves the cell."""
    candidate = base + rng.normal(0, 0.0004, size=2)
    if shapely.contains_xy(place.boundary, candidate[0], candidate[1]):
        return candidate
    return base.copy()
