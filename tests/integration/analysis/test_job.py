"""The analysis job, run inline on crafted cases: from cases to stored Gi*, patterns and
risk grades, with progress; the backtest stores hit rates and PAI per month."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from govgrid.analysis.job import run_analysis
from govgrid.analysis.models import AnalysisRun, CellResult, PredictionCheck, RunKind
from govgrid.analysis.runs import queue_run
from govgrid.auth.principal import SYSTEM, acting_as
from govgrid.cases.models import CaseEvent
from govgrid.cases.workflow import CaseState
from govgrid.timestamps import frozen_at
from tests.support.stats import CaseFactory, local

NOW = local(2031, 7, 15)


@pytest.fixture
def crafted(app, db_session):
    """Cases in one cell rising over three months; one urgent, one escalated, one repeat."""
    factory = CaseFactory(db_session)
    for month, number in ((4, 3), (5, 6), (6, 12)):
        for day in range(1, number + 1):
            factory.make(CaseState.accepted, local(2031, month, min(day, 28)))
    urgent = factory.make(CaseState.accepted, local(2031, 6, 20), is_urgent=True)
    db_session.add(CaseEvent(county_id=factory.county_id, case_id=urgent.id,
                             action="escalate", from_state="accepted", to_state="accepted",
                             at=local(2031, 6, 21)))
    factory.make(CaseState.rejected, local(2031, 6, 22))  # refused: not an incident
    db_session.commit()
    return factory


def test_a_hot_spot_run_stores_every_cell_with_its_class_pattern_and_grade(app, crafted,
                                                                          db_session):
    with app.app_context(), acting_as(SYSTEM), frozen_at(NOW):
        run = queue_run(crafted.county_id, RunKind.hotspots, dt.date(2031, 6, 1))
        assert run.status == "queued"
        assert run_analysis(run.id) == "done"
        assert run_analysis(run.id) == "skipped"  # enqueued twice: runs once
        db_session.expire_all()
        run = db_session.get(AnalysisRun, run.id)
        results = {r.grid_cell_id: r for r in db_session.execute(
            select(CellResult).where(CellResult.run_id == run.id)).scalars()}
    assert run.status == "done" and run.progress == 100 and run.finished_at is not None
    assert run.settings["weights"]["hot"] == 3.0  # the configuration it used is kept
    assert run.summary["cells"] == len(results) > 100
    cell = results[crafted.cell_id]
    # June: 13 incidents (12 + the urgent one; the refused report left out).
    assert cell.cases == 13 and run.summary["cases"] == 13
    assert cell.hot_class == 3 and cell.z > 3 and cell.q < 0.01
    assert cell.urgent == 1 and cell.escalated == 1
    assert cell.repeats >= 12  # same category within 200 m within 90 days
    assert cell.pattern_side == 1 and cell.pattern in ("new", "consecutive")
    # 3·3 (99 % hot) + 3 (new/consecutive) + repeats + 1 escalation + 5 urgent: red.
    assert cell.score >= 12 + 9 and cell.grade == "red"
    assert all(r.grade == "blue" for k, r in results.items()
               if r.cases == 0 and r.hot_class <= 0)
    # Its quiet neighbours are hot spots too (their neighbourhood holds its cases) but are
    # graded on their own facts: no case of their own, no hot-spot points.
    quiet = [r for r in results.values() if r.cases == 0 and r.hot_class > 0]
    assert quiet and all(r.score == 0 and r.grade == "blue" for r in quiet)


def test_a_failing_run_shows_its_error(app, crafted, db_session, monkeypatch):
    import govgrid.analysis.job as job

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(job, "cell_facts", broken)
    with app.app_context(), acting_as(SYSTEM), frozen_at(NOW):
        run = queue_run(crafted.county_id, RunKind.hotspots, dt.date(2031, 6, 1))
        with pytest.raises(RuntimeError):
            run_analysis(run.id)
        db_session.expire_all()
        run = db_session.get(AnalysisRun, run.id)
        stored = db_session.execute(select(CellResult).where(CellResult.run_id == run.id)).all()
    assert run.status == "failed" and "disk on fire" in run.error
    assert stored == []  # nothing half-written


def test_the_backtest_checks_each_month_against_the_next(app, crafted, db_session):
    with app.app_context(), acting_as(SYSTEM), frozen_at(NOW):
        run = queue_run(crafted.county_id, RunKind.backtest, dt.date(2031, 6, 1))
        assert run_analysis(run.id) == "done"
        checks = list(db_session.execute(select(PredictionCheck).where(
            PredictionCheck.run_id == run.id).order_by(PredictionCheck.month)).scalars())
    months = sorted({c.month for c in checks})
    # The crafted history starts in April; June is the last month with a next month (July).
    assert months == [dt.date(2031, 4, 1), dt.date(2031, 5, 1), dt.date(2031, 6, 1)]
    assert {(c.method, c.target) for c in checks} == {
        (m, t) for m in ("risk", "kde") for t in (0.01, 0.05, 0.10)}
    april = {(c.method, c.target): c for c in checks if c.month == dt.date(2031, 4, 1)}
    # May's 6 cases are all in the crafted cell, which both methods flag first in April.
    for method in ("risk", "kde"):
        check = april[(method, 0.01)]
        assert check.total == 6 and check.hits == 6 and check.hit_rate == 1.0
        assert check.pai == pytest.approx(1.0 / check.area_share)
    june = [c for c in checks if c.month == dt.date(2031, 6, 1)]
    assert all(c.total == 0 and c.hit_rate is None and c.pai is None for c in june)
