"""The pure parts of a report: months, changes, the facts behind a score, the SVG map."""

from __future__ import annotations

import datetime as dt

import pytest

from govgrid.reports.compare import change
from govgrid.reports.months import (
    MonthError,
    month_period,
    parse_month,
    same_month_last_year,
)
from govgrid.reports.svg_map import LegendItem, Outline, Shapes, draw, legend
from govgrid.stats.period import previous_month

TODAY = dt.date(2026, 11, 15)


def test_months_parse_and_compare():
    assert parse_month("2026-11", TODAY) == dt.date(2026, 11, 1)
    assert parse_month(" 2025-01 ", TODAY) == dt.date(2025, 1, 1)
    for text, reason in (("2026-12", "future"), ("2026-13", "malformed"), ("26-1", "malformed"),
                         ("1999-12", "too_early"), ("", "malformed")):
        with pytest.raises(MonthError) as error:
            parse_month(text, TODAY)
        assert str(error.value) == reason
    assert previous_month(dt.date(2026, 1, 1)) == dt.date(2025, 12, 1)
    assert same_month_last_year(dt.date(2024, 2, 1)) == dt.date(2023, 2, 1)
    assert month_period(dt.date(2026, 2, 1)).last == dt.date(2026, 2, 28)
    current = month_period(dt.date(2026, 11, 1), TODAY)
    assert (current.first, current.last) == (dt.date(2026, 11, 1), TODAY)


def test_changes_are_points_for_rates_and_per_cent_for_counts():
    rate = change(0.80, 0.75, "rate")
    assert rate.delta == pytest.approx(5.0) and rate.direction == "up"
    assert rate.verdict == "better" and rate.arrow == "↑"
    assert change(0.10, 0.05, "rate", higher_is_better=False).verdict == "worse"
    count = change(12.0, 8.0, "count")
    assert count.delta == pytest.approx(50.0)
    assert change(3.0, 0.0, "count").delta is None  # growth from nothing: no percentage
    assert change(0.0, 0.0, "count").direction == "flat"
    assert change(None, 0.5, "rate").verdict == "none"
    assert change(0.5, 0.5002, "rate").direction == "flat"


def test_the_facts_behind_a_score_name_their_points():
    from flask import Flask
    from flask_babel import Babel

    from govgrid.reports.labels import explain

    app = Flask(__name__)
    Babel(app)

    weights = {"hot": 3.0, "emerging": 3.0, "repeat": 1.0, "escalated": 1.0, "rebound": 2.0,
               "urgent": 5.0}
    cell = {"hot_class": 3, "pattern": "new", "pattern_side": 1, "repeats": 4,
            "escalated": 0, "rebounded": 1, "urgent": 1, "cases": 6}
    with app.test_request_context("/"):
        facts = explain(cell, weights)
        # A quiet neighbour of the cluster: its hot-spot terms do not count (analysis.risk).
        quiet = explain({**cell, "cases": 0}, weights)
    assert len(facts) == 5  # hot, emerging, repeats, rebound, urgent (no escalation)
    assert len(quiet) == 3 and not any("99" in fact for fact in quiet)
    assert "99" in facts[0] and "+9" in facts[0]
    assert "+4" in facts[2] and "+2" in facts[3] and "+5" in facts[4]


def test_the_map_draws_every_cell_with_its_colour_and_escapes_names():
    shapes = Shapes(1000.0, 500.0, {1: "M 0 0 L 10 0 L 10 10 Z", 2: "M 20 0 L 30 0 Z"},
                    [Outline("<村>", "M 0 0 L 30 0", 5.0, 5.0)])
    svg = draw(shapes, {1: "#b2182b"}, "热点 & 图")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'fill="#b2182b"' in svg and 'fill="#f2f2f2"' in svg  # no data: grey
    assert "&lt;村&gt;" in svg and "热点 &amp; 图" in svg
    assert 'viewBox="0 0 1000 500"' in svg
    html = legend([LegendItem("#d7301f", "红", 3)])
    assert "background:#d7301f" in html and ">3<" in html
