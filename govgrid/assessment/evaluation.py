"""Assessing a county for a period: the facts of every township (facts.py) through the
county's active scheme (schemes_store) and the trigger rules (triggers.py), each proposal
handed to the ladder's store (sanctions_store.propose, as the platform) with its evidence and
the scheme version used. A proposal the unit already has open (the same step proposed or in
force) is folded into it by the store, so assessing a period twice proposes nothing twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from ..auth.principal import SYSTEM, acting_as
from ..extensions import db
from ..geo.models import Unit
from ..stats.period import Period as StatsPeriod
from ..timestamps import utcnow
from . import sanctions_store
from .facts import county_facts
from .schemes_store import active_scheme
from .scoring import Scorecard, score
from .triggers import Proposal, UnitFacts, evaluate


@dataclass(frozen=True)
class Assessment:
    scheme_version: int  # 0: the built-in default
    cards: dict[str, Scorecard]  # township code -> its scorecard
    proposals: list[Proposal]


def assess(county_id: int, period: StatsPeriod, now: dt.datetime | None = None) -> Assessment:
    """Score every township of the county and list what the rules propose (nothing stored)."""
    county = db.session.get(Unit, county_id)
    if county is None:
        raise LookupError(f"no county {county_id}")
    scheme, version = active_scheme(county_id, period.first.year)
    facts = county_facts(county, period, scheme, now or utcnow())
    cards = {str(f.unit_id): _card(f, scheme) for f in facts}
    proposals = [p for f in facts
                 for p in evaluate(_with_card(f, cards[str(f.unit_id)]), scheme)]
    return Assessment(version, cards, proposals)


def _card(facts: UnitFacts, scheme: Any) -> Scorecard:
    return score(facts.values, facts.events, facts.lapses, scheme, period=facts.period,
                 previous_passed=facts.previous_passed)


def _with_card(facts: UnitFacts, card: Scorecard) -> UnitFacts:
    return replace(facts, scorecard=card)


def propose_all(county_id: int, period: StatsPeriod, now: dt.datetime | None = None
                ) -> list[int]:
    """Assess and hand every proposal to the ladder; the ids of the sanctions proposed now."""
    with acting_as(SYSTEM):
        result = assess(county_id, period, now)
        made = []
        for proposal in result.proposals:
            evidence = {**proposal.evidence.to_data(), "scheme_version": result.scheme_version,
                        "period": [period.first.isoformat(), period.last.isoformat()],
                        "base_step": proposal.base_step.value,
                        "aggravated": proposal.aggravated, "mitigated": proposal.mitigated}
            row = sanctions_store.propose(SYSTEM, sanctions_store.Proposal(
                unit_code=str(proposal.unit_id), step=proposal.step, trigger=proposal.trigger,
                params=dict(proposal.params), evidence=evidence, factors=proposal.factors))
            if row is not None:
                made.append(row.id)
        return made
