"""One demo case from its draws: source, plan, people, title, and its life played out (pure).

The tables here are the demo's assumptions about where cases come from and how they end;
history.py draws the shared, vectorised part (category, date, place) and calls these per case.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from govgrid.auth.roles import Role
from govgrid.cases.vocabulary import Source
from govgrid.cases.workflow import Level
from govgrid.demo import history_people as people
from govgrid.demo.history_plans import PlanContext, Player
from govgrid.demo.history_space import Place
from govgrid.demo.history_timeline import Actor, CaseSim, Cast


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    code: str
    name: str
    severity: str
    time_limit_days: int | None
    weight: float


@dataclass(frozen=True)
class DemoUsers:
    """Demo accounts that fit a role in a case, by the unit they belong to (unit id -> user
    id). Everyone else in a case is a person without an account (NULL)."""

    grid_workers: dict[int, int] = field(default_factory=dict)  # village
    village_staff: dict[int, int] = field(default_factory=dict)  # village
    dispatchers: dict[int, int] = field(default_factory=dict)  # township
    mediators: dict[int, int] = field(default_factory=dict)  # any level: who mediates there
    county_staff: dict[int, int] = field(default_factory=dict)  # county


DEFAULT_SOURCES = {Source.grid_worker: 0.78, Source.walk_in: 0.08, Source.hotline_12345: 0.06,
                   Source.police_110: 0.04, Source.court_referral: 0.02,
                   Source.petition: 0.015, Source.department: 0.005}
SOURCE_OVERRIDES = {  # leaf code or top code -> where such matters come from
    "1503": {Source.court_referral: 0.9, Source.walk_in: 0.1},
    "1501": {Source.petition: 0.4, Source.walk_in: 0.3, Source.court_referral: 0.3},
    "1502": {Source.court_referral: 0.5, Source.walk_in: 0.3, Source.petition: 0.2},
    "1504": {Source.petition: 0.7, Source.walk_in: 0.2, Source.grid_worker: 0.1},
    "1506": {Source.petition: 0.6, Source.walk_in: 0.3, Source.grid_worker: 0.1},
    "16": {Source.police_110: 0.35, Source.grid_worker: 0.55, Source.walk_in: 0.1},
    "19": {Source.police_110: 0.5, Source.grid_worker: 0.35, Source.walk_in: 0.15},
    "10": {Source.police_110: 0.4, Source.grid_worker: 0.4, Source.walk_in: 0.2},
    "06": {Source.hotline_12345: 0.3, Source.grid_worker: 0.45, Source.walk_in: 0.2,
           Source.department: 0.05},
    "07": {Source.hotline_12345: 0.55, Source.grid_worker: 0.35, Source.walk_in: 0.1},
    "08": {Source.hotline_12345: 0.45, Source.walk_in: 0.25, Source.grid_worker: 0.3},
    "09": {Source.hotline_12345: 0.4, Source.walk_in: 0.3, Source.grid_worker: 0.3},
}
# Plans for cases that are neither urgent, duplicates nor settled on the spot (shares).
PLANS = (("reject", 0.02), ("refer", 0.045), ("escalate", 0.15), ("escalate2", 0.05),
         ("rebound_followup", 0.019), ("rebound_reopen", 0.019), ("partial", 0.016),
         ("stall", 0.012))
ON_SPOT = 0.135  # of the grid workers' small cases (一般, not urgent): about 8 % of all
REFER_BY_SOURCE = {Source.court_referral: 0.35, Source.petition: 0.3}
ROUTES = {  # top code -> (route, receiver) choices for referrals
    "06": (("arbitration", "科左中旗劳动人事争议仲裁委员会"), ("litigation", "科左中旗人民法院")),
    "04": (("arbitration", "科左中旗农村土地承包仲裁委员会"), ("department", "科左中旗农牧局")),
    "05": (("arbitration", "科左中旗农村土地承包仲裁委员会"),
           ("department", "科左中旗林业和草原局")),
    "11": (("administrative_review", "科左中旗人民政府行政复议办公室"),
           ("petition", "科左中旗信访局")),
    "15": (("litigation", "科左中旗人民法院"), ("petition", "科左中旗信访局")),
    "16": (("department", "科左中旗公安局"),), "19": (("department", "科左中旗公安局"),),
    "23": (("department", "科左中旗公安局"), ("petition", "科左中旗信访局")),
}
DEFAULT_ROUTES = (("litigation", "科左中旗人民法院"), ("department", "科左中旗司法局"))
MONEY = {"06": 15000, "13": 30000, "10": 20000, "14": 8000, "0102": 100000, "0304": 60000,
         "1104": 20000, "1105": 5000, "0901": 30000, "1704": 15000, "1302": 40000}  # median 元


def draw_source(code: str, draw: float) -> Source:
    """The channel a case of this category came through (`draw` uniform in [0, 1))."""
    table = SOURCE_OVERRIDES.get(code) or SOURCE_OVERRIDES.get(code[:2]) or DEFAULT_SOURCES
    total = 0.0
    for source, share in table.items():
        total += share
        if draw < total:
            return source
    return next(reversed(table))


def choose_plan(draw: float, source: Source, severity: str, urgent: bool, duplicate: bool,
                base: bool) -> str:
    """How the case goes (history_plans.Player); `base`: another case duplicates it, so it
    must not be rejected (the workflow refuses merging into a rejected case)."""
    if duplicate:
        return "merge"
    if urgent:
        return "refer" if draw < 0.3 else "resolve"
    if source is Source.grid_worker and severity == "general":
        if draw < ON_SPOT:
            return "on_spot"
        draw = (draw - ON_SPOT) / (1 - ON_SPOT)
    if draw < REFER_BY_SOURCE.get(source, 0.0):
        return "refer"
    total = 0.0
    for plan, share in PLANS:
        total += share
        if draw < total:
            return "resolve" if base and plan == "reject" else plan  # a merge target stands
    return "resolve"


def case_row(case_id: uuid.UUID, place: Place, category: CategoryInfo, source: Source,
             severity: str, urgent: bool, point: np.ndarray, reported: dt.datetime,
             rnd: random.Random) -> dict[str, Any]:
    """The case's own columns (those the workflow sets come from CaseSim.report and act)."""
    code = category.code
    crowd = code in people.GROUP_CODES
    count = rnd.randint(8, 60) if crowd else 2 + int(rnd.random() < 0.25) * rnd.randint(1, 4)
    median = MONEY.get(code, MONEY.get(code[:2]))
    amount = None if median is None else f"{round(rnd.lognormvariate(0, 0.9) * median, -2):.2f}"
    parties = people.parties(rnd, code, place.township_name, place.village_name,
                             place.pastoral, place.park)
    title = people.title(code, category.name, place.village_name, parties, count)
    before = dt.timedelta(hours=min(rnd.lognormvariate(1.8, 1.3), 24 * 30))
    return {
        "id": case_id, "county_id": place.county_id, "township_id": place.township_id,
        "village_id": place.village_id, "grid_cell_id": place.cell_id,
        "location_path": place.path, "point": (float(point[0]), float(point[1])),
        "accuracy_m": round(rnd.uniform(4, 35), 1) if source is Source.grid_worker else None,
        "address": f"{place.township_name}{place.village_name}", "category_id": category.id,
        "severity": severity, "is_urgent": urgent, "source": source.value, "title": title,
        "description": people.description(source, title, amount, count),
        "people_involved": count, "amount_involved": amount, "occurred_at": reported - before,
        "reported_at": reported, "_parties": parties,
    }


def _cast(place: Place, users: DemoUsers, reporter_role: Role) -> Cast:
    v, t, c = place.village_id, place.township_id, place.county_id
    cast = Cast(
        reporter=Actor(Role.grid_worker, users.grid_workers.get(v, -1), v),
        village_staff=Actor(Role.village_staff, users.village_staff.get(v, -2), v),
        village_mediator=Actor(Role.mediator, users.mediators.get(v, -3), v),
        dispatcher=Actor(Role.township_dispatcher, users.dispatchers.get(t, -4), t),
        township_mediator=Actor(Role.mediator, users.mediators.get(t, -5), t),
        county_staff=Actor(Role.county_staff, users.county_staff.get(c, -6), c),
        county_mediator=Actor(Role.mediator, users.mediators.get(c, -7), c),
        units={Level.village: v, Level.township: t, Level.county: c})
    if reporter_role is Role.village_staff:
        cast.reporter = cast.village_staff
    elif reporter_role is Role.township_dispatcher:
        cast.reporter = cast.dispatcher
    return cast


def play_case(row: dict[str, Any], rnd: random.Random, place: Place, category: CategoryInfo,
              plan: str, duplicate_of: uuid.UUID | None, users: DemoUsers,
              end: dt.datetime) -> tuple[CaseSim, list[dict[str, Any]]]:
    """Report the case and play its plan; the simulation (rows, events...) and parties."""
    source = Source(row["source"])
    if source is Source.grid_worker:
        reporter, intake = Role.grid_worker, Level.village
    elif source is Source.walk_in and rnd.random() < 0.7:  # at the village station
        reporter, intake = Role.village_staff, Level.village
    else:  # 12345 / 110 orders, court and petition referrals arrive at the township
        reporter, intake = Role.township_dispatcher, Level.township
    cast = _cast(place, users, reporter)
    push = intake is Level.township and plan not in ("refer", "reject", "merge") and \
        rnd.random() < (0.2 if source in (Source.court_referral, Source.petition) else 0.75)
    if row["is_urgent"]:
        intake, push = Level.county, False  # reported straight to the county (DESIGN §4)
    parties = row.pop("_parties")
    sim = CaseSim(row, category.time_limit_days, cast.units, end, category.code)
    sim.report(cast.reporter, cast.units[intake], intake, row["reported_at"])
    ctx = PlanContext(
        intake=intake, push_down=push, urgent=row["is_urgent"], duplicate_of=duplicate_of,
        route=rnd.choice(ROUTES.get(category.code[:2], DEFAULT_ROUTES)),
        participants=tuple(p["name"] for p in parties),
        places={Level.village: f"{place.village_name}综治工作站调解室",
                Level.township: f"{place.township_name}综治中心调解室",
                Level.county: "科左中旗综治中心调解室"})
    Player(sim, cast, ctx, rnd).play(plan)
    row["_plan"] = plan
    return sim, [{"county_id": row["county_id"], "case_id": row["id"], **p} for p in parties]
