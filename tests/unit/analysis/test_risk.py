"""Risk grades from the documented formula; the county's weights and thresholds apply and
are checked."""

from __future__ import annotations

import pytest

from govgrid.analysis.emerging import Pattern
from govgrid.analysis.risk import CellFacts, Grade, RiskConfig, grade, score

DEFAULT = RiskConfig()


@pytest.mark.parametrize("facts,points,expected", [
    (CellFacts(), 0, Grade.blue),
    (CellFacts(repeats=1), 1, Grade.blue),  # one repeat place never colours a cell
    (CellFacts(hot_level=1), 3, Grade.yellow),
    (CellFacts(hot_level=3), 9, Grade.orange),
    (CellFacts(hot_level=3, pattern=Pattern.intensifying, pattern_side=1), 12, Grade.red),
    (CellFacts(hot_level=2, urgent=1), 11, Grade.orange),
    (CellFacts(hot_level=2, urgent=1, rebounded=1), 13, Grade.red),
    (CellFacts(hot_level=-3, pattern=Pattern.intensifying, pattern_side=-1), 0, Grade.blue),
    (CellFacts(escalated=2, rebounded=1, repeats=3), 7, Grade.orange),
    # A quiet neighbour of a cluster: a hot spot on the map, graded on its own facts.
    (CellFacts(hot_level=3, pattern=Pattern.new, pattern_side=1, has_cases=False), 0,
     Grade.blue),
    (CellFacts(hot_level=3, urgent=1, has_cases=False), 5, Grade.yellow),
])
def test_default_grades(facts, points, expected) -> None:
    assert score(facts, DEFAULT) == points
    assert grade(score(facts, DEFAULT), DEFAULT) is expected


def test_a_county_sets_its_own_weights_and_thresholds() -> None:
    strict = RiskConfig(weights={"hot": 3, "emerging": 3, "repeat": 2, "escalated": 1,
                                 "rebound": 2, "urgent": 10},
                        thresholds=((Grade.red, 10), (Grade.orange, 5), (Grade.yellow, 2)))
    facts = CellFacts(urgent=1)
    assert grade(score(facts, DEFAULT), DEFAULT) is Grade.yellow
    assert grade(score(facts, strict), strict) is Grade.red


@pytest.mark.parametrize("kwargs", [
    {"weights": {"hot": 1}},
    {"weights": {"hot": -1, "emerging": 1, "repeat": 1, "escalated": 1, "rebound": 1,
                 "urgent": 1}},
    {"thresholds": ((Grade.red, 3), (Grade.orange, 7), (Grade.yellow, 1))},
])
def test_a_broken_configuration_is_refused(kwargs) -> None:
    with pytest.raises(ValueError):
        RiskConfig(**kwargs)
