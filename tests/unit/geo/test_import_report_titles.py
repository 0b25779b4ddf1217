from govgrid.geo.cli import KIND_TITLES
from govgrid.geo.problems import ProblemKind


def test_every_problem_kind_has_a_report_title():
    # format_report prints kinds in KIND_TITLES order; a kind without a title would vanish.
    assert set(KIND_TITLES) == set(ProblemKind)
