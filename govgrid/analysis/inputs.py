"""What the hot-spot analysis reads from the database, in one statement each: the grid cells
of a county (in a fixed order), their neighbour pairs from the geometries in PostGIS, and
the cases per cell and calendar month (Asia/Shanghai). Run by jobs (as the platform, so
unscoped by design: the analysis covers the whole county; results are read back through
scoped queries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import aliased

from ..cases.models import Case, Category
from ..cases.workflow import CaseState
from ..extensions import db
from ..geo.models import GridCell
from ..stats.period import next_month

# Reports that are not incidents: drafts, refusals and duplicates merged into another case.
NOT_INCIDENTS = (CaseState.draft, CaseState.rejected, CaseState.merged)


@dataclass(frozen=True)
class Cells:
    ids: np.ndarray  # grid_cells.id, the order of every array and matrix row
    codes: list[str]

    def index(self) -> dict[int, int]:
        return {int(cell_id): i for i, cell_id in enumerate(self.ids)}


def county_cells(county_id: int) -> Cells:
    rows = db.session.execute(select(GridCell.id, GridCell.code)
                              .where(GridCell.county_id == county_id)
                              .order_by(GridCell.code)).all()
    return Cells(np.array([r.id for r in rows], dtype=np.int64), [r.code for r in rows])


def contiguity(cells: Cells, county_id: int, distance_m: float | None = None
               ) -> sparse.csr_matrix:
    """Neighbours: cells whose boundaries meet (share an edge or a corner: queen contiguity),
    or, with `distance_m`, cells within that distance (geodesic) of each other. Symmetric,
    0/1, no self links; one GiST-indexed self-join."""
    a, b = aliased(GridCell), aliased(GridCell)
    if distance_m is None:
        meets = func.ST_Intersects(a.boundary, b.boundary)
    else:
        # The geodesic test cannot use the geometry index, so a box in degrees sure to hold
        # every cell within reach picks the candidates through it first (without it the join
        # compared every pair: half an hour for 10,000 cells; scripts/bench/hotspots.py).
        meets = and_(b.boundary.op("&&")(_reach(a.boundary, distance_m)),
                     func.ST_DWithin(func.geography(a.boundary), func.geography(b.boundary),
                                     distance_m))
    pairs = db.session.execute(
        select(a.id, b.id).where(and_(a.county_id == county_id, b.county_id == county_id,
                                      a.id < b.id, meets))).all()
    index = cells.index()
    n = len(cells.ids)
    rows = [index[p[0]] for p in pairs] + [index[p[1]] for p in pairs]
    cols = [index[p[1]] for p in pairs] + [index[p[0]] for p in pairs]
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))


# Metres per degree on the WGS 84 ellipsoid, at their fewest: of latitude (at the equator),
# and of longitude at latitude φ, at least this times cos φ.
METRES_PER_DEGREE_LAT = 110_574.0
METRES_PER_DEGREE_LON = 111_319.0
REACH_SLACK = 1.01  # room for PostGIS's distance differing from the true geodesic


def _reach(boundary: Any, distance_m: float) -> ColumnElement[Any]:
    """The boundary's bounding box grown in degrees to hold everything within `distance_m`:
    north and south by the distance over the fewest metres per degree of latitude, east and
    west over the fewest metres per degree of longitude anywhere within reach (at the box's
    latitude farthest from the equator moved the distance poleward; capped short of the
    pole); 1 % more for slack."""
    reach = distance_m * REACH_SLACK
    lat = reach / METRES_PER_DEGREE_LAT
    farthest = func.least(89.9, func.greatest(func.abs(func.ST_YMin(boundary)),
                                              func.abs(func.ST_YMax(boundary))) + lat)
    lon = reach / (METRES_PER_DEGREE_LON * func.cos(func.radians(farthest)))
    return func.ST_Expand(boundary, lon, lat)


def monthly_counts(cells: Cells, county_id: int, months: list[dt.date],
                   category_ids: list[int] | None = None) -> np.ndarray:
    """cells × months: cases reported in each cell in each local calendar month (drafts,
    refused and merged reports left out: they are not incidents); `category_ids` limits it
    to a category group."""
    first, last = months[0], months[-1]
    end = next_month(last)
    local_month = func.date(func.date_trunc("month", func.timezone("Asia/Shanghai",
                                                                     Case.reported_at)))
    rows = db.session.execute(
        select(Case.grid_cell_id, local_month.label("month"), func.count().label("n"))
        .where(Case.county_id == county_id, Case.grid_cell_id.is_not(None),
               Case.state.not_in(NOT_INCIDENTS), *in_group(category_ids),
               func.timezone("Asia/Shanghai", Case.reported_at) >= first,
               func.timezone("Asia/Shanghai", Case.reported_at) < end)
        .group_by(Case.grid_cell_id, local_month)).all()
    index = cells.index()
    column = {month: j for j, month in enumerate(months)}
    counts = np.zeros((len(cells.ids), len(months)))
    for row in rows:
        if row.grid_cell_id in index and row.month in column:
            counts[index[row.grid_cell_id], column[row.month]] = row.n
    return counts


def in_group(category_ids: list[int] | None) -> list[ColumnElement[bool]]:
    """The condition limiting cases to a category group (none: every case)."""
    return [] if category_ids is None else [Case.category_id.in_(category_ids)]


def group_members(category_id: int) -> list[int]:
    """A category group: the top-level category and the categories under it."""
    return list(db.session.execute(select(Category.id).where(
        or_(Category.id == category_id, Category.parent_id == category_id))).scalars())


@dataclass(frozen=True)
class Shapes:
    areas: np.ndarray  # m², geodesic
    lonlat: np.ndarray  # n×2, centroids in degrees
    centroids: np.ndarray  # n×2, metres east and north of the county's mean centroid

    def project(self, lonlat: np.ndarray) -> np.ndarray:
        """Points (k×2, degrees) onto the plane of `centroids`."""
        return to_metres(lonlat, self.lonlat)


def cell_shapes(cells: Cells) -> Shapes:
    """Areas and centroids of the cells, in the order of `cells`. Centroids go to metres by
    an equirectangular projection about the county's middle: over a county (tens of
    kilometres) its error is far below a cell's size, which is all a kernel density needs."""
    rows = db.session.execute(
        select(GridCell.id, func.ST_Area(func.geography(GridCell.boundary)).label("area"),
               func.ST_X(func.ST_Centroid(GridCell.boundary)).label("lon"),
               func.ST_Y(func.ST_Centroid(GridCell.boundary)).label("lat"))
        .where(GridCell.id.in_([int(i) for i in cells.ids]))).all()
    index = cells.index()
    areas = np.zeros(len(cells.ids))
    lonlat = np.zeros((len(cells.ids), 2))
    for row in rows:
        areas[index[row.id]] = row.area
        lonlat[index[row.id]] = (row.lon, row.lat)
    return Shapes(areas, lonlat, to_metres(lonlat, lonlat))


EARTH_RADIUS_M = 6_371_008.8


def to_metres(lonlat: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Longitude/latitude (k×2, degrees) to metres about the middle of `reference`."""
    if len(reference) == 0:
        return np.zeros((len(lonlat), 2))
    lon0, lat0 = reference.mean(axis=0)
    scale = np.pi / 180 * EARTH_RADIUS_M
    if len(lonlat) == 0:
        return np.zeros((0, 2))
    return np.column_stack(((lonlat[:, 0] - lon0) * scale * np.cos(np.radians(lat0)),
                            (lonlat[:, 1] - lat0) * scale))


def monthly_points(county_id: int, months: list[dt.date],
                   category_ids: list[int] | None = None) -> dict[dt.date, np.ndarray]:
    """Case points (lon, lat) per local month, for the kernel-density baseline."""
    first, last = months[0], months[-1]
    end = next_month(last)
    local = func.timezone("Asia/Shanghai", Case.reported_at)
    local_month = func.date(func.date_trunc("month", local))
    rows = db.session.execute(
        select(local_month.label("month"), func.ST_X(Case.point).label("lon"),
               func.ST_Y(Case.point).label("lat"))
        .where(Case.county_id == county_id, Case.point.is_not(None),
               Case.state.not_in(NOT_INCIDENTS), *in_group(category_ids),
               local >= first, local < end)).all()
    points: dict[dt.date, list[tuple[float, float]]] = {month: [] for month in months}
    for row in rows:
        if row.month in points:
            points[row.month].append((row.lon, row.lat))
    return {month: np.array(values, dtype=float).reshape(-1, 2)
            for month, values in points.items()}
