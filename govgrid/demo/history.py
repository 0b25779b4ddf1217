"""A year of demo cases for the demo county, deterministic from a seed (pure: no Flask, no
database; the loader is history_loader.py).

What is drawn, and why it looks real:
- categories by the dictionary's weights; dates by a seasonal profile per kind of dispute
  (land in spring ploughing, grassland and water in summer, wages and debts before 春节,
  heating in winter, little else in deep winter), fewer reports at weekends and at night;
- places by households with hot spots (history_space.py), sources mostly grid workers;
- severity mostly the category's default, now and then one step up; ~0.3 % urgent;
- a plan per case (history_plans.py) played through the real state machine
  (history_timeline.py); the most recent cases are cut off mid-way and so are still open.

The result is rows as dicts, column for column, plus a few "_" keys for tests. Same places,
categories, seed and end -> the same rows (ids are uuid5 of the seed and position).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from govgrid.cases.vocabulary import Severity
from govgrid.demo.history_cases import (
    CategoryInfo,
    DemoUsers,
    case_row,
    choose_plan,
    draw_source,
    play_case,
)
from govgrid.demo.history_plans import CST
from govgrid.demo.history_season import day_weights, season_profile
from govgrid.demo.history_space import (
    CLUSTERED,
    Place,
    cell_weights,
    choose_hot_cells,
    location_profile,
    near_point,
    sample_points,
)

__all__ = ["CategoryInfo", "DemoUsers", "History", "Place", "generate_history", "summarise"]

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://govgrid.invalid/demo/history")
DAYS = 365
URGENT_SHARE, DUPLICATE_SHARE, BUMP_SHARE = 0.003, 0.02, 0.05
URGENT_PRONE = ("23", "1606", "1505", "1604", "0904", "2103", "1102", "2004")
SEVERITY_STEPS = tuple(Severity)
HOURS = np.array([0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 4, 6, 6, 5, 3, 4, 6, 6, 5, 3.5, 2.5,
                  2, 1.5, 1, 0.6, 0.4])  # reports by local hour of the day


@dataclass
class History:
    cases: list[dict[str, Any]]
    events: list[dict[str, Any]]
    parties: list[dict[str, Any]]
    sessions: list[dict[str, Any]]
    assignments: list[dict[str, Any]]
    hot_cells: dict[int, str]  # grid cell id -> theme of its repeated disputes
    end: dt.datetime


def _choice(rng: np.random.Generator, p: np.ndarray, size: int) -> np.ndarray:
    return rng.choice(len(p), size=size, p=p / p.sum())


def _severity(default: str, bump: bool) -> str:
    index = SEVERITY_STEPS.index(Severity(default))
    return SEVERITY_STEPS[min(index + bump, len(SEVERITY_STEPS) - 1)].value


def _draw_times(rng: np.random.Generator, codes: list[str], cat_idx: np.ndarray,
                end: dt.datetime) -> np.ndarray:
    """Reported moments as seconds after the start (local midnight a year before `end`)."""
    start = end.astimezone(CST) - dt.timedelta(days=DAYS)
    seconds = np.empty(len(cat_idx))
    profiles = np.array([season_profile(codes[i]) for i in cat_idx])
    for profile in sorted(set(profiles)):
        rows = np.flatnonzero(profiles == profile)
        day = _choice(rng, day_weights(profile, start.date(), DAYS), len(rows))
        seconds[rows] = day * 86400.0
    hour = _choice(rng, HOURS, len(cat_idx))
    return seconds + hour * 3600.0 + rng.uniform(0, 3600, len(cat_idx))


def _duplicates(rng: np.random.Generator, places: list[Place], urgent: np.ndarray,
                seconds: np.ndarray, cat_idx: np.ndarray, cell_idx: np.ndarray,
                bump: np.ndarray, points: np.ndarray, source_draw: np.ndarray) -> np.ndarray:
    """Turn ~2 % of the cases into second reports of another case's dispute (same category
    and cell, a few tens of metres away, hours to days later, through another channel); the
    arrays change in place. Returns each case's base index, -1 for none."""
    duplicate_of = np.full(len(seconds), -1)
    # Bases end 5 days before the end and duplicates follow within 4, so all are reported.
    pool = np.flatnonzero(~urgent & (seconds < (DAYS - 5) * 86400.0))
    picked = rng.choice(pool, size=min(len(pool) // 2, round(DUPLICATE_SHARE * len(seconds)))
                        * 2, replace=False)
    for base, dup in zip(picked[0::2], picked[1::2], strict=True):
        duplicate_of[dup] = base
        cat_idx[dup], cell_idx[dup], bump[dup] = cat_idx[base], cell_idx[base], bump[base]
        seconds[dup] = seconds[base] + rng.uniform(3 * 3600, 4 * 86400)
        points[dup] = near_point(places[cell_idx[base]], points[base], rng)
        source_draw[dup] = rng.uniform(0.75, 1.0)  # mostly walk-in, 12345, 110...
    return duplicate_of


def generate_history(places: list[Place], categories: list[CategoryInfo], *, end: dt.datetime,
                     n: int = 15000, seed: int = 150521,
                     users: DemoUsers | None = None) -> History:
    """`n` cases reported in the 365 days before `end` (an aware datetime)."""
    rng = np.random.default_rng([seed, 20260101])
    users = users or DemoUsers()
    codes = [c.code for c in categories]
    cat_idx = _choice(rng, np.array([c.weight for c in categories]), n)
    seconds = _draw_times(rng, codes, cat_idx, end)
    start = end.astimezone(CST) - dt.timedelta(days=DAYS)
    hot = choose_hot_cells(places, rng)
    cell_idx = np.empty(n, dtype=int)
    loc = np.array([location_profile(codes[i]) for i in cat_idx])
    for profile in sorted(set(loc)):
        rows = np.flatnonzero(loc == profile)
        cell_idx[rows] = _choice(rng, cell_weights(places, profile, hot), len(rows))
    clustered = np.array([hot.get(int(c)) == p for c, p in zip(cell_idx, loc, strict=True)])
    clustered &= rng.random(n) < CLUSTERED
    points = sample_points(places, cell_idx, clustered, hot, rng)
    bump = rng.random(n) < BUMP_SHARE
    source_draw = rng.random(n)
    urgent = np.zeros(n, dtype=bool)
    prone = np.flatnonzero([codes[i].startswith(URGENT_PRONE) for i in cat_idx])
    urgent[rng.choice(prone, size=min(len(prone), round(URGENT_SHARE * n)), replace=False)] = True
    duplicate_of = _duplicates(rng, places, urgent, seconds, cat_idx, cell_idx, bump, points,
                               source_draw)
    order = np.lexsort((np.arange(n), seconds))
    position = np.empty(n, dtype=int)
    position[order] = np.arange(n)
    ids = [uuid.uuid5(NAMESPACE, f"{seed}:{i}") for i in range(n)]
    plan_draw, case_seeds = rng.random(n), rng.integers(0, 2**63, size=n)
    bases = set(duplicate_of[duplicate_of >= 0].tolist())

    history = History([], [], [], [], [], {places[i].cell_id: t for i, t in hot.items()}, end)
    for pos, k in enumerate(order):
        category, place = categories[cat_idx[k]], places[cell_idx[k]]
        reported = (start + dt.timedelta(seconds=float(seconds[k]))).astimezone(dt.UTC)
        rnd = random.Random(int(case_seeds[pos]))
        source = draw_source(category.code, source_draw[k])
        severity = "major" if urgent[k] and category.severity == "general" \
            else _severity(category.severity, bool(bump[k]))
        row = case_row(ids[pos], place, category, source, severity, bool(urgent[k]),
                       points[k], reported, rnd)
        dup = ids[position[duplicate_of[k]]] if duplicate_of[k] >= 0 else None
        plan = choose_plan(plan_draw[k], source, severity, bool(urgent[k]), dup is not None,
                           k in bases)
        sim, parties = play_case(row, rnd, place, category, plan, dup, users, end)
        history.cases.append(sim.row)
        history.events.extend(sim.events)
        history.sessions.extend(sim.sessions)
        history.assignments.extend(sim.assignments)
        history.parties.extend(parties)
    return history


def summarise(history: History) -> dict[str, Any]:
    """What the history holds, for the CLI and the report: final states, escalated, rebound,
    urgent, partial and overdue cases (resolved after their due time, or open past it)."""
    cases = history.cases
    villages = {c["id"]: c["village_id"] for c in cases}
    resolved_late = {e["case_id"] for e in history.events if e["action"] == "resolve"
                     and e["payload"].get("outcome") != "partial" and e["_late"]}
    open_states = {"reported", "accepted", "mediating", "suspended", "resolved", "referred"}
    return {
        "cases": len(cases), "events": len(history.events), "parties": len(history.parties),
        "sessions": len(history.sessions), "assignments": len(history.assignments),
        "states": dict(Counter(c["state"] for c in cases).most_common()),
        "escalated": sum(c["escalation_count"] > 0 for c in cases),
        "to_county": sum(c["owner_level"] == "county" and c["escalation_count"] > 0
                         for c in cases),
        "rebound": sum(c["rebound_count"] > 0 for c in cases),
        "urgent": sum(c["is_urgent"] for c in cases),
        "partial": len({e["case_id"] for e in history.events
                        if e["payload"].get("outcome") == "partial"}),
        "on_spot": sum(1 for e in history.events if e["action"] == "resolve_on_spot"),
        "resolved_in_village": len({e["case_id"] for e in history.events
                                    if e["action"] in ("resolve", "resolve_on_spot")
                                    and e["payload"]["outcome"] != "partial"
                                    and e["actor_unit_id"] == villages[e["case_id"]]}),
        "resolved_overdue": len(resolved_late),
        "open_overdue": sum(c["state"] in open_states and c["due_at"] is not None
                            and c["due_at"] < history.end for c in cases),
        "accepted_late": sum(1 for e in history.events if e["action"] == "accept"
                             and e["_late"]),
    }
