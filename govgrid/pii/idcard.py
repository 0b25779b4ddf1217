"""Resident identity card numbers (居民身份证号码, GB 11643-1999): 17 digits and a check
character. Pure functions, no I/O."""

from __future__ import annotations

import datetime as dt
import re

# Weight of position i is 2^(17 - i) mod 11, for i = 0..16.
WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
CHECK_CHARS = "10X98765432"  # indexed by (weighted sum mod 11)
# Province-level region codes (the first two digits).
PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83",
})
_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")


class InvalidIdNumber(ValueError):
    """The reason is one of the REASONS keys, so callers can translate it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


REASONS = ("shape", "region", "birth_date", "check_digit")


def check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalise(raw: str) -> str:
    """Strip spaces and make a trailing x upper case (people type both)."""
    return raw.strip().replace(" ", "").upper()


def validate(raw: str, today: dt.date | None = None) -> str:
    """The normalised number, or InvalidIdNumber with the first reason it fails."""
    number = normalise(raw)
    if not _SHAPE.match(number):
        raise InvalidIdNumber("shape")
    if number[:2] not in PROVINCES:
        raise InvalidIdNumber("region")
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as error:
        raise InvalidIdNumber("birth_date") from error
    if born.year < 1900 or born > (today or dt.date.today()):
        raise InvalidIdNumber("birth_date")
    if check_char(number[:17]) != number[17]:
        raise InvalidIdNumber("check_digit")
    return number


def birth_date(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def sex(number: str) -> str:
    """'male' or 'female', from the parity of the sequence code (17th digit)."""
    return "male" if int(number[16]) % 2 else "female"
