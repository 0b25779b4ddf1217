"""Words and colours of a report: hot-spot classes and risk grades with the dashboard's own
palette and words (analysis.labels), and the plain-language facts behind a cell's score (in
the reader's language)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..analysis.labels import (
    GRADE_COLOURS,
    HOT_COLOURS,
    grade_label,
    grade_labels,
    hot_class_labels,
    pattern_label,
)
from ..analysis.risk import RISING

__all__ = ["explain", "grade_label", "grades", "hot_classes", "pattern_label"]

def hot_classes() -> dict[int, tuple[str, str]]:
    """Gi* class -> (colour, words): the dashboard's palette and words (analysis.labels)."""
    words = hot_class_labels()
    return {level: (colour, words[str(level)]) for level, colour in HOT_COLOURS.items()}


def grades() -> dict[str, tuple[str, str]]:
    words = grade_labels()
    return {grade: (colour, words[grade]) for grade, colour in GRADE_COLOURS.items()}


def explain(cell: Mapping[str, Any], weights: Mapping[str, float]) -> list[str]:
    """The facts behind a cell's score, one short sentence each, with the points they add
    (analysis/risk.py's weighted sum; zero facts are left out)."""
    out = []
    # As analysis/risk.py: the hot-spot terms count only with cases of the cell's own.
    own = int(cell["cases"]) > 0
    hot = max(int(cell["hot_class"]), 0) if own else 0
    if hot:
        confidence = {3: 99, 2: 95, 1: 90}[hot]
        out.append(_("A hot spot at %(confidence)d%% confidence (+%(points)g)",
                     confidence=confidence, points=weights["hot"] * hot))
    if own and cell["pattern_side"] > 0 and cell["pattern"] in RISING:
        out.append(_("%(pattern)s (+%(points)g)", pattern=pattern_label(cell["pattern"], 1),
                     points=weights["emerging"]))
    for key, weight, text in (
            ("repeats", "repeat", _l("%(n)d case(s) at a place with an earlier case of the "
                                     "same kind (+%(points)g)")),
            ("escalated", "escalated", _l("%(n)d escalation(s) (+%(points)g)")),
            ("rebounded", "rebound", _l("%(n)d rebound(s) (+%(points)g)")),
            ("urgent", "urgent", _l("%(n)d major urgent incident(s) (+%(points)g)"))):
        n = int(cell[key])
        if n:
            out.append(str(text) % {"n": n, "points": weights[weight] * n})
    return out
