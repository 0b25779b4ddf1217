"""The arithmetic and wording rules of the 调解协议书 (pure: no Flask, no database).

- its number: 科左中调字〔2026〕第0012号 (county abbreviation, year, sequence);
- dates in the Chinese style of official documents: 二〇二六年十一月二十二日;
- judicial confirmation (司法确认, People's Mediation Law art. 33): the parties may apply
  within 30 days of the agreement taking effect; the court then confirms or rejects.

Statuses are compared by value ("applied", …) so this module need not import the models;
`records.ConfirmationStatus` is a StrEnum with the same values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

WINDOW_DAYS = 30  # art. 33: 自调解协议生效之日起三十日内

NOT_APPLIED, APPLIED, CONFIRMED, REJECTED = "not_applied", "applied", "confirmed", "rejected"
DECIDED = frozenset({CONFIRMED, REJECTED})

_DIGITS = "〇一二三四五六七八九"

# Official short forms used in document numbers; counties not listed fall back to their
# name without the trailing 县/旗/区/市 (good enough until a county configures its own).
COUNTY_ABBREVIATIONS: Mapping[str, str] = {
    "150521": "科左中",  # 科尔沁左翼中旗
    "150522": "科左后",  # 科尔沁左翼后旗
}


class HasEffectiveOn(Protocol):
    @property
    def effective_on(self) -> dt.date: ...


def confirmation_deadline(agreement: HasEffectiveOn) -> dt.date:
    """Last day on which judicial confirmation may be applied for: effective_on + 30 days.

    As in civil procedure, the day the period starts is not counted, so an agreement taking
    effect on 11-22 may be taken to court up to and including 12-22. (The rule that a period
    ending on a public holiday runs to the next working day is not applied here.)"""
    return agreement.effective_on + dt.timedelta(days=WINDOW_DAYS)


def chinese_number(n: int) -> str:
    """0–99 in Chinese numerals (三, 十二, 二十, 五十一), for 一式三份 and dates; larger
    numbers stay in Arabic digits, which documents also use."""
    if not 0 <= n <= 99:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def chinese_date(day: dt.date) -> str:
    """2026-11-22 -> 二〇二六年十一月二十二日: the year digit by digit (with 〇), month and day
    as numbers, as on the date line (落款) of official documents."""
    year = "".join(_DIGITS[int(d)] for d in f"{day.year:04d}")
    return f"{year}年{chinese_number(day.month)}月{chinese_number(day.day)}日"


def county_abbreviation(county_code: str, county_name: str) -> str:
    known = COUNTY_ABBREVIATIONS.get(county_code[:6])
    if known:
        return known
    if len(county_name) > 2 and county_name[-1] in "县旗区市":
        return county_name[:-1]
    return county_name


def agreement_number(abbreviation: str, year: int, sequence: int) -> str:
    """科左中调字〔2026〕第0012号: four digits keep a year's numbers sortable by eye."""
    return f"{abbreviation}调字〔{year}〕第{sequence:04d}号"


# --- judicial confirmation ------------------------------------------------------------------


@dataclass(frozen=True)
class ConfirmationState:
    """The confirmation fields of an agreement, as stored or as they would be after a change."""

    status: str
    effective_on: dt.date
    court: str | None = None
    applied_on: dt.date | None = None
    decided_on: dt.date | None = None


@dataclass(frozen=True)
class ConfirmationRefusal:
    """Why a change is refused: a stable code (the service words it), the field at fault and
    the values its message needs."""

    code: str
    field: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)


# Which statuses may follow which: an application only before the court decides; a decision
# only on an application; a decision is final (a court's ruling is changed by the court, not
# here), but its record may be corrected (same status).
NEXT_STATUSES: Mapping[str, frozenset[str]] = {
    NOT_APPLIED: frozenset({NOT_APPLIED, APPLIED}),
    APPLIED: frozenset({APPLIED, CONFIRMED, REJECTED}),
    CONFIRMED: frozenset({CONFIRMED}),
    REJECTED: frozenset({REJECTED}),
}


def check_change(current: str, new: ConfirmationState,
                 today: dt.date) -> ConfirmationRefusal | None:
    """May the confirmation go from status `current` to `new`? The first refusal, or None."""
    if new.status not in NEXT_STATUSES[current]:
        if new.status in DECIDED and current == NOT_APPLIED:
            return ConfirmationRefusal("decision_before_application", "status")
        code = "already_decided" if current in DECIDED else "already_applied"
        return ConfirmationRefusal(code, "status", {"status": current})
    if new.status == NOT_APPLIED:
        return None
    return _check_application(new, today) or (
        _check_decision(new, today) if new.status in DECIDED else None)


def _check_application(new: ConfirmationState, today: dt.date) -> ConfirmationRefusal | None:
    if not (new.court or "").strip():
        return ConfirmationRefusal("court_required", "court")
    if new.applied_on is None:
        return ConfirmationRefusal("applied_on_required", "applied_on")
    if new.applied_on > today:
        return ConfirmationRefusal("in_the_future", "applied_on")
    if new.applied_on < new.effective_on:
        return ConfirmationRefusal("applied_before_effective", "applied_on",
                                   {"effective_on": new.effective_on})
    deadline = confirmation_deadline(new)
    if new.applied_on > deadline:
        return ConfirmationRefusal("window_passed", "applied_on",
                                   {"deadline": deadline, "days": WINDOW_DAYS})
    return None


def _check_decision(new: ConfirmationState, today: dt.date) -> ConfirmationRefusal | None:
    if new.decided_on is None:
        return ConfirmationRefusal("decided_on_required", "decided_on")
    if new.decided_on > today:
        return ConfirmationRefusal("in_the_future", "decided_on")
    if new.applied_on is not None and new.decided_on < new.applied_on:
        return ConfirmationRefusal("decided_before_applied", "decided_on",
                                   {"applied_on": new.applied_on})
    return None
