"""Periods are whole local days (Asia/Shanghai), first and last included."""

from __future__ import annotations

import datetime as dt

import pytest

from govgrid.stats.period import Period, PeriodError, month_to_date, resolve

UTC = dt.UTC


def test_local_days_become_utc_instants() -> None:
    march = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    # Midnight in Shanghai is 16:00 the day before in UTC.
    assert march.start == dt.datetime(2026, 2, 28, 16, tzinfo=UTC)
    assert march.end == dt.datetime(2026, 3, 31, 16, tzinfo=UTC)
    assert march.days == 31


def test_months_touched_and_the_previous_period() -> None:
    period = Period(dt.date(2025, 11, 15), dt.date(2026, 2, 3))
    assert period.months() == [dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1),
                               dt.date(2026, 2, 1)]
    before = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)).previous()
    assert (before.first, before.last) == (dt.date(2026, 1, 29), dt.date(2026, 2, 28))


def test_defaults_are_this_month_so_far_in_shanghai() -> None:
    # 20:00 UTC on 31 March is already 1 April in Shanghai.
    now = dt.datetime(2026, 3, 31, 20, tzinfo=UTC)
    assert month_to_date(now) == Period(dt.date(2026, 4, 1), dt.date(2026, 4, 1))
    assert resolve(None, dt.date(2026, 2, 10), now) == Period(dt.date(2026, 2, 1),
                                                              dt.date(2026, 2, 10))
    assert resolve(dt.date(2026, 1, 5), None, now).last == dt.date(2026, 4, 1)


@pytest.mark.parametrize("first,last,reason", [
    (dt.date(2026, 3, 2), dt.date(2026, 3, 1), "last_before_first"),
    (dt.date(2020, 1, 1), dt.date(2026, 1, 1), "too_long"),
    (dt.date(1, 1, 1), dt.date(1, 1, 2), "out_of_range"),
    (dt.date(9999, 12, 30), dt.date(9999, 12, 31), "out_of_range"),
])
def test_unusable_periods_are_refused(first, last, reason) -> None:
    with pytest.raises(PeriodError, match=reason):
        Period(first, last)
