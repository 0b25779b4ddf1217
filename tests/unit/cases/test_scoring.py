"""The mediator score: each part on its own, the total, and the ordering rules."""

import math

import pytest

from govgrid.cases import scoring
from govgrid.cases.scoring import Candidate, CaseFacts, Reason
from govgrid.cases.vocabulary import Severity

TOWNSHIP = "150521000000.150521100000"
VILLAGE = TOWNSHIP + ".150521100201"


def candidate(user_id=1, specialties=("0201",), legal_training=True, active=0, capacity=10,
              km=0.0, unit_path=TOWNSHIP):
    return Candidate(user_id, tuple(specialties), legal_training, active, capacity, km,
                     unit_path)


def case(code="0201", severity=Severity.general, owner=TOWNSHIP, approximate=False):
    return CaseFacts(code, severity, owner, approximate)


def part(suggestion, name):
    return next(p for p in suggestion.parts if p.name == name)


@pytest.mark.parametrize("specialties, value, reason", [
    (("0201",), 1.0, Reason.specialty_exact),
    (("0101", "0201"), 1.0, Reason.specialty_exact),
    (("02",), 0.6, Reason.specialty_group),
    (("0205",), 0.6, Reason.specialty_group),
    (("03", "0401"), 0.0, Reason.specialty_none),
    ((), 0.0, Reason.specialty_none),
])
def test_specialty(specialties, value, reason):
    got = part(scoring.score(candidate(specialties=specialties), case()), "specialty")
    assert (got.value, got.reason) == (value, reason)
    assert got.weight == 40 and got.contribution == pytest.approx(40 * value)


def test_specialty_names_the_matching_code():
    got = part(scoring.score(candidate(specialties=("0205", "02")), case()), "specialty")
    assert got.params == {"code": "02"}


@pytest.mark.parametrize("severity", [Severity.major, Severity.serious,
                                      Severity.especially_serious])
def test_legal_training_is_expected_for_grave_cases(severity):
    trained = scoring.score(candidate(legal_training=True), case(severity=severity))
    untrained = scoring.score(candidate(legal_training=False), case(severity=severity))
    assert part(trained, "legal_training").contribution == 20
    assert part(trained, "legal_training").reason is Reason.legal_trained_required
    got = part(untrained, "legal_training")
    assert (got.value, got.contribution, got.reason) == (
        0.0, -scoring.UNTRAINED_PENALTY, Reason.legal_untrained_required)
    assert scoring.UNTRAINED in untrained.flags and not trained.flags
    assert trained.total - untrained.total == pytest.approx(40)


def test_legal_training_is_a_small_bonus_for_general_cases():
    trained = scoring.score(candidate(legal_training=True), case())
    untrained = scoring.score(candidate(legal_training=False), case())
    assert part(trained, "legal_training").contribution == 5
    assert part(untrained, "legal_training").contribution == 0
    assert part(untrained, "legal_training").reason is Reason.legal_untrained_general
    assert not untrained.flags


@pytest.mark.parametrize("active, capacity, value, full", [
    (0, 10, 1.0, False), (5, 10, 0.5, False), (9, 10, 0.1, False),
    (10, 10, 0.0, True), (12, 10, 0.0, True), (0, 0, 0.0, True),
])
def test_load(active, capacity, value, full):
    suggestion = scoring.score(candidate(active=active, capacity=capacity), case())
    got = part(suggestion, "load")
    assert got.value == pytest.approx(value)
    assert got.params == {"active": active, "max": capacity}
    assert (got.reason is Reason.load_full) == full == suggestion.is_full


@pytest.mark.parametrize("km", [0.0, 5.0, 15.0, 60.0])
def test_distance_decays_exponentially(km):
    got = part(scoring.score(candidate(km=km), case()), "distance")
    assert got.value == pytest.approx(math.exp(-km / 15), abs=1e-4)
    assert got.reason is Reason.distance and got.params == {"km": km}


def test_unknown_distance_is_neutral_and_approximate_is_said():
    unknown = part(scoring.score(candidate(km=None), case()), "distance")
    assert (unknown.value, unknown.reason) == (0.5, Reason.distance_unknown)
    approximate = part(scoring.score(candidate(km=3.0), case(approximate=True)), "distance")
    assert approximate.reason is Reason.distance_approximate


@pytest.mark.parametrize("mediator, owner, value, reason", [
    (TOWNSHIP, TOWNSHIP, 1.0, Reason.unit_same),
    ("150521000000", TOWNSHIP, 0.5, Reason.unit_ancestor),
    (VILLAGE, TOWNSHIP, 0.0, Reason.unit_other),  # below the holder is not "same unit"
    ("150521000000.150521104000", TOWNSHIP, 0.0, Reason.unit_other),
    ("150521000000.15052110", TOWNSHIP, 0.0, Reason.unit_other),  # a prefix is not an ancestor
    (None, TOWNSHIP, 0.0, Reason.unit_other),
])
def test_unit(mediator, owner, value, reason):
    got = part(scoring.score(candidate(unit_path=mediator), case(owner=owner)), "unit")
    assert (got.value, got.reason) == (value, reason)


@pytest.mark.parametrize("severity", list(Severity))
def test_weights_add_up_to_100_and_a_perfect_candidate_scores_100(severity):
    assert sum(scoring.weights_for(severity).values()) == 100
    assert scoring.score(candidate(), case(severity=severity)).total == 100


def test_total_is_the_sum_of_the_contributions_within_0_and_100():
    suggestion = scoring.score(
        candidate(specialties=(), legal_training=False, active=10, km=None,
                  unit_path="150521000000.150521104000"), case(severity=Severity.major))
    assert sum(p.contribution for p in suggestion.parts) < 0
    assert suggestion.total == 0
    mixed = scoring.score(candidate(specialties=("02",), active=3, km=7.5), case())
    assert mixed.total == pytest.approx(sum(p.contribution for p in mixed.parts), abs=0.05)
    assert [p.name for p in mixed.parts] == [
        "specialty", "legal_training", "load", "distance", "unit"]


def test_specialist_with_legal_training_wins_a_major_case_over_a_closer_generalist():
    facts = case(severity=Severity.major)
    specialist = scoring.score(candidate(1, ("0201",), True, km=25.0), facts)
    generalist = scoring.score(candidate(2, ("01",), False, km=0.5), facts)
    assert scoring.rank([generalist, specialist])[0].user_id == 1


def test_full_candidates_rank_after_all_others_whatever_their_score():
    facts = case()
    full = scoring.score(candidate(1, ("0201",), True, active=10, km=0.0), facts)
    weak = scoring.score(candidate(2, (), False, active=0, km=80.0,
                                   unit_path="150521000000.150521104000"), facts)
    assert full.total > weak.total
    assert [s.user_id for s in scoring.rank([full, weak])] == [2, 1]


def test_equal_totals_order_by_user_id():
    facts = case()
    same = [scoring.score(candidate(user_id=u), facts) for u in (7, 3, 5)]
    assert [s.user_id for s in scoring.rank(same)] == [3, 5, 7]
    full = [scoring.score(candidate(user_id=u, active=10), facts) for u in (9, 4)]
    assert [s.user_id for s in scoring.rank(full + same)] == [3, 5, 7, 4, 9]
