"""What each indicator is: a ratio of two counts (or one count), with its numerator and
denominator written down. Pure: the counts come from stats.counts (SQL); this module only
names them and divides.

A period's indicators are about the cases *reported* in it (a cohort), as they stand now:
a month's 化解率 still rises while its cases are being resolved. Follow-up satisfaction is
about the visits *made* in the period, and the overdue and urgent figures are about now.
docs/INDICATORS.md says the same for readers; keep the two together.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass


class Count(enum.StrEnum):
    """The counts the SQL computes; each is also a filter of the case list (the cases behind
    the number), except the follow-up visits, which are visits, not cases."""

    reported = "reported"  # 上报数: reported in the period (drafts never are)
    accepted = "accepted"  # 受理数: … and accepted (not rejected or merged)
    resolved = "resolved"  # 化解数: … and now resolved, closed or archived with an agreement
    #                        (written or oral) or withdrawn
    finished = "finished"  # 办结数: … now resolved, closed or archived, whatever the outcome
    finished_known = "finished_known"  # … of which it is known whether in time
    finished_on_time = "finished_on_time"  # … resolved before the time limit then running ran out
    open_overdue = "open_overdue"  # … still open and past its time limit now
    resolved_village = "resolved_village"  # 化解数 held by a village station when resolved
    resolved_township = "resolved_township"  # … by a township centre
    resolved_in_township = "resolved_in_township"  # … by a village station or township centre
    resolved_county = "resolved_county"  # … by the county centre
    ever_resolved = "ever_resolved"  # resolved now (whatever the outcome), or reopened (反弹)
    #                                  since a resolution
    rebounded = "rebounded"  # reopened at least once (反弹)
    overdue_now = "overdue_now"  # open and past the time limit now, whenever reported
    urgent_open = "urgent_open"  # 重大紧急事件 still open now, whenever reported
    followed_up = "followed_up"  # follow-up visits made in the period with an answer
    satisfied = "satisfied"  # … where the party was satisfied


# Counts that are about now rather than the period's cohort.
SNAPSHOT_COUNTS = frozenset({Count.overdue_now, Count.urgent_open})
# Counts of visits (case_events), not cases.
VISIT_COUNTS = frozenset({Count.followed_up, Count.satisfied})


class Kind(enum.StrEnum):
    rate = "rate"
    count = "count"


@dataclass(frozen=True)
class Indicator:
    key: str
    kind: Kind
    numerator: Count
    denominator: Count | None
    higher_is_better: bool = True  # names, and numerator and denominator in words: labels.py


# Names and texts: labels.py.
INDICATORS: tuple[Indicator, ...] = (
    Indicator("resolution_rate", Kind.rate, Count.resolved, Count.accepted),
    Indicator("on_time_rate", Kind.rate, Count.finished_on_time, Count.finished_known),
    Indicator("village_share", Kind.rate, Count.resolved_village, Count.resolved),
    Indicator("township_share", Kind.rate, Count.resolved_in_township, Count.resolved),
    Indicator("county_share", Kind.rate, Count.resolved_county, Count.resolved,
              higher_is_better=False),
    Indicator("satisfaction_rate", Kind.rate, Count.satisfied, Count.followed_up),
    Indicator("rebound_rate", Kind.rate, Count.rebounded, Count.ever_resolved,
              higher_is_better=False),
    Indicator("overdue", Kind.count, Count.overdue_now, None, higher_is_better=False),
    Indicator("urgent_open", Kind.count, Count.urgent_open, None, higher_is_better=False),
)

BY_KEY = {indicator.key: indicator for indicator in INDICATORS}


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    value: float | None  # a fraction for rates (None when the denominator is 0), or a count
    numerator: int
    denominator: int | None


def ratio(numerator: int, denominator: int) -> float | None:
    """numerator / denominator, or None when there is nothing to divide by (shown as —,
    never as 0 % or 100 %)."""
    return numerator / denominator if denominator else None


def figures(counts: Mapping[Count, int]) -> list[Figure]:
    """Every indicator from one set of counts (missing counts are 0)."""
    out = []
    for indicator in INDICATORS:
        top = int(counts.get(indicator.numerator, 0))
        if indicator.denominator is None:
            out.append(Figure(indicator, float(top), top, None))
        else:
            bottom = int(counts.get(indicator.denominator, 0))
            out.append(Figure(indicator, ratio(top, bottom), top, bottom))
    return out
