"""When demo disputes happen: seasonal profiles per kind of dispute (pure).

Monthly factors follow the farming and herding year of the Horqin steppe: land and
contracting disputes in spring ploughing (春耕) and after the harvest, grassland, grazing and
water in summer, heating in winter; wages and debts pile up in the weeks before 春节 (migrant
workers go home and want their pay), family disputes round the festival when families meet,
and nearly everything is quiet in the festival week itself and in deep winter. Weekends see
fewer reports.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

# Lunar New Year's day (春节), Gregorian dates.
SPRING_FESTIVAL = {
    2020: dt.date(2020, 1, 25), 2021: dt.date(2021, 2, 12), 2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22), 2024: dt.date(2024, 2, 10), 2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17), 2027: dt.date(2027, 2, 6), 2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13), 2030: dt.date(2030, 2, 3), 2031: dt.date(2031, 1, 23),
    2032: dt.date(2032, 2, 11), 2033: dt.date(2033, 1, 31), 2034: dt.date(2034, 2, 19),
    2035: dt.date(2035, 2, 8), 2036: dt.date(2036, 1, 28), 2037: dt.date(2037, 2, 15),
    2038: dt.date(2038, 2, 4), 2039: dt.date(2039, 1, 24), 2040: dt.date(2040, 2, 12),
}
MONTHS = {  # January .. December
    "default": (0.65, 0.7, 1.0, 1.1, 1.1, 1.05, 1.05, 1.05, 1.05, 1.0, 0.9, 0.8),
    "land": (0.35, 0.45, 1.4, 2.1, 1.8, 1.0, 0.8, 0.9, 1.2, 1.3, 0.7, 0.45),
    "grassland": (0.25, 0.25, 0.5, 1.1, 1.8, 2.1, 2.1, 1.8, 1.2, 0.6, 0.35, 0.25),
    "water": (0.15, 0.15, 0.3, 1.1, 2.1, 2.3, 2.1, 1.5, 0.8, 0.3, 0.15, 0.15),
    "crops": (0.25, 0.25, 0.4, 0.7, 1.3, 1.6, 1.7, 1.9, 2.0, 1.4, 0.5, 0.25),
    "wages": (1.1, 0.8, 0.7, 0.8, 0.85, 0.85, 0.9, 0.9, 1.0, 1.0, 1.25, 1.7),
    "heating": (2.3, 1.9, 1.2, 0.4, 0.08, 0.05, 0.05, 0.05, 0.15, 1.2, 2.1, 2.4),
    "summer": (0.1, 0.1, 0.3, 0.6, 1.5, 2.5, 3.0, 2.5, 0.8, 0.3, 0.1, 0.1),
    "fire": (0.5, 0.8, 2.2, 2.5, 1.2, 0.5, 0.4, 0.5, 0.9, 1.8, 1.2, 0.6),
    "family": (0.9, 1.0, 1.0, 1.0, 1.0, 0.95, 0.95, 0.95, 1.0, 1.05, 0.95, 0.9),
}
WEEKEND = 0.7


def season_profile(code: str) -> str:
    """The seasonal profile of a category (leaf code)."""
    top = code[:2]
    if top == "04" or code in ("0303", "0802", "1105", "1304", "1002"):
        return "land"
    if top == "05" or code in ("1702", "1703"):
        return "grassland"
    if top == "18":
        return "water"
    if code == "1701":
        return "crops"
    if top == "06" or code in ("1301", "1302", "1303", "1305", "1306"):
        return "wages"
    if code in ("0702", "2103"):
        return "heating"
    if code == "2004":
        return "summer"
    if code in ("1405", "1203"):
        return "fire"
    if top == "01":
        return "family"
    return "default"


def _festival_factor(profile: str, day: dt.date) -> float:
    festival = SPRING_FESTIVAL.get(day.year)
    following = SPRING_FESTIVAL.get(day.year + 1)
    factor = 1.0
    for date in (festival, following):
        if date is None:
            continue
        offset = (day - date).days
        if -1 <= offset <= 6:  # the festival week: offices closed, families together
            factor *= 1.3 if profile == "family" else 0.45
        elif profile == "wages" and -45 <= offset < -1:
            factor *= 2.2  # 年前讨薪: pay before going home
        elif profile == "family" and (-25 <= offset < -1 or 6 < offset <= 20):
            factor *= 1.5
    return factor


def day_weights(profile: str, first: dt.date, days: int) -> np.ndarray:
    """Relative chance of each of `days` days from `first` for a case of this profile."""
    months = MONTHS[profile]
    weights = np.empty(days)
    for i in range(days):
        day = first + dt.timedelta(days=i)
        weekend = WEEKEND if day.weekday() >= 5 else 1.0
        weights[i] = months[day.month - 1] * weekend * _festival_factor(profile, day)
    return weights
