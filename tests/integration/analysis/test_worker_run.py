"""A run asked for is carried out by a real `rq worker` process, not inside the request:
the row is committed queued, the worker claims it, writes progress and stores the results."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, text

from govgrid.analysis.models import AnalysisRun, CellResult, RunKind
from govgrid.analysis.runs import queue_run
from govgrid.auth.principal import SYSTEM, acting_as
from govgrid.extensions import db
from govgrid.geo.models import GridCell
from tests.support.workers import run_worker_burst


def test_a_queued_run_is_done_by_a_real_worker(app, test_redis):
    with app.app_context(), acting_as(SYSTEM):
        run = queue_run(1, RunKind.hotspots, dt.date(2026, 1, 1))  # committed for real
        run_id = run.id
        cells = db.session.execute(select(func.count()).select_from(GridCell).where(
            GridCell.county_id == 1)).scalar_one()
        db.session.remove()
    try:
        assert any(key.startswith(f"rq:job:analysis-run-{run_id}-".encode())
                   for key in test_redis.keys("rq:job:*"))
        run_worker_burst(app.config["REDIS_URL"])
        with app.app_context():
            run = db.session.get(AnalysisRun, run_id)
            stored = db.session.execute(select(func.count()).select_from(CellResult).where(
                CellResult.run_id == run_id)).scalar_one()
            assert (run.status, run.progress, run.stage) == ("done", 100, "done")
            assert run.started_at is not None and run.finished_at >= run.started_at
            assert stored == cells == run.summary["cells"]
            db.session.remove()
    finally:
        with app.app_context(), db.engine.begin() as connection:
            connection.execute(text("DELETE FROM analysis_runs WHERE id = :i"), {"i": run_id})
