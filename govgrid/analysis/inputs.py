"""What the hot-spot analysis reads from the database, in one statement each: the grid cells
of a county (in a fixed order), their neighbour pairs from the geometries in PostGIS, and
the cases per cell and calendar month (Asia/Shanghai). Run by jobs (as the platform, so
unscoped by design: the analysis covers the whole county; results are read back through
scoped queries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from ..cases.models import Case
from ..cases.workflow import CaseState
from ..extensions import db
from ..geo.models import GridCell


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
        meets = func.ST_DWithin(func.geography(a.boundary), func.geography(b.boundary),
                                distance_m)
    pairs = db.session.execute(
        select(a.id, b.id).where(and_(a.county_id == county_id, b.county_id == county_id,
                                      a.id < b.id, meets))).all()
    index = cells.index()
    n = len(cells.ids)
    rows = [index[p[0]] for p in pairs] + [index[p[1]] for p in pairs]
    cols = [index[p[1]] for p in pairs] + [index[p[0]] for p in pairs]
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))


def monthly_counts(cells: Cells, county_id: int, months: list[dt.date]) -> np.ndarray:
    """cells × months: cases reported in each cell in each local calendar month (drafts,
    refused and merged reports left out: they are not incidents)."""
    first, last = months[0], months[-1]
    end = (last + dt.timedelta(days=32)).replace(day=1)
    local_month = func.date(func.date_trunc("month", func.timezone("Asia/Shanghai",
                                                                     Case.reported_at)))
    rows = db.session.execute(
        select(Case.grid_cell_id, local_month.label("month"), func.count().label("n"))
        .where(Case.county_id == county_id, Case.grid_cell_id.is_not(None),
               Case.state.not_in((CaseState.draft, CaseState.rejected, CaseState.merged)),
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
