"""Words and colours of a report: hot-spot classes, emerging patterns, risk grades, and the
plain-language facts behind a cell's score (in the reader's language)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# Gi* class -> (colour, label); diverging red (hot) to blue (cold), as ArcGIS draws them.
HOT_CLASSES: dict[int, tuple[str, Any]] = {
    3: ("#b2182b", _l("Hot spot, 99% confidence")),
    2: ("#ef8a62", _l("Hot spot, 95% confidence")),
    1: ("#fddbc7", _l("Hot spot, 90% confidence")),
    0: ("#f7f7f7", _l("Not significant")),
    -1: ("#d1e5f0", _l("Cold spot, 90% confidence")),
    -2: ("#67a9cf", _l("Cold spot, 95% confidence")),
    -3: ("#2166ac", _l("Cold spot, 99% confidence")),
}

GRADES: dict[str, tuple[str, Any]] = {
    "red": ("#d7301f", _l("Red (high risk)")),
    "orange": ("#fc8d59", _l("Orange")),
    "yellow": ("#fee08b", _l("Yellow")),
    "blue": ("#c6dbef", _l("Blue (low risk)")),
}

PATTERNS: dict[str, Any] = {
    "new": _l("New hot spot"),
    "consecutive": _l("Consecutive hot spot"),
    "intensifying": _l("Intensifying hot spot"),
    "persistent": _l("Persistent hot spot"),
    "diminishing": _l("Diminishing hot spot"),
    "sporadic": _l("Sporadic hot spot"),
    "oscillating": _l("Oscillating hot spot"),
    "historical": _l("Historical hot spot"),
    "none": _l("No pattern"),
}
COLD_PATTERNS: dict[str, Any] = {
    "new": _l("New cold spot"),
    "consecutive": _l("Consecutive cold spot"),
    "intensifying": _l("Intensifying cold spot"),
    "persistent": _l("Persistent cold spot"),
    "diminishing": _l("Diminishing cold spot"),
    "sporadic": _l("Sporadic cold spot"),
    "oscillating": _l("Oscillating cold spot"),
    "historical": _l("Historical cold spot"),
}


def pattern_label(pattern: str, side: int) -> str:
    if side < 0 and pattern in COLD_PATTERNS:
        return str(COLD_PATTERNS[pattern])
    return str(PATTERNS.get(pattern, pattern))


def grade_label(grade: str) -> str:
    return str(GRADES[grade][1]) if grade in GRADES else grade


def explain(cell: Mapping[str, Any], weights: Mapping[str, float]) -> list[str]:
    """The facts behind a cell's score, one short sentence each, with the points they add
    (analysis/risk.py's weighted sum; zero facts are left out)."""
    out = []
    hot = max(int(cell["hot_class"]), 0)
    if hot:
        confidence = {3: 99, 2: 95, 1: 90}[hot]
        out.append(_("A hot spot at %(confidence)d%% confidence (+%(points)g)",
                     confidence=confidence, points=weights["hot"] * hot))
    if cell["pattern_side"] > 0 and cell["pattern"] in ("new", "consecutive", "intensifying"):
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
