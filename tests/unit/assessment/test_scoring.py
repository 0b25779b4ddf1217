"""Scorecards worked by hand under the default scheme: linear points between floor and
target, missing figures left out and the rest scaled, first-match deductions with caps, veto
triggers with their evidence, ranking with ties."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from govgrid.assessment.scheme import DEFAULT_SCHEME, Direction, IndicatorRule
from govgrid.assessment.scoring import (
    Event,
    IndicatorValue,
    Lapse,
    Period,
    ReportLapse,
    cluster,
    indicator_points,
    rank,
    round2,
    score,
)
from govgrid.assessment.vocabulary import EventKind, EventSeverity
from govgrid.stats.indicators import Count, figures

K, S = EventKind, EventSeverity
MAY = Period(date(2024, 5, 1), date(2024, 5, 31))


def rate(value: float | None, numerator: int = 0, denominator: int = 0) -> IndicatorValue:
    return IndicatorValue(value, numerator, denominator)


# 12.5 + 20 + 7.5 + 15 + 0 + 6.67 = 61.67
VALUES = {
    "resolution_rate": rate(0.85, 85, 100),  # halfway from 0.75 to 0.95: 25 / 2
    "on_time_rate": rate(0.95, 19, 20),  # at the target: 20
    "village_share": rate(0.55, 11, 20),  # halfway from 0.40 to 0.70: 15 / 2
    "township_share": rate(1.0, 20, 20),  # beyond the target: 15
    "satisfaction_rate": rate(0.70, 7, 10),  # at the floor: 0
    "rebound_rate": rate(0.10, 1, 10),  # lower is better: (0.20 − 0.10) / 0.15 of 10 = 6.67
}


def ev(id: int, kind: EventKind, severity: EventSeverity, day: date,
       case_id: int | None = None) -> Event:
    return Event(id, kind, severity, day, case_id)


@pytest.mark.parametrize("value,points", [
    (0.95, 25), (1.0, 25), (0.75, 0), (0.5, 0), (0.85, 12.5), (0.80, 6.25), (0.90, 18.75)])
def test_linear_between_floor_and_target(value: float, points: float) -> None:
    rule = DEFAULT_SCHEME.rule("resolution_rate")
    assert round2(indicator_points(rule, value)) == points


@pytest.mark.parametrize("value,points", [(0.0, 10), (0.05, 10), (0.20, 0), (0.5, 0),
                                          (0.125, 5)])
def test_lower_is_better(value: float, points: float) -> None:
    assert round2(indicator_points(DEFAULT_SCHEME.rule("rebound_rate"), value)) == points


def test_a_count_indicator() -> None:
    rule = IndicatorRule("overdue", 0, 4, 10, Direction.lower_is_better)
    assert [indicator_points(rule, n) for n in (0, 1, 2, 4, 9)] == [10, 7.5, 5, 0, 0]


def test_scorecard_by_hand() -> None:
    card = score(VALUES, [], [], DEFAULT_SCHEME, period=MAY)
    by_key = {s.key: s for s in card.indicators}
    assert [s.points for s in card.indicators] == [12.5, 20, 7.5, 15, 0, 6.67]
    assert card.indicator_points == 61.67 and card.deducted == 0 and card.total == 61.67
    assert card.passed and card.qualified and card.veto is None and card.scale == 1
    assert by_key["on_time_rate"].met is True and by_key["resolution_rate"].met is False
    assert by_key["rebound_rate"].met is False
    assert (by_key["resolution_rate"].numerator, by_key["resolution_rate"].denominator,
            by_key["resolution_rate"].target) == (85, 100, 0.95)


def test_a_missing_figure_is_left_out_and_the_rest_scaled() -> None:
    values = VALUES | {"satisfaction_rate": rate(None, 0, 0)}
    card = score(values, [], [], DEFAULT_SCHEME)
    missing = next(s for s in card.indicators if s.key == "satisfaction_rate")
    assert (missing.points, missing.met, missing.scaled) == (None, None, 0.0)
    assert card.scale == 100 / 85
    assert card.indicator_points == 72.55  # 61.67 × 100 / 85
    # An indicator absent from the values counts as missing too.
    absent = {k: v for k, v in values.items() if k != "satisfaction_rate"}
    assert score(absent, [], [], DEFAULT_SCHEME).total == 72.55


def test_with_no_figure_at_all_the_indicator_part_is_full() -> None:
    card = score({}, [], [], DEFAULT_SCHEME)
    assert card.indicator_points == 100 and card.total == 100


def test_figures_from_the_stats_module_pass_through() -> None:
    counts = {Count.resolved: 9, Count.accepted: 10}
    values = {f.indicator.key: IndicatorValue.of(f) for f in figures(counts)}
    card = score(values, [], [], DEFAULT_SCHEME)
    first = card.indicators[0]
    assert (first.value, first.numerator, first.denominator, first.points) == (0.9, 9, 10, 18.75)


def test_deductions_first_match_with_evidence() -> None:
    events = [
        ev(1, K.homicide, S.ordinary, date(2024, 5, 3)),
        ev(2, K.mass_incident, S.major, date(2024, 5, 4)),  # the 10-point line, not the 4
        ev(3, K.mass_incident, S.ordinary, date(2024, 5, 5)),
        ev(4, K.public_safety_accident, S.serious, date(2024, 5, 6)),
        ev(5, K.homicide, S.ordinary, date(2024, 4, 30)),  # before the period: no deduction
    ]
    card = score(VALUES, events, [], DEFAULT_SCHEME, period=MAY)
    lines = {line.code: (line.count, line.points, line.evidence) for line in card.deductions}
    assert lines == {"homicide": (1, 5, (1,)), "mass_incident_major": (1, 10, (2,)),
                     "mass_incident": (1, 4, (3,)),
                     "public_safety_accident_serious": (1, 5, (4,))}
    assert card.deducted == 24 and card.total == 37.67  # 61.67 − 24
    assert not card.passed and card.veto is None


def test_caps_and_report_lapses() -> None:
    accidents = [ev(i, K.public_safety_accident, S.ordinary, date(2024, 5, i)) for i in
                 range(1, 7)]
    lapses = [ReportLapse(c, Lapse.late) for c in (101, 102, 103)] + [
        ReportLapse(104, Lapse.concealed)]
    card = score(VALUES, accidents, lapses, DEFAULT_SCHEME, period=MAY)
    lines = {line.code: line for line in card.deductions}
    assert (lines["public_safety_accident"].count, lines["public_safety_accident"].points,
            lines["public_safety_accident"].capped) == (6, 10, True)  # 6 × 2 capped at 10
    assert (lines["late_report"].points, lines["late_report"].evidence) == (6, (101, 102, 103))
    assert (lines["concealed_report"].points, lines["concealed_report"].evidence) == (10, (104,))
    assert card.deducted == 26
    assert card.veto is not None and card.veto.code == "concealment"
    assert card.veto.evidence == (104,) and not card.qualified


def test_total_is_floored_at_zero() -> None:
    events = [ev(i, K.homicide, S.ordinary, date(2024, 5, 1 + i)) for i in range(20)]
    card = score(VALUES, events, [], DEFAULT_SCHEME, period=MAY)
    assert card.deducted == 100 and card.total == 0


def test_veto_for_an_especially_serious_event() -> None:
    events = [ev(7, K.public_safety_accident, S.especially_serious, date(2024, 5, 20), 70)]
    card = score(VALUES, events, [], DEFAULT_SCHEME, period=MAY)
    assert card.veto is not None
    assert (card.veto.code, card.veto.evidence) == ("especially_serious_event", (7,))
    assert card.total == 56.67 and not card.qualified  # 61.67 − 5 for the accident
    # The points may still pass; the veto disqualifies all the same.
    lenient = replace(DEFAULT_SCHEME, pass_score=50)
    card = score(VALUES, events, [], lenient, period=MAY)
    assert card.passed and card.veto is not None and not card.qualified


@pytest.mark.parametrize("gap,fires", [(89, True), (90, False)])
def test_cluster_window_is_consecutive_days(gap: int, fires: bool) -> None:
    last = date(2024, 5, 10)
    events = [ev(1, K.mass_incident, S.major, last - timedelta(days=gap)),
              ev(2, K.major_crime, S.major, last - timedelta(days=30)),
              ev(3, K.homicide, S.major, last)]
    card = score(VALUES, events, [], DEFAULT_SCHEME, period=MAY)
    assert [v.code for v in card.vetoes] == (["major_events_cluster"] if fires else [])
    if fires:
        assert card.veto is not None and card.veto.evidence == (1, 2, 3)


def test_a_cluster_needs_its_latest_event_in_the_period() -> None:
    trigger = DEFAULT_SCHEME.veto_triggers[1]
    april = [ev(i, K.mass_incident, S.major, date(2024, 4, i)) for i in (1, 2, 3)]
    assert cluster(april, trigger, MAY) is None
    assert cluster(april, trigger, Period(date(2024, 4, 1), date(2024, 4, 30))) is not None
    # Below the severity does not count.
    serious = [replace(e, severity=S.serious) for e in april]
    assert cluster(serious, trigger, None) is None
    # Events after the period are ignored.
    june = [ev(i, K.mass_incident, S.major, date(2024, 6, i)) for i in (1, 2, 3)]
    assert cluster(june, trigger, MAY) is None


@pytest.mark.parametrize("previous,fires", [
    ((False,), True), ((True,), False), ((), False), ((False, True), True)])
def test_failing_twice_running(previous: tuple[bool, ...], fires: bool) -> None:
    failing = VALUES | {"resolution_rate": rate(0.5, 5, 10)}  # 61.67 − 12.5 = 49.17
    card = score(failing, [], [], DEFAULT_SCHEME, previous_passed=previous)
    assert card.total == 49.17 and not card.passed
    assert [v.code for v in card.vetoes] == (["failed_twice"] if fires else [])
    passing = score(VALUES, [], [], DEFAULT_SCHEME, previous_passed=(False,))
    assert passing.vetoes == ()


def test_rank_ties_share_and_vetoed_units_come_last() -> None:
    base = score(VALUES, [], [], DEFAULT_SCHEME)
    vetoed = score(VALUES, [ev(1, K.homicide, S.especially_serious, date(2024, 5, 1))], [],
                   DEFAULT_SCHEME)
    cards = {5: replace(base, total=80.0), 3: replace(base, total=80.0),
             9: replace(base, total=90.0), 1: replace(vetoed, total=95.0),
             2: replace(base, total=70.0), 4: replace(vetoed, total=60.0)}
    assert [(r.unit_id, r.rank) for r in rank(cards)] == [
        (9, 1), (3, 2), (5, 2), (2, 4), (1, 5), (4, 6)]
    assert rank({}) == []
