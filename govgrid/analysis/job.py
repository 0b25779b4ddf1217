"""The analysis job: one run (analysis.models.AnalysisRun) from inputs to stored results.

hotspots: cases per cell over the window's months → Gi* of every month → Mann–Kendall
  trend and emerging pattern per cell → the month's facts and risk grades → one row per
  cell, stored with the run marked done in one transaction (done ⇔ results present).
backtest: for every month of the county's history that has a next month, the same analysis
  and a kernel-density baseline flag 1/5/10 % of the area; hit rate and PAI on the next
  month are stored per month, method and target.

Runs as the platform (unscoped: the analysis covers the whole county); progress is written
as it goes (jobs.progress) so the page that asked can show it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse
from sqlalchemy import func, insert, select

from ..auth.principal import SYSTEM, acting_as
from ..cases.models import Case
from ..extensions import db
from ..geo.models import GridCell
from ..jobs import progress
from ..jobs.context import with_app_context
from ..jobs.progress import JobStatus
from ..stats.period import months_back, next_month
from ..timestamps import utcnow
from ..unit_of_work import committing
from . import prediction
from .facts import cell_facts
from .inputs import (
    NOT_INCIDENTS,
    Cells,
    cell_shapes,
    contiguity,
    county_cells,
    group_members,
    monthly_counts,
    monthly_points,
)
from .models import AnalysisRun, CellResult, PredictionCheck, RunKind
from .pipeline import Facts, HotSpots, Risk, hot_spots, risk
from .risk import from_data

log = logging.getLogger(__name__)

RUNS = AnalysisRun.__table__
KDE_BANDWIDTH_M = 1000.0  # the baseline's kernel: about a village's reach
BACKTEST_MONTHS = 24  # at most this many months are checked
TIE_BREAK = 1e-3  # the tie-breaker's whole range: under any score difference that matters


@dataclass(frozen=True)
class Inputs:
    cells: Cells
    adjacency: sparse.csr_matrix
    category_ids: list[int] | None


@with_app_context
def run_analysis(run_id: int) -> str:
    """The RQ job: run `run_id` if it is still queued; returns its final status."""
    if not progress.claim(RUNS, run_id):
        return "skipped"
    with acting_as(SYSTEM):
        try:
            run = db.session.get(AnalysisRun, run_id)
            assert run is not None
            with committing():
                summary = _hotspots(run) if run.kind is RunKind.hotspots else _backtest(run)
                run.summary = summary
                run.status = JobStatus.done
                run.progress = 100
                run.stage = "done"
                run.finished_at = utcnow()
        except Exception as error:  # any failure is shown on the run, then re-raised
            log.exception("analysis run %s failed", run_id)
            progress.failed(RUNS, run_id, f"{type(error).__name__}: {error}")
            raise
    return JobStatus.done.value


def _inputs(run: AnalysisRun) -> Inputs:
    progress.step(RUNS, run.id, 5, "weights")
    cells = county_cells(run.county_id)
    category_ids = group_members(run.category_id) if run.category_id else None
    return Inputs(cells, contiguity(cells, run.county_id, run.distance_m), category_ids)


def analyse(counts: np.ndarray, adjacency: sparse.spmatrix, facts: Facts,
            run: AnalysisRun) -> tuple[HotSpots, Risk]:
    spots = hot_spots(counts, adjacency)
    return spots, risk(spots, replace(facts, cases=counts[:, -1]), from_data(run.settings))


def _hotspots(run: AnalysisRun) -> dict[str, object]:
    inputs = _inputs(run)
    months = months_back(run.month, run.window_months)
    progress.step(RUNS, run.id, 20, "binning")
    counts = monthly_counts(inputs.cells, run.county_id, months, inputs.category_ids)
    progress.step(RUNS, run.id, 40, "facts")
    facts = cell_facts(inputs.cells, run.county_id, run.month, inputs.category_ids)
    progress.step(RUNS, run.id, 60, "gi_star")
    spots, graded = analyse(counts, inputs.adjacency, facts, run)
    progress.step(RUNS, run.id, 85, "storing")
    _store(run, inputs.cells, counts, spots, facts, graded)
    return _summary(spots, graded, counts)


def _store(run: AnalysisRun, cells: Cells, counts: np.ndarray, spots: HotSpots,
           facts: Facts, graded: Risk) -> None:
    paths = dict(db.session.execute(select(GridCell.id, GridCell.path).where(
        GridCell.county_id == run.county_id)).all())
    hot_months = (spots.klass > 0).sum(axis=1)

    def number(value: float) -> float | None:
        return None if np.isnan(value) else float(value)

    rows = [{
        "run_id": run.id, "grid_cell_id": int(cell_id), "path": paths[int(cell_id)],
        "cases": int(counts[i, -1]), "z": number(spots.z[i, -1]), "p": number(spots.p[i, -1]),
        "q": number(spots.q[i, -1]), "hot_class": int(spots.klass[i, -1]),
        "reason": spots.reason[i].value, "hot_months": int(hot_months[i]),
        "trend_z": float(spots.trends[i].z), "trend_p": float(spots.trends[i].p),
        "pattern": spots.patterns[i].value, "pattern_side": int(spots.sides[i]),
        "repeats": int(facts.repeats[i]), "escalated": int(facts.escalated[i]),
        "rebounded": int(facts.rebounded[i]), "urgent": int(facts.urgent[i]),
        "score": float(graded.scores[i]), "grade": graded.grades[i].value,
    } for i, cell_id in enumerate(cells.ids)]
    if rows:
        db.session.execute(insert(CellResult), rows)


def _summary(spots: HotSpots, graded: Risk, counts: np.ndarray) -> dict[str, object]:
    final = spots.klass[:, -1]
    return {
        "cells": int(final.size), "cases": int(counts[:, -1].sum()),
        "hot": int((final > 0).sum()), "cold": int((final < 0).sum()),
        "grades": {g: sum(1 for x in graded.grades if x.value == g)
                   for g in ("red", "orange", "yellow", "blue")},
        "patterns": {p.value: int(((np.array([x is p for x in spots.patterns]))
                                   & (spots.sides > 0)).sum())
                     for p in set(spots.patterns) if p.value != "none"},
    }


def ranking(graded: Risk, counts: np.ndarray, areas: np.ndarray) -> np.ndarray:
    """The order in which the risk score flags cells: by score, and within a score (most
    cells score 0 in a month) by the month's cases per km². The density is squeezed into
    [0, TIE_BREAK), below any score difference that matters, so it orders only ties."""
    density = counts / np.maximum(areas / 1e6, 1e-9)
    return graded.scores + TIE_BREAK * density / (1.0 + density)


def history_months(county_id: int, last: dt.date) -> list[dt.date]:
    """Months from the county's first case to `last` (at most BACKTEST_MONTHS + 1)."""
    first = db.session.execute(
        select(func.min(Case.reported_at)).where(Case.county_id == county_id,
                                                 Case.state.not_in(NOT_INCIDENTS))
    ).scalar_one_or_none()
    if first is None:
        return []
    start = first.astimezone(dt.timezone(dt.timedelta(hours=8))).date().replace(day=1)
    months = months_back(last, BACKTEST_MONTHS + 1)
    return [m for m in months if m >= start]


def _backtest(run: AnalysisRun) -> dict[str, object]:
    """Flag cells in each month by (a) the risk score, (b) the kernel density of the month's
    case points; check against the next month. `run.month` is the last month flagged."""
    inputs = _inputs(run)
    months = history_months(run.county_id, next_month(run.month))
    if len(months) < 2:
        return {"months": 0}
    window = months_back(months[0], run.window_months)[:-1] + months  # earlier months too
    counts = monthly_counts(inputs.cells, run.county_id, window, inputs.category_ids)
    points = monthly_points(run.county_id, months, inputs.category_ids)
    shapes = cell_shapes(inputs.cells)
    offset = len(window) - len(months)
    checked = 0
    for k, month in enumerate(months[:-1]):
        progress.step(RUNS, run.id, 10 + int(85 * k / max(len(months) - 1, 1)),
                      f"month {month:%Y-%m}")
        t = offset + k  # column of `month` in counts
        facts = cell_facts(inputs.cells, run.county_id, month, inputs.category_ids)
        slice_ = counts[:, max(0, t + 1 - run.window_months):t + 1]
        _, graded = analyse(slice_, inputs.adjacency, facts, run)
        density = prediction.kernel_density(
            shapes.centroids, shapes.project(points[month]), KDE_BANDWIDTH_M)
        following = counts[:, t + 1]
        flagged_by = (("risk", ranking(graded, slice_[:, -1], shapes.areas)), ("kde", density))
        for method, scores in flagged_by:
            for target in prediction.TARGETS:
                check = prediction.check(scores, shapes.areas, following, target)
                db.session.add(PredictionCheck(
                    run_id=run.id, month=month, method=method, target=target,
                    area_share=check.area_share, cells=check.cells, hits=check.hits,
                    total=check.total, hit_rate=check.hit_rate, pai=check.pai))
        checked += 1
    db.session.flush()
    return {"months": checked, "first": months[0].isoformat(),
            "last": months[-2].isoformat()}

