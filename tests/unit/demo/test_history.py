"""The demo history: deterministic, true to the category weights, the seasons and the hot
spots, and above all every timeline is one the case workflow allows."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pytest
import shapely

from govgrid.auth.roles import Role
from govgrid.cases.categories import read_taxonomy
from govgrid.cases.vocabulary import Severity
from govgrid.cases.workflow import Action, CaseFacts, CaseState, Effect, Level, check
from govgrid.demo.boundaries import SynthCounty, generate
from govgrid.demo.history import CategoryInfo, History, Place, generate_history, summarise
from govgrid.demo.history_season import SPRING_FESTIVAL
from govgrid.demo.history_timeline import MEMO_KEYS
from govgrid.pii.idcard import birth_date, validate
from govgrid.sla.policy import DEFAULT_RESOLVE_DAYS

END = dt.datetime(2026, 3, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
DAY = dt.timedelta(days=1)


def places_of(county: SynthCounty) -> list[Place]:
    """The generated county as the loader would read it, with made-up database ids."""
    ids = {u.code: i + 1 for i, u in enumerate(county.units)}
    units = {u.code: u for u in county.units}
    places = []
    for i, cell in enumerate(county.cells):
        village = units[cell.village_code]
        township = units[village.parent_code]
        path = f"{township.parent_code}.{township.code}.{village.code}.{cell.code}"
        places.append(Place(10_000 + i, cell.code, cell.name, cell.kind, cell.households, path,
                            ids[village.code], village.code, village.name, ids[township.code],
                            township.name, ids[township.parent_code], cell.boundary))
    return places


def categories() -> list[CategoryInfo]:
    leaves = [leaf for top in read_taxonomy() for leaf in top["children"]]
    return [CategoryInfo(i + 1, leaf["code"], leaf["name"], leaf["default_severity"],
                         leaf.get("time_limit_days"), leaf["weight"])
            for i, leaf in enumerate(leaves)]


@pytest.fixture(scope="module")
def places() -> list[Place]:
    return places_of(generate())


@pytest.fixture(scope="module")
def small(places) -> History:
    return generate_history(places, categories(), end=END, n=500, seed=7)


@pytest.fixture(scope="module")
def big(places) -> History:
    """Enough cases for shares and mixes to settle (about a second)."""
    return generate_history(places, categories(), end=END, n=4000, seed=11)


def _visible(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if not k.startswith("_")} for row in rows]


def test_same_seed_same_rows_other_seed_other_rows(places, small):
    again = generate_history(places, categories(), end=END, n=500, seed=7)
    for name in ("cases", "events", "parties", "sessions", "assignments"):
        assert _visible(getattr(again, name)) == _visible(getattr(small, name)), name
    other = generate_history(places, categories(), end=END, n=500, seed=8)
    assert [c["id"] for c in other.cases] != [c["id"] for c in small.cases]
    assert len({c["id"] for c in small.cases}) == 500


def test_category_mix_follows_the_weights(big):
    """Chi-square over top-level categories (23 degrees of freedom: 99.9 % below 49.7)."""
    cats = {c.id: c for c in categories()}
    weights = Counter()
    for c in cats.values():
        weights[c.code[:2]] += c.weight
    seen = Counter(cats[case["category_id"]].code[:2] for case in big.cases)
    total, weight_sum = len(big.cases), sum(weights.values())
    chi2 = sum((seen[top] - total * w / weight_sum) ** 2 / (total * w / weight_sum)
               for top, w in weights.items())
    assert chi2 < 50, (chi2, seen)


# --- the key property: every timeline is one the workflow allows ----------------------------


def _replay(case: dict, events: list[dict], parent: dict[int, int], level_of: dict[int, Level],
            days: int | None) -> None:
    """Replay a case's timeline through workflow.check, with CaseFacts built from the case as
    it stood before each step, and follow the columns as transitions.py sets them."""
    severity = Severity(case["severity"])
    first = events[0]
    assert (first["action"], first["from_state"], first["to_state"]) == \
        ("submit", None, "reported")
    reporter = first["_actor"]
    created = CaseFacts(state=CaseState.draft, level=Level.village, actor_id=reporter,
                        actor_role=Role(first["_role"]), reporter_id=reporter,
                        severity=severity, is_urgent=case["is_urgent"])
    assert check(Action.submit, created, {}).ok  # a report its reporter may make
    owner = case["county_id"] if case["is_urgent"] else first["actor_unit_id"]
    now = {"state": CaseState.reported, "handler": None, "extended": False, "closed_at": None,
           "due_at": first["at"] + dt.timedelta(hours=24), "accepted_at": None,
           "resolved_at": None, "archived_at": None, "outcome": None, "escalation_count": 0,
           "rebound_count": 0, "remaining": 0.0}
    at = first["at"]
    for ev in events[1:]:
        assert ev["at"] > at, "the timeline moves forward"
        at = ev["at"]
        level = level_of[owner]
        closed = now["closed_at"]
        facts = CaseFacts(
            state=now["state"], level=level, actor_id=ev["_actor"], actor_role=Role(ev["_role"]),
            actor_is_handler_unit=ev["actor_unit_id"] == owner, case_id=case["id"],
            severity=severity, is_urgent=case["is_urgent"], reporter_id=reporter,
            handler_id=now["handler"], extended=now["extended"],
            closed_days_ago=None if closed is None else (at - closed) / DAY)
        inp = ev["_input"]
        decision = check(ev["action"], facts, inp)
        assert decision.ok, (ev["action"], decision.code, case["title"])
        assert ev["from_state"] == now["state"] and ev["to_state"] == decision.to_state
        assert ev["actor_id"] == (ev["_actor"] if ev["_actor"] > 0 else None)
        effects, action = decision.effects, Action(ev["action"])
        memo = {k: (str(inp[k]) if k == "duplicate_of" else inp[k]) for k in MEMO_KEYS
                if k in inp}
        if memo.get("mediator_id") is not None and memo["mediator_id"] < 0:
            memo["mediator_id"] = None  # a mediator without an account
        # The default policy, by hand: natural days, the category's own limit first.
        limit = days or DEFAULT_RESOLVE_DAYS[severity]
        resolve_due = at + DAY * limit
        if action is Action.accept:
            now.update(accepted_at=at, due_at=resolve_due)
        if Effect.level_up in effects or Effect.level_down in effects:
            memo["from_unit_id"] = owner
            owner = parent[owner] if Effect.level_up in effects else inp["target_unit_id"]
            now["due_at"] = resolve_due
            now["escalation_count"] += Effect.level_up in effects
        if Effect.clear_handler in effects:
            now["handler"] = None
        if Effect.actor_is_handler in effects:
            now["handler"] = ev["_actor"]
        if action is Action.assign:
            now["handler"] = inp["mediator_id"]
        if action in (Action.resolve, Action.resolve_on_spot):
            now["outcome"] = inp["outcome"]
        if Effect.start_follow_up_clock in effects:
            now.update(resolved_at=at, due_at=at + DAY * 15)
        if Effect.counts_as_rebound in effects:
            now["rebound_count"] += 1
            now.update(closed_at=None, resolved_at=None, due_at=resolve_due)
        if decision.to_state is CaseState.closed:
            now.update(closed_at=at, due_at=None)
        if action is Action.archive:
            now["archived_at"] = at
        if Effect.pause_clock in effects:
            now["remaining"] = memo["remaining_s"] = max(0.0, (now["due_at"] - at).total_seconds())
            now["due_at"] = None
        if Effect.resume_clock in effects:
            now["due_at"] = at + dt.timedelta(seconds=now["remaining"])
        if Effect.extend_deadline in effects:
            now["extended"] = True
            now["due_at"] = now["due_at"] + DAY * limit
        assert ev["payload"] == memo, ev["action"]
        now["state"] = decision.to_state
    assert case["state"] == now["state"] and case["version"] == len(events)
    assert (case["owner_unit_id"], case["owner_level"]) == (owner, level_of[owner])
    handler = now.pop("handler")
    assert case["handler_id"] == (handler if handler is not None and handler > 0 else None)
    for key in ("extended", "closed_at", "due_at", "accepted_at", "resolved_at",
                "archived_at", "outcome", "escalation_count", "rebound_count"):
        assert case[key] == now[key], (key, case["title"])
    assert case["updated_at"] == at and case["reported_at"] == first["at"]


@pytest.mark.parametrize("which", ["small", "big"])
def test_every_timeline_follows_the_workflow(request, places, which):
    history: History = request.getfixturevalue(which)
    parent, level_of = {}, {}
    for p in places:
        parent[p.village_id], parent[p.township_id] = p.township_id, p.county_id
        level_of.update({p.village_id: Level.village, p.township_id: Level.township,
                         p.county_id: Level.county})
    days = {c.id: c.time_limit_days for c in categories()}
    by_case: dict = {}
    for ev in history.events:
        by_case.setdefault(ev["case_id"], []).append(ev)
    for case in history.cases:
        _replay(case, by_case[case["id"]], parent, level_of, days[case["category_id"]])
    assert all(ev["at"] < history.end for ev in history.events)
    ids = {c["id"]: c for c in history.cases}
    for case in history.cases:
        if case["state"] == "merged":  # merged into an earlier report of the same dispute
            target = ids[case["duplicate_of_id"]]
            assert target["reported_at"] < case["reported_at"]
            assert target["grid_cell_id"] == case["grid_cell_id"]
            assert target["state"] not in ("merged", "rejected")


# --- shares, places, times, people -------------------------------------------------------


def test_outcome_shares(big):
    s, n = summarise(big), len(big.cases)
    assert 0.16 <= s["escalated"] / n <= 0.24
    assert 0.02 <= s["to_county"] / n <= 0.08
    assert 0.02 <= s["rebound"] / n <= 0.045
    assert s["urgent"] == round(0.003 * n)
    assert 0.06 <= s["on_spot"] / n <= 0.10
    assert 0.01 <= s["partial"] / n <= 0.025
    assert 0.012 <= s["states"]["rejected"] / n <= 0.03
    assert 0.015 <= s["states"]["merged"] / n <= 0.025
    assert s["states"]["closed"] + s["states"]["archived"] > 0.8 * n
    resolves = sum(e["action"] == "resolve" and e["payload"]["outcome"] != "partial"
                   for e in big.events)
    assert 0.04 <= s["resolved_overdue"] / resolves <= 0.12
    accepts = [e for e in big.events if e["action"] == "accept"]
    assert 0.04 <= sum(e["_late"] for e in accepts) / len(accepts) <= 0.12
    assert sum(c["source"] == "grid_worker" for c in big.cases) / n > 0.6
    assert s["open_overdue"] > 0


def test_open_cases_are_the_recent_ones(big):
    waiting = [c for c in big.cases if c["state"] in ("reported", "accepted")]
    assert waiting and all(big.end - c["reported_at"] < 30 * DAY for c in waiting)
    old = [c for c in big.cases if big.end - c["reported_at"] > 200 * DAY]
    assert sum(c["state"] in ("closed", "archived", "rejected", "merged") for c in old) \
        > 0.97 * len(old)
    assert all(c["archived_at"] - c["closed_at"] >= 90 * DAY
               for c in big.cases if c["archived_at"])


def test_points_lie_in_their_cells_and_hot_spots_repeat(places, big):
    by_id = {p.cell_id: p for p in places}
    for case in big.cases:
        lon, lat = case["point"]
        assert shapely.contains_xy(by_id[case["grid_cell_id"]].boundary, lon, lat)
        assert case["location_path"] == by_id[case["grid_cell_id"]].path
    assert 20 <= len(big.hot_cells) <= 30
    cats = {c.id: c.code for c in categories()}
    land = Counter(c["grid_cell_id"] for c in big.cases if cats[c["category_id"]][:2] in
                   ("04", "05"))
    rural = [p.cell_id for p in places if not p.urban and p.kind == "comprehensive"]
    hot = np.mean([land[c] for c in big.hot_cells])
    other = np.mean([land[c] for c in rural if c not in big.hot_cells])
    assert hot > 6 * other, (hot, other)


def test_seasons(big):
    """Grassland disputes in summer, wage disputes before 春节."""
    cats = {c.id: c.code for c in categories()}

    def count(prefix: str, first: dt.date, days: int) -> int:
        return sum(cats[c["category_id"]].startswith(prefix)
                   and first <= c["reported_at"].date() < first + dt.timedelta(days=days)
                   for c in big.cases)

    assert count("05", dt.date(2025, 6, 1), 60) > 3 * count("05", dt.date(2025, 12, 1), 60)
    festival = SPRING_FESTIVAL[2026]
    assert count("06", festival - dt.timedelta(days=40), 38) > \
        1.5 * count("06", dt.date(2025, 6, 1), 38)


def test_parties_have_valid_ids_and_phones(small):
    assert len(small.parties) == 2 * len(small.cases)
    for party in small.parties:
        assert party["role"] in ("applicant", "respondent") and party["name"]
        assert len(party["phone"]) == 11 and party["phone"][:2] in ("13", "15", "18")
        if party["id_number"] is not None:
            number = validate(party["id_number"], today=dt.date(2026, 1, 1))
            assert number[:6] == "150521" and 1950 <= birth_date(number).year <= 2004
    assert all("某" in c["title"] or "反映" in c["title"] or "嘎查村" in c["title"]
               for c in small.cases)
