"""The scorecards read by people (DESIGN §6, issue 9 items 2 and 5): for the townships of
the county — or the villages of a township — every unit's scorecard for a month, quarter or
year under the county's scheme in force (the version named; 0 is the built-in default), its
rank, each indicator against its target with the case-list queries behind its numerator and
denominator, the deductions with their evidence, and its standing on the ladder today.

Jurisdiction: the units, events, sanctions and the statistics' counts are all read through
the scoped session, so a township centre reads its own township and its villages only (and
its rank is among the units it reads); another township is not found (404). Nothing is
stored: the monthly job (evaluation.propose_all) is what proposes steps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import load_only

from ..auth.permissions import require_role
from ..auth.principal import SYSTEM, Principal, acting_as
from ..auth.roles import Role
from ..auth.scope import unscoped
from ..errors import NotFound, Unprocessable
from ..extensions import db
from ..geo.models import Unit, UnitLevel
from ..stats import labels as stat_labels
from ..stats.indicators import BY_KEY
from ..stats.period import Period as StatsPeriod
from ..stats.places import Place
from ..stats.service import list_filter
from ..timestamps import DISPLAY_TZ, utcnow
from . import ladder
from .assessment_periods import NamedPeriod
from .facts import unit_facts
from .models import MajorEvent, Sanction
from .scheme import Direction, TriggerBasis
from .schemes_store import active_scheme
from .scorecard_labels import (
    DEDUCTION_LABELS,
    GOOD_STANDING,
    GRADE_LABELS,
    STEP_LABELS,
    VETO_LABELS,
    grade,
    label,
)
from .scoring import IndicatorScore, Scorecard, VetoHit, rank, score
from .vocabulary import SanctionState, Step

SCORECARD_ROLES = frozenset({Role.county_staff, Role.county_leader, Role.assessor, Role.admin,
                             Role.township_dispatcher})
LADDER_VETO = "ladder_veto"  # the veto hit of a 一票否决 confirmed on the ladder
NEAR_SHARE = 0.5  # amber: at least half the way from the floor to the target
UNIT_LOAD = load_only(Unit.id, Unit.code, Unit.name, Unit.level, Unit.path, Unit.county_id,
                      Unit.parent_id, Unit.households)


def require_reader(principal: Principal) -> Principal:
    return require_role(principal, SCORECARD_ROLES, _l(
        "The assessment is for county staff, leaders, assessors, admins and township "
        "centres."))


def subject(principal: Principal, unit_code: str | None) -> tuple[Unit, list[Unit]]:
    """The unit asked about and the units it scores: a county's townships (the reader's
    county when no unit is named), or a township's villages. Scoped: a township centre gets
    its own township only among the county's; a unit outside the jurisdiction is a 404."""
    if unit_code is None:
        if principal.county_id is None:
            raise Unprocessable(_l("You belong to no county."))
        # The county's name and path only: which townships it has is read scoped below.
        parent = db.session.execute(select(Unit).options(UNIT_LOAD).where(
            Unit.id == principal.county_id).execution_options(**unscoped())).scalar_one()
    else:
        parent = db.session.execute(select(Unit).options(UNIT_LOAD).where(
            Unit.code == unit_code)).scalar_one_or_none()
        if parent is None:
            raise NotFound(_l("No unit with code %(code)s in your jurisdiction.",
                              code=unit_code))
        if parent.level not in (UnitLevel.county, UnitLevel.township):
            raise Unprocessable(_l("Scorecards are kept for the townships of a county and the "
                                   "villages of a township: choose a county or a township."))
    units = list(db.session.execute(select(Unit).options(UNIT_LOAD).where(
        Unit.parent_id == parent.id).order_by(Unit.code)).scalars())
    return parent, units


def place_of(unit: Unit) -> Place:
    return Place(unit.id, unit.code, unit.name, unit.level.value, unit.path, unit.households,
                 None)


def compute(parent: Unit, units: list[Unit], period: StatsPeriod, now: dt.datetime
            ) -> tuple[dict[int, Scorecard], int, Any]:
    """Every unit's scorecard (by unit id), the scheme version and the scheme."""
    scheme, version = active_scheme(parent.county_id, period.first.year)
    facts = unit_facts(parent, units, period, scheme, now)
    by_code = {unit.code: unit.id for unit in units}
    cards = {by_code[str(f.unit_id)]: score(
        f.values, f.events, f.lapses, scheme, period=f.period,
        previous_passed=f.previous_passed) for f in facts}
    return cards, version, scheme


def histories(unit_ids: list[int]) -> dict[int, list[ladder.Sanction]]:
    """Each unit's sanctions (scoped) for the pure ladder, on the Beijing calendar as the
    ladder's terms are."""
    rows = db.session.execute(select(Sanction).where(Sanction.unit_id.in_(unit_ids))
                              ).scalars() if unit_ids else []
    out: dict[int, list[ladder.Sanction]] = {unit_id: [] for unit_id in unit_ids}
    for row in rows:
        out[row.unit_id].append(ladder.Sanction(
            id=row.id, step=Step(row.step), state=SanctionState(row.state),
            confirmed_at=_local(row.confirmed_at), deadline=_local(row.deadline),
            rectified_at=_local(row.rectified_at),
            disqualified_until=_local(row.disqualified_until)))
    return out


def ladder_veto(history: list[ladder.Sanction], period: StatsPeriod, now: dt.datetime
                ) -> int | None:
    """A 一票否决 confirmed on the ladder by the period's last day and in force now: the
    period's scorecard is vetoed by it (the sanction's id), whatever its total."""
    local_now = now.astimezone(DISPLAY_TZ)
    return next((s.id for s in history if s.step is Step.veto and s.confirmed_at is not None
                 and s.confirmed_at.date() <= period.last and ladder.in_force(s, local_now)),
                None)


def _vetoed_by_ladder(card: Scorecard, sanction_id: int | None) -> Scorecard:
    if sanction_id is None:
        return card
    hit = VetoHit(LADDER_VETO, TriggerBasis.events, (), {"sanction_id": sanction_id})
    return replace(card, vetoes=(*card.vetoes, hit))


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else moment.astimezone(DISPLAY_TZ)


def standing_answer(standing: ladder.Standing) -> dict[str, Any]:
    until = standing.disqualified_until
    return {"step": standing.step.value if standing.step else None,
            "label": str(STEP_LABELS[standing.step] if standing.step else GOOD_STANDING),
            "sanction_id": standing.sanction_id, "in_force": list(standing.in_force),
            "disqualified_until": until.date().isoformat() if until else None}


def indicator_grade(item: IndicatorScore) -> str:
    """met (green): at or beyond the target; near (amber): at least half the way from the
    floor to the target; missed (red): less; none (grey): no figure."""
    if item.value is None or item.points is None:
        return "none"
    if item.met:
        return "met"
    return "near" if item.points >= item.weight * NEAR_SHARE else "missed"


def _indicator(item: IndicatorScore, place: Place, period: StatsPeriod,
               direction: Direction | None) -> dict[str, Any]:
    indicator = BY_KEY[item.key]
    return {
        "key": item.key, "label": str(stat_labels.name(item.key)), "value": item.value,
        "numerator": item.numerator, "denominator": item.denominator, "target": item.target,
        "floor": item.floor, "weight": item.weight, "points": item.points,
        "scaled": item.scaled, "met": item.met, "grade": indicator_grade(item),
        "higher_is_better": direction is not Direction.lower_is_better,
        "numerator_text": str(stat_labels.numerator_text(item.key)),
        "denominator_text": (str(stat_labels.denominator_text(item.key))
                             if indicator.denominator else None),
        "numerator_filter": list_filter(indicator.numerator, place, period),
        "denominator_filter": (list_filter(indicator.denominator, place, period)
                               if indicator.denominator else None),
    }


def _evidence(ids: tuple[Any, ...], events: dict[int, MajorEvent]) -> list[dict[str, Any]]:
    """Event ids (the register) and case ids (a missed urgent clock) as links."""
    out = []
    for item in ids:
        if isinstance(item, int) and item in events:
            event = events[item]
            out.append({"type": "event", "id": item, "title": event.title,
                        "occurred_on": event.occurred_at.astimezone(DISPLAY_TZ).date()
                        .isoformat(),
                        "url": url_for("assessment.Event", event_id=item),
                        "case_url": (url_for("cases_pages.case_page", case_id=event.case_id)
                                     if event.case_id else None)})
        else:
            out.append({"type": "case", "id": str(item), "title": None, "occurred_on": None,
                        "url": url_for("cases_pages.case_page", case_id=str(item)),
                        "case_url": url_for("cases_pages.case_page", case_id=str(item))})
    return out


def _events_named(cards: dict[int, Scorecard]) -> dict[int, MajorEvent]:
    ids = {i for card in cards.values() for line in card.deductions for i in line.evidence
           if isinstance(i, int)}
    ids |= {i for card in cards.values() for hit in card.vetoes for i in hit.evidence
            if isinstance(i, int)}
    if not ids:
        return {}
    return {e.id: e for e in db.session.execute(
        select(MajorEvent).where(MajorEvent.id.in_(ids))).scalars()}


def scorecards(principal: Principal, unit_code: str | None, named: NamedPeriod,
               now: dt.datetime | None = None) -> dict[str, Any]:
    """The answer of GET /api/v1/assessment/scorecards (and of the page and the table)."""
    require_reader(principal)
    now = now or utcnow()
    parent, units = subject(principal, unit_code)
    period = named.period
    # A rank is among all the parent's units, whoever reads it: a township centre sees its
    # own row with its place in the county. So every peer is scored as the platform, and
    # only the reader's rows (and the events behind them) leave this function.
    peers = list(db.session.execute(select(Unit).options(UNIT_LOAD).where(
        Unit.parent_id == parent.id).order_by(Unit.code).execution_options(**unscoped())
    ).scalars())
    with acting_as(SYSTEM):
        cards, version, scheme = compute(parent, peers, period, now)
        history = histories([unit.id for unit in peers])
    by_id = {unit.id: unit for unit in units}
    local_now = now.astimezone(DISPLAY_TZ)
    stand = {unit_id: ladder.standing(items, local_now) for unit_id, items in history.items()}
    cards = {unit_id: _vetoed_by_ladder(card, ladder_veto(history[unit_id], period, now))
             for unit_id, card in cards.items()}
    events = _events_named({unit_id: card for unit_id, card in cards.items()
                            if unit_id in by_id})
    rows = []
    for ranked in rank(cards):
        if ranked.unit_id not in by_id:
            continue  # another township's row: counted in the ranking, not shown
        unit, card = by_id[ranked.unit_id], ranked.scorecard
        place = place_of(unit)
        rows.append({
            "unit": {"code": unit.code, "name": unit.name, "level": unit.level.value},
            "unit_page": f"/assessment/units/{unit.code}",
            "rank": ranked.rank, "total": card.total, "indicator_points": card.indicator_points,
            "deducted": card.deducted, "scale": round(card.scale, 4), "passed": card.passed,
            "vetoed": bool(card.vetoes), "qualified": card.qualified,
            "grade": (g := grade(card.total, card.pass_score, bool(card.vetoes))).value,
            "grade_label": str(GRADE_LABELS[g]),
            "veto": _veto(card, events),
            "vetoes": [_hit(hit, events) for hit in card.vetoes],
            "indicators": [_indicator(i, place, period, _direction(scheme, i.key))
                           for i in card.indicators],
            "deductions": [{"code": line.code, "label": label(DEDUCTION_LABELS, line.code),
                            "basis": line.basis.value, "count": line.count, "each": line.each,
                            "points": line.points, "capped": line.capped,
                            "evidence": _evidence(line.evidence, events)}
                           for line in card.deductions],
            "standing": standing_answer(stand[unit.id]),
        })
    return {
        "place": {"code": parent.code, "name": parent.name, "level": parent.level.value},
        "level": UnitLevel.township.value if parent.level == UnitLevel.county
        else UnitLevel.village.value,
        "period": {"name": named.name, "kind": named.kind.value,
                   "first": period.first.isoformat(), "last": period.last.isoformat(),
                   "running": named.running},
        "scheme_version": version, "scheme_year": period.first.year,
        "pass_score": scheme.pass_score, "as_of": now.isoformat(),
        "ranked_among": len(peers), "rows": rows,
    }


def _direction(scheme: Any, key: str) -> Direction | None:
    rule = scheme.rule(key)
    return rule.direction if rule else None


def _hit(hit: Any, events: dict[int, MajorEvent]) -> dict[str, Any]:
    return {"code": hit.code, "label": label(VETO_LABELS, hit.code),
            "evidence": _evidence(hit.evidence, events),
            "sanction_id": hit.params.get("sanction_id") if hit.code == LADDER_VETO else None}


def _veto(card: Scorecard, events: dict[int, MajorEvent]) -> dict[str, Any] | None:
    return _hit(card.veto, events) if card.veto else None
