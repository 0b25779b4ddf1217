"""The analysis calendar on a controllable clock: nightly runs from 02:00 Beijing time,
the month-end run and reports on the 1st, nothing twice; rows left queued are handed over
again and rows running past the job timeout are marked failed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update

from govgrid.analysis.models import AnalysisRun
from govgrid.analysis.schedule import schedule_analysis
from govgrid.auth.principal import SYSTEM, acting_as
from govgrid.geo.models import Unit, UnitLevel
from govgrid.jobs.progress import JobStatus
from govgrid.reports.models import MonthlyReport
from govgrid.timestamps import frozen_at
from tests.support.stats import local


def _tick(moment: dt.datetime) -> dict:
    with frozen_at(moment):
        return schedule_analysis()


def test_the_calendar_runs_each_night_and_at_month_end_once(app, db_session, test_redis):
    with app.app_context(), acting_as(SYSTEM):
        townships = db_session.execute(select(func.count()).select_from(Unit).where(
            Unit.county_id == 1, Unit.level == UnitLevel.township)).scalar_one()
        counties = db_session.execute(select(func.count()).select_from(Unit).where(
            Unit.level == UnitLevel.county)).scalar_one()
        assert _tick(local(2031, 8, 1, 1))["nightly"] == []  # 01:00: not yet night
        first = _tick(local(2031, 8, 1, 3))
        assert len(first["nightly"]) == len(first["month_end"]) == counties
        assert len(first["reports"]) == counties + townships  # the county and each township
        runs = {r.id: r for r in db_session.execute(select(AnalysisRun)).scalars()}
        assert {runs[i].month for i in first["nightly"]} == {dt.date(2031, 8, 1)}
        assert {runs[i].month for i in first["month_end"]} == {dt.date(2031, 7, 1)}
        months = set(db_session.execute(select(MonthlyReport.month).where(
            MonthlyReport.id.in_(first["reports"]))).scalars())
        assert months == {dt.date(2031, 7, 1)}
        again = _tick(local(2031, 8, 1, 3))  # a doubled tick
        assert again["nightly"] == again["month_end"] == again["reports"] == []
        # The next night: a new nightly run, nothing more for July.
        second = _tick(local(2031, 8, 2, 2))
        assert len(second["nightly"]) == counties
        assert second["month_end"] == second["reports"] == []


def test_a_failed_month_end_report_is_made_again(app, db_session, test_redis):
    with app.app_context(), acting_as(SYSTEM):
        first = _tick(local(2031, 9, 1, 3))
        db_session.execute(update(MonthlyReport).where(MonthlyReport.id == first["reports"][0])
                           .values(status=JobStatus.failed))
        db_session.commit()
        assert len(_tick(local(2031, 9, 1, 4))["reports"]) == 1


def test_waiting_rows_are_handed_over_again_and_stuck_ones_fail(app, db_session, test_redis):
    with app.app_context(), acting_as(SYSTEM):
        first = _tick(local(2031, 10, 1, 3))
        waiting = len(first["nightly"]) + len(first["month_end"]) + len(first["reports"])
        stuck = first["nightly"][0]
        db_session.execute(update(AnalysisRun).where(AnalysisRun.id == stuck).values(
            status=JobStatus.running, started_at=local(2031, 10, 1, 3)))
        db_session.commit()
        later = _tick(local(2031, 10, 1, 5))  # two hours on: past the requeue and timeout
        assert later["requeued"] == waiting - 1 and later["expired"] == 1
        db_session.expire_all()
        run = db_session.get(AnalysisRun, stuck)
        assert run.status == JobStatus.failed and "worker stopped" in run.error
