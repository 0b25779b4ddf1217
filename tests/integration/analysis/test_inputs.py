"""The analysis reads cells, their neighbours from PostGIS and cases per cell and month."""

from __future__ import annotations

import datetime as dt

import numpy as np

from govgrid.analysis.gi_star import gi_star
from govgrid.analysis.inputs import contiguity, county_cells, monthly_counts
from govgrid.cases.workflow import CaseState
from tests.support.stats import CaseFactory, local


def test_neighbours_come_from_the_geometries(app, db_session, as_county_staff):
    from govgrid.auth.principal import SYSTEM, acting_as

    with app.test_request_context(), acting_as(SYSTEM):
        cells = county_cells(1)
        w = contiguity(cells, 1)
        wide = contiguity(cells, 1, distance_m=2000)
    n = len(cells.ids)
    assert n > 100 and w.shape == (n, n)
    assert (w != w.T).nnz == 0 and w.diagonal().sum() == 0  # symmetric, no self links
    degrees = np.asarray(w.sum(axis=1)).ravel()
    # A planar tiling: every cell touches some other, and on average about six.
    assert degrees.min() >= 1 and 3 <= degrees.mean() <= 9
    assert wide.nnz >= w.nnz  # a distance band reaches at least the touching cells


def test_cases_are_binned_by_cell_and_local_month(app, db_session):
    from govgrid.auth.principal import SYSTEM, acting_as

    factory = CaseFactory(db_session)
    factory.make(CaseState.closed, local(2031, 3, 1, 0))  # 00:00 on 1 March in Shanghai
    factory.make(CaseState.reported, local(2031, 3, 31, 23))
    factory.make(CaseState.reported, local(2031, 4, 2))
    factory.make(CaseState.rejected, local(2031, 4, 3))  # refused: not counted
    db_session.commit()
    months = [dt.date(2031, 2, 1), dt.date(2031, 3, 1), dt.date(2031, 4, 1)]
    with app.test_request_context(), acting_as(SYSTEM):
        cells = county_cells(1)
        counts = monthly_counts(cells, 1, months)
        w = contiguity(cells, 1)
    row = cells.index()[factory.cell_id]
    assert counts[row].tolist() == [0, 2, 1]
    assert counts.sum() == 3
    # The crafted cell stands out in March (with its neighbours: a neighbour with fewer
    # neighbours of its own can score higher, as Gi* weighs a smaller neighbourhood so).
    result = gi_star(counts[:, 1], w)
    assert result.z[row] > 3 and result.klass[row] > 0
    neighbours = set(w[row].indices)
    hot = {i for i in range(len(cells.ids)) if result.klass[i] > 0}
    assert hot <= neighbours | {row}
