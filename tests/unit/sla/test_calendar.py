"""Working days on the Chinese calendar: holidays skipped, 调休 make-up days counted, county
overrides winning, years the package does not know counted by weekday."""

from __future__ import annotations

import datetime as dt

import pytest

from govgrid.sla.calendar import LOCAL_TZ, DayKind, WorkCalendar, known_until


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LOCAL_TZ)


def test_national_day_2025_with_its_make_up_sunday_and_saturday():
    """Fri 26 Sep 10:00 + 7 working days: Sun 28 Sep (调休), 29, 30, [1–8 Oct holiday], 9, 10,
    Sat 11 Oct (调休), Mon 13 Oct."""
    due = WorkCalendar().add_days(local(2025, 9, 26, 10), 7, DayKind.working)
    assert due == local(2025, 10, 13, 10)
    assert due.tzinfo == dt.UTC


def test_natural_days_are_24_hour_periods():
    assert WorkCalendar().add_days(local(2025, 9, 26, 10), 7, DayKind.natural) == \
        local(2025, 10, 3, 10)


def test_a_report_on_a_holiday_starts_counting_on_the_next_working_day():
    """Reported during the Spring Festival 2026 (15–23 Feb): 1 working day is Tue 24 Feb."""
    assert WorkCalendar().add_days(local(2026, 2, 17, 9), 1, DayKind.working) == \
        local(2026, 2, 24, 9)


def test_make_up_saturday_counts_as_a_working_day():
    calendar = WorkCalendar()
    assert calendar.is_workday(dt.date(2025, 10, 11))  # Saturday, 调休
    assert not calendar.is_workday(dt.date(2025, 10, 8))  # Wednesday, holiday


def test_the_local_date_decides_not_the_utc_date():
    """00:30 Monday in Beijing is Sunday in UTC: counting starts from Tuesday."""
    due = WorkCalendar().add_days(local(2025, 11, 17, 0, 30), 1, DayKind.working)
    assert due == local(2025, 11, 18, 0, 30)


def test_county_overrides_win_over_the_package():
    day_off = dt.date(2025, 11, 18)  # a Tuesday made a local day off
    calendar = WorkCalendar({day_off: False})
    assert calendar.add_days(local(2025, 11, 17, 9), 1, DayKind.working) == local(2025, 11, 19, 9)


def test_unknown_years_count_weekdays_and_say_so():
    calendar = WorkCalendar()
    far = dt.date(known_until().year + 3, 1, 4)
    assert not calendar.knows(far)
    assert calendar.is_workday(far) == (far.weekday() < 5)
    assert WorkCalendar({far: False}).knows(far)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        WorkCalendar().add_days(local(2025, 1, 2), -1, DayKind.working)
