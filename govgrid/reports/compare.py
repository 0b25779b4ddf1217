"""This month against another (pure): a rate's change in percentage points, a count's in
per cent, and whether the change is for the better."""

from __future__ import annotations

from dataclasses import dataclass

FLAT_POINTS = 0.05  # a rate within ±0.05 pp, or a count within ±0.5 %, has not moved


@dataclass(frozen=True)
class Change:
    delta: float | None  # percentage points (rates) or per cent (counts); None: no basis
    direction: str  # up, down, flat, none
    verdict: str  # better, worse, same, none

    @property
    def arrow(self) -> str:
        return {"up": "↑", "down": "↓", "flat": "→"}.get(self.direction, "")


NONE = Change(None, "none", "none")


def change(now: float | None, before: float | None, kind: str,
           higher_is_better: bool = True) -> Change:
    """`kind` rate: values are fractions, delta in percentage points; count: delta in per
    cent of `before` (none when `before` is 0: growth from nothing has no percentage)."""
    if now is None or before is None:
        return NONE
    if kind == "rate":
        delta = (now - before) * 100
    elif before == 0:
        return NONE if now else Change(0.0, "flat", "same")
    else:
        delta = (now - before) / before * 100
    if abs(delta) < (FLAT_POINTS if kind == "rate" else 0.5):
        return Change(delta, "flat", "same")
    direction = "up" if delta > 0 else "down"
    better = (delta > 0) == higher_is_better
    return Change(delta, direction, "better" if better else "worse")


def format_change(c: Change, kind: str) -> str:
    """+3.2 pp / −12.5 % / — (the unit words are added by the caller's language)."""
    if c.delta is None:
        return "—"
    sign = "+" if c.delta > 0 else ("−" if c.delta < 0 else "±")
    return f"{sign}{abs(c.delta):.1f}"
