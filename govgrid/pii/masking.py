"""Masking of personal data for people who do not handle the case. Pure functions."""

from __future__ import annotations


def mask_id_number(number: str | None) -> str | None:
    """150521199001011234 -> 150521********1234: region kept, birth date hidden."""
    if not number:
        return number
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str | None) -> str | None:
    """13812345678 -> 138****5678; landlines keep their area code's first digits and the
    last four; anything shorter than eight characters keeps only its last two."""
    if not phone:
        return phone
    digits = phone.strip()
    if len(digits) >= 8:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * max(0, len(digits) - 2) + digits[-2:]


def mask_name(name: str | None) -> str | None:
    """张三丰 -> 张**; used where even names must not show (public wall screens)."""
    if not name:
        return name
    return name[0] + "*" * (len(name) - 1)
