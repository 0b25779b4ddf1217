"""What each indicator is called and what its numerator and denominator count, in words, in
the reader's language (docs/INDICATORS.md says the same; keep them together)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .indicators import INDICATORS, Count

# key -> (name, numerator in words, denominator in words or None)
TEXTS: dict[str, tuple[object, object, object | None]] = {
    "resolution_rate": (
        _l("Resolution rate (化解率)"),
        _l("Cases reported in the period and accepted, now resolved with an agreement "
           "(written or oral) or withdrawn"),
        _l("Cases reported in the period and accepted"),
    ),
    "on_time_rate": (
        _l("On-time closure rate (按期办结率)"),
        _l("Cases reported in the period, resolved before their time limit ran out"),
        _l("Cases reported in the period that are resolved (whatever the outcome), "
           "plus those still open past their time limit"),
    ),
    "village_share": (
        _l("Resolved in the village (小事不出村)"),
        _l("Resolved cases that a village station held when they were resolved"),
        _l("Cases reported in the period and resolved"),
    ),
    "township_share": (
        _l("Resolved in the township (大事不出镇)"),
        _l("Resolved cases held by a village station or a township centre when they "
           "were resolved"),
        _l("Cases reported in the period and resolved"),
    ),
    "county_share": (
        _l("Resolved at the county"),
        _l("Resolved cases that the county centre held when they were resolved"),
        _l("Cases reported in the period and resolved"),
    ),
    "satisfaction_rate": (
        _l("Follow-up satisfaction (回访满意率)"),
        _l("Follow-up visits made in the period where the party was satisfied"),
        _l("Follow-up visits made in the period"),
    ),
    "rebound_rate": (
        _l("Rebound rate (反弹率)"),
        _l("Cases reported in the period that were reopened after a resolution"),
        _l("Cases reported in the period that were resolved at least once (whatever "
           "the outcome)"),
    ),
    "overdue": (
        _l("Overdue now (超期)"),
        _l("Open cases past their time limit now, whenever reported"),
        None,
    ),
    "urgent_open": (
        _l("Open urgent incidents (重大紧急事件)"),
        _l("Urgent incidents not yet resolved, whenever reported"),
        None,
    ),
}


def name(key: str) -> str:
    return str(TEXTS[key][0])


def numerator_text(key: str) -> str:
    return str(TEXTS[key][1])


def denominator_text(key: str) -> str | None:
    text = TEXTS[key][2]
    return None if text is None else str(text)


def count_words() -> dict[Count, object]:
    """Each count the dashboard links to its cases (metric=…), in the words used for it as
    a numerator or, failing that, a denominator: what a list of its cases is."""
    words: dict[Count, object] = {}
    for indicator in INDICATORS:
        _, numerator, denominator = TEXTS[indicator.key]
        words.setdefault(indicator.numerator, numerator)
        if indicator.denominator is not None and denominator is not None:
            words.setdefault(indicator.denominator, denominator)
    return words
