"""Pure rules of the 调解协议书: the 30-day confirmation window, its checks, Chinese dates and
the document number."""

import datetime as dt
from dataclasses import dataclass

import pytest

from govgrid.cases.confirmation import (
    ConfirmationState,
    agreement_number,
    check_change,
    chinese_date,
    chinese_number,
    confirmation_deadline,
    county_abbreviation,
)


@dataclass
class Doc:
    effective_on: dt.date


D = dt.date


@pytest.mark.parametrize("effective,deadline", [
    (D(2026, 11, 22), D(2026, 12, 22)),
    (D(2026, 1, 31), D(2026, 3, 2)),  # across a short February
    (D(2028, 2, 1), D(2028, 3, 2)),  # leap year: 29 days of February count
    (D(2026, 12, 15), D(2027, 1, 14)),  # across the year end
])
def test_deadline_is_thirty_days_after_taking_effect(effective, deadline):
    assert confirmation_deadline(Doc(effective)) == deadline


@pytest.mark.parametrize("day,text", [
    (D(2026, 11, 22), "二〇二六年十一月二十二日"),
    (D(2026, 1, 1), "二〇二六年一月一日"),
    (D(2030, 10, 10), "二〇三〇年十月十日"),
    (D(2026, 12, 31), "二〇二六年十二月三十一日"),
    (D(2000, 2, 20), "二〇〇〇年二月二十日"),
    (D(2026, 5, 19), "二〇二六年五月十九日"),
])
def test_chinese_dates(day, text):
    assert chinese_date(day) == text


@pytest.mark.parametrize("n,text", [
    (0, "〇"), (3, "三"), (10, "十"), (12, "十二"), (20, "二十"), (51, "五十一"),
    (99, "九十九"), (100, "100"),
])
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text


def test_agreement_number():
    assert county_abbreviation("150521000000", "科尔沁左翼中旗") == "科左中"
    assert county_abbreviation("130123000000", "正定县") == "正定"
    assert agreement_number("科左中", 2026, 12) == "科左中调字〔2026〕第0012号"
    assert agreement_number("科左中", 2026, 12345) == "科左中调字〔2026〕第12345号"


EFFECTIVE = D(2026, 11, 22)
TODAY = D(2027, 2, 1)
COURT = "科尔沁左翼中旗人民法院"


def state(status, **fields):
    return ConfirmationState(status=status, effective_on=EFFECTIVE, **fields)


def applied(on=EFFECTIVE, court=COURT):
    return state("applied", court=court, applied_on=on)


@pytest.mark.parametrize("on", [EFFECTIVE, D(2026, 12, 1), D(2026, 12, 22)])
def test_application_within_thirty_days(on):
    assert check_change("not_applied", applied(on), TODAY) is None


def test_application_after_thirty_days_names_the_deadline():
    refusal = check_change("not_applied", applied(D(2026, 12, 23)), TODAY)
    assert refusal.code == "window_passed" and refusal.field == "applied_on"
    assert refusal.params["deadline"] == D(2026, 12, 22)


@pytest.mark.parametrize("new,code", [
    (applied(D(2026, 11, 21)), "applied_before_effective"),
    (applied(D(2027, 2, 2)), "in_the_future"),
    (applied(court=" "), "court_required"),
    (state("applied", court=COURT), "applied_on_required"),
    (state("confirmed", court=COURT, applied_on=EFFECTIVE, decided_on=D(2026, 12, 1)),
     "decision_before_application"),
])
def test_application_refusals(new, code):
    assert check_change("not_applied", new, TODAY).code == code


def test_decision_only_after_application():
    decided = state("confirmed", court=COURT, applied_on=D(2026, 12, 1),
                    decided_on=D(2026, 12, 20))
    assert check_change("applied", decided, TODAY) is None
    assert check_change("applied", state("rejected", court=COURT, applied_on=D(2026, 12, 1),
                                         decided_on=D(2026, 12, 1)), TODAY) is None


@pytest.mark.parametrize("decided_on,code", [
    (None, "decided_on_required"),
    (D(2026, 11, 30), "decided_before_applied"),
    (D(2027, 3, 1), "in_the_future"),
])
def test_decision_refusals(decided_on, code):
    new = state("confirmed", court=COURT, applied_on=D(2026, 12, 1), decided_on=decided_on)
    assert check_change("applied", new, TODAY).code == code


def test_decisions_are_final_and_applications_stay():
    assert check_change("confirmed", applied(), TODAY).code == "already_decided"
    assert check_change("confirmed", state("rejected", court=COURT, applied_on=EFFECTIVE,
                                           decided_on=EFFECTIVE), TODAY).code == "already_decided"
    assert check_change("applied", state("not_applied"), TODAY).code == "already_applied"
    # Correcting the record of the same decision is allowed.
    same = state("confirmed", court=COURT, applied_on=EFFECTIVE, decided_on=D(2026, 12, 5))
    assert check_change("confirmed", same, TODAY) is None
    assert check_change("not_applied", state("not_applied"), TODAY) is None
