"""Operators' commands: import next year's State Council notice, check the calendar, sweep."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from govgrid.sla.calendar import known_until
from govgrid.sla.models import CalendarDay


def test_import_a_years_notice_all_or_nothing(app, db_session, tmp_path):
    notice = tmp_path / "2027.csv"
    notice.write_text("日期,类型,说明\n2027-02-06,休,春节\n2027-02-20,班,春节调休上班\n",
                      encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["sla", "calendar", "import", str(notice),
                                 "--county", "150521000000"])
    assert result.exit_code == 0, result.output
    assert "2 day(s) set" in result.output
    days = db_session.execute(select(CalendarDay.day, CalendarDay.is_workday)
                              .order_by(CalendarDay.day)).all()
    assert days == [(dt.date(2027, 2, 6), False), (dt.date(2027, 2, 20), True)]
    broken = tmp_path / "broken.csv"
    broken.write_text("2027-10-01,休\n2027-13-01,休\n", encoding="utf-8")
    result = runner.invoke(args=["sla", "calendar", "import", str(broken),
                                 "--county", "150521000000"])
    assert result.exit_code != 0 and "2" in str(result.exception or result.output)
    assert db_session.execute(select(CalendarDay).where(
        CalendarDay.day == dt.date(2027, 10, 1))).first() is None


def test_calendar_status_says_how_far_it_reaches(app):
    result = app.test_cli_runner().invoke(args=["sla", "calendar", "status"])
    assert known_until().isoformat() in result.output
    assert result.exit_code == (0 if known_until().year > dt.date.today().year else 1)


def test_sweep_command_prints_its_counts(app, db_session):
    result = app.test_cli_runner().invoke(args=["sla", "sweep"])
    assert result.exit_code == 0, result.output
    assert "due_soon=" in result.output and "escalated=" in result.output
