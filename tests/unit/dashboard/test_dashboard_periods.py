"""The dashboard's period choices: presets on any day (year and quarter boundaries too),
custom days, the refusals, and the trend chart's window."""

from __future__ import annotations

import datetime as dt

import pytest

from govgrid.dashboard.periods import (
    PeriodChoiceError,
    Preset,
    choose,
    months_before,
    preset_period,
    trend_window,
)
from govgrid.stats.period import Period

D = dt.date


@pytest.mark.parametrize(("preset", "today", "first", "last"), [
    (Preset.month, D(2026, 12, 2), D(2026, 12, 1), D(2026, 12, 2)),
    (Preset.last_month, D(2026, 12, 2), D(2026, 11, 1), D(2026, 11, 30)),
    (Preset.last_month, D(2027, 1, 15), D(2026, 12, 1), D(2026, 12, 31)),
    (Preset.last_month, D(2028, 3, 1), D(2028, 2, 1), D(2028, 2, 29)),
    (Preset.quarter, D(2026, 12, 2), D(2026, 10, 1), D(2026, 12, 2)),
    (Preset.quarter, D(2026, 3, 31), D(2026, 1, 1), D(2026, 3, 31)),
    (Preset.quarter, D(2026, 4, 1), D(2026, 4, 1), D(2026, 4, 1)),
    (Preset.year, D(2026, 12, 2), D(2026, 1, 1), D(2026, 12, 2)),
])
def test_presets(preset, today, first, last):
    assert preset_period(preset, today) == Period(first, last)


def test_choice_defaults_to_this_month_and_from_to_mean_custom():
    today = D(2026, 12, 2)
    assert choose({}, today).period == Period(D(2026, 12, 1), today)
    assert choose({}, today).preset is Preset.month
    custom = choose({"from": "2026-05-03", "to": "2026-06-30"}, today)
    assert custom.preset is Preset.custom
    assert (custom.first, custom.last) == (D(2026, 5, 3), D(2026, 6, 30))
    # A preset wins over stray days (the form sends them disabled, a hand-made URL may not).
    assert choose({"period": "year", "from": "2020-01-01", "to": "2020-01-02"}, today).first \
        == D(2026, 1, 1)


@pytest.mark.parametrize(("values", "field", "reason"), [
    ({"period": "decade"}, "period", "unknown"),
    ({"period": "custom", "to": "2026-01-01"}, "from", "missing"),
    ({"period": "custom", "from": "2026-01-01"}, "to", "missing"),
    ({"period": "custom", "from": "2026-13-01", "to": "2026-12-01"}, "from", "not_a_date"),
    ({"period": "custom", "from": "2026-02-01", "to": "2026-01-01"}, "to", "last_before_first"),
    ({"period": "custom", "from": "2010-01-01", "to": "2026-01-01"}, "to", "too_long"),
    ({"period": "custom", "from": "0001-01-01", "to": "0001-01-02"}, "from", "out_of_range"),
    ({"period": "custom", "from": "2026-01-01", "to": "9999-12-31"}, "to", "out_of_range"),
])
def test_refusals_name_the_field_and_the_reason(values, field, reason):
    with pytest.raises(PeriodChoiceError) as caught:
        choose(values, D(2026, 12, 2))
    assert caught.value.args == (field, reason)


def test_months_before_crosses_years():
    assert months_before(D(2026, 3, 1), 11) == D(2025, 4, 1)
    assert months_before(D(2026, 1, 1), 1) == D(2025, 12, 1)
    assert months_before(D(2026, 12, 1), 0) == D(2026, 12, 1)


def test_trend_window_is_a_year_of_months_or_the_whole_period():
    assert trend_window(Period(D(2026, 12, 1), D(2026, 12, 2))) == Period(D(2026, 1, 1),
                                                                          D(2026, 12, 2))
    long = Period(D(2024, 6, 15), D(2026, 12, 2))
    assert trend_window(long) == long
    assert len(trend_window(Period(D(2026, 11, 1), D(2026, 11, 30))).months()) == 12
