"""Indicators are ratios of named counts: each numerator is a part of its denominator, a
zero denominator is no figure (never 0 % or 100 %), and every one is written down."""

from __future__ import annotations

import pytest

from govgrid.stats.indicators import (
    BY_KEY,
    INDICATORS,
    SNAPSHOT_COUNTS,
    VISIT_COUNTS,
    Count,
    Kind,
    figures,
    ratio,
)
from govgrid.stats.labels import TEXTS


def test_ratio_of_nothing_is_no_figure() -> None:
    assert ratio(0, 0) is None
    assert ratio(3, 0) is None
    assert ratio(0, 4) == 0.0
    assert ratio(3, 4) == 0.75


def test_figures_divide_the_named_counts() -> None:
    counts = {Count.resolved: 3, Count.accepted: 5, Count.finished_on_time: 2,
              Count.finished_known: 4, Count.overdue_now: 7}
    by_key = {f.indicator.key: f for f in figures(counts)}
    assert (by_key["resolution_rate"].numerator, by_key["resolution_rate"].denominator) == (3, 5)
    assert by_key["resolution_rate"].value == pytest.approx(0.6)
    assert by_key["on_time_rate"].value == pytest.approx(0.5)
    assert by_key["overdue"].value == 7 and by_key["overdue"].denominator is None
    # Missing counts are zero: a rate over nothing is no figure.
    assert by_key["satisfaction_rate"].value is None


def test_every_indicator_is_written_down() -> None:
    assert set(TEXTS) == set(BY_KEY) and len(BY_KEY) == len(INDICATORS)
    for indicator in INDICATORS:
        name, above, below = TEXTS[indicator.key]
        assert name and above, indicator.key
        if indicator.kind is Kind.rate:
            assert indicator.denominator is not None and below, indicator.key
        else:
            assert indicator.denominator is None and below is None, indicator.key


def test_a_rate_never_mixes_visits_with_cases_or_now_with_a_period() -> None:
    for indicator in INDICATORS:
        if indicator.denominator is None:
            continue
        pair = {indicator.numerator, indicator.denominator}
        assert not (pair & VISIT_COUNTS) or pair <= VISIT_COUNTS, indicator.key
        assert not pair & SNAPSHOT_COUNTS, indicator.key


def test_the_issue_lists_every_indicator() -> None:
    assert {"resolution_rate", "on_time_rate", "village_share", "township_share",
            "county_share", "satisfaction_rate", "rebound_rate", "overdue",
            "urgent_open"} == set(BY_KEY)
