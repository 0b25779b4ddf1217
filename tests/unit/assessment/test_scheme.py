"""The scheme as data: the default is valid and round-trips through JSON; anything unusable
is refused with a code and the offending path."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from govgrid.assessment.scheme import DEFAULT_SCHEME, Direction, SchemeError, from_data, to_data
from govgrid.assessment.vocabulary import Step
from govgrid.stats.indicators import BY_KEY


def data() -> dict[str, Any]:
    return copy.deepcopy(to_data(DEFAULT_SCHEME))


def test_default_round_trips_through_json() -> None:
    stored = json.loads(json.dumps(to_data(DEFAULT_SCHEME)))
    assert from_data(stored) == DEFAULT_SCHEME
    assert to_data(from_data(stored)) == stored


def test_default_follows_the_county_rules() -> None:
    keys = [r.key for r in DEFAULT_SCHEME.indicators]
    assert keys == ["resolution_rate", "on_time_rate", "village_share", "township_share",
                    "satisfaction_rate", "rebound_rate"]
    assert sum(r.weight for r in DEFAULT_SCHEME.indicators) == 100
    for rule in DEFAULT_SCHEME.indicators:
        assert (rule.direction is Direction.higher_is_better) == BY_KEY[rule.key].higher_is_better
    assert DEFAULT_SCHEME.rule("rebound_rate").direction is Direction.lower_is_better
    assert DEFAULT_SCHEME.rectification_days == {
        Step.notice: 30, Step.interview: 30, Step.supervision: 60}
    assert DEFAULT_SCHEME.disqualification_months == {Step.supervision: 6, Step.veto: 12}
    assert {t.code for t in DEFAULT_SCHEME.veto_triggers} == {
        "especially_serious_event", "major_events_cluster", "concealment", "failed_twice"}


def test_every_key_is_explicit() -> None:
    stored = to_data(DEFAULT_SCHEME)
    assert stored["deductions"][0] == {"code": "homicide", "basis": "major_event", "points": 5,
                                       "kinds": ["homicide"], "min_severity": "ordinary",
                                       "cap": None}
    assert stored["veto_triggers"][2] == {
        "code": "concealment", "basis": "concealment", "step": "veto", "kinds": [],
        "min_severity": "especially_serious", "count": 1, "within_days": None}
    assert stored["rectification_days"] == {"notice": 30, "interview": 30, "supervision": 60}


def edit(path: str, value: Any) -> dict[str, Any]:
    """The default with one field set (dotted path, [i] for list items); `...` deletes it."""
    out = data()
    node: Any = out
    parts = path.replace("[", ".").replace("]", "").split(".")
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node[part]
    last: Any = int(parts[-1]) if parts[-1].isdigit() else parts[-1]
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return out


@pytest.mark.parametrize("path,value,code,where", [
    ("indicators[2].weight", 20, "weights_must_sum_to_100", "indicators[5].weight"),
    ("indicators[0].key", "happiness", "unknown_indicator", "indicators[0].key"),
    ("indicators[1].key", "resolution_rate", "duplicate", "indicators[1].key"),
    ("indicators[0].target", 1.2, "out_of_range", "indicators[0].target"),
    ("indicators[0].target", -0.1, "out_of_range", "indicators[0].target"),
    ("indicators[0].target", "95%", "must_be_number", "indicators[0].target"),
    ("indicators[0].target", True, "must_be_number", "indicators[0].target"),
    ("indicators[0].floor", 0.96, "floor_on_wrong_side", "indicators[0].floor"),
    ("indicators[5].floor", 0.05, "floor_on_wrong_side", "indicators[5].floor"),
    ("indicators[5].direction", "higher_is_better", "direction_contradicts_indicator",
     "indicators[5].direction"),
    ("indicators[0].direction", "sideways", "unknown_value", "indicators[0].direction"),
    ("indicators[0].weight", -25, "must_be_positive", "indicators[0].weight"),
    ("indicators[0].weight", 0, "must_be_positive", "indicators[0].weight"),
    ("indicators[0].colour", "red", "unknown_key", "indicators[0].colour"),
    ("indicators[0].floor", ..., "missing_key", "indicators[0].floor"),
    ("indicators", [], "indicators_required", "indicators"),
    ("indicators", {}, "must_be_list", "indicators"),
    ("deductions[0].points", -5, "must_be_positive", "deductions[0].points"),
    ("deductions[0].cap", 2, "out_of_range", "deductions[0].cap"),
    ("deductions[0].kinds", [], "kinds_required", "deductions[0].kinds"),
    ("deductions[0].kinds", ["earthquake"], "unknown_value", "deductions[0].kinds[0]"),
    ("deductions[0].kinds", ["homicide", "homicide"], "duplicate", "deductions[0].kinds"),
    ("deductions[6].kinds", ["homicide"], "not_allowed", "deductions[6].kinds"),
    ("deductions[1].code", "homicide", "duplicate", "deductions[1].code"),
    ("deductions[1].code", " ", "code_required", "deductions[1].code"),
    ("deductions[0].min_severity", "huge", "unknown_value", "deductions[0].min_severity"),
    ("veto_triggers[0].step", "supervision", "step_must_be_veto", "veto_triggers[0].step"),
    ("veto_triggers[1].within_days", None, "window_required", "veto_triggers[1].within_days"),
    ("veto_triggers[1].within_days", 0, "out_of_range", "veto_triggers[1].within_days"),
    ("veto_triggers[1].count", 0, "out_of_range", "veto_triggers[1].count"),
    ("veto_triggers[1].count", 2.5, "must_be_integer", "veto_triggers[1].count"),
    ("veto_triggers[3].count", 1, "out_of_range", "veto_triggers[3].count"),
    ("veto_triggers[2].within_days", 30, "not_allowed", "veto_triggers[2].within_days"),
    ("veto_triggers[2].kinds", ["homicide"], "not_allowed", "veto_triggers[2].kinds"),
    ("event_triggers[0].step", "veto", "step_below_veto_required", "event_triggers[0].step"),
    ("event_triggers[0].basis", "concealment", "basis_not_allowed", "event_triggers[0].basis"),
    ("pass_score", 0, "must_be_positive", "pass_score"),
    ("pass_score", 101, "out_of_range", "pass_score"),
    ("rebound_limit", 1.5, "out_of_range", "rebound_limit"),
    ("rectification_days.notice", 0, "out_of_range", "rectification_days.notice"),
    ("rectification_days.veto", 30, "unknown_key", "rectification_days.veto"),
    ("rectification_days.supervision", ..., "missing_key", "rectification_days.supervision"),
    ("disqualification_months.veto", ..., "missing_key", "disqualification_months.veto"),
    ("mitigation_days", -1, "out_of_range", "mitigation_days"),
    ("year", 1999, "out_of_range", "year"),
    ("version", 3, "unknown_key", "version"),
    ("deductions", ..., "missing_key", "deductions"),
])
def test_unusable_schemes_are_refused(path: str, value: Any, code: str, where: str) -> None:
    with pytest.raises(SchemeError) as caught:
        from_data(edit(path, value))
    assert (caught.value.code, caught.value.path) == (code, where)
    assert isinstance(caught.value, ValueError)


def test_sum_error_names_the_total() -> None:
    with pytest.raises(SchemeError) as caught:
        from_data(edit("indicators[2].weight", 20))
    assert caught.value.params == {"total": 105}


@pytest.mark.parametrize("stored", [None, [], "scheme"])
def test_not_an_object(stored: Any) -> None:
    with pytest.raises(SchemeError) as caught:
        from_data(stored)
    assert (caught.value.code, caught.value.path) == ("must_be_object", "$")


def test_a_count_indicator_may_target_a_number() -> None:
    stored = data()
    stored["indicators"][5] = {"key": "overdue", "target": 0, "floor": 5, "weight": 10,
                               "direction": "lower_is_better"}
    scheme = from_data(stored)
    assert scheme.rule("overdue").floor == 5
    assert to_data(scheme) == stored


def test_optional_parts_may_be_empty() -> None:
    stored = data() | {"deductions": [], "veto_triggers": [], "event_triggers": [],
                       "rebound_limit": None}
    scheme = from_data(stored)
    assert (scheme.deductions, scheme.veto_triggers, scheme.rebound_limit) == ((), (), None)
