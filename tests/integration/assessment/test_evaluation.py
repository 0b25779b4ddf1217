"""Assessing a county for a month on crafted cases and events: the townships' scorecards
come from the statistics' own counts, the rules propose steps with their evidence, and
assessing the same month again proposes nothing twice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from govgrid.assessment.evaluation import assess, propose_all
from govgrid.assessment.models import MajorEvent, Sanction
from govgrid.assessment.vocabulary import EventKind, EventSeverity, SanctionState, Step
from govgrid.auth.principal import SYSTEM, acting_as
from govgrid.cases.workflow import CaseState
from govgrid.geo.models import Unit
from govgrid.stats.period import Period
from govgrid.timestamps import frozen_at
from tests.support.stats import CaseFactory, local

BAOKANG = "150521100000"  # 保康镇, where the factory's cases are
MARCH = Period(dt.date(2031, 3, 1), dt.date(2031, 3, 31))
NOW = local(2031, 4, 2)


def _event(session, code: str, severity: EventSeverity, day: int) -> int:
    unit = session.execute(select(Unit).where(Unit.code == code)).scalar_one()
    event = MajorEvent(county_id=unit.county_id, unit_id=unit.id, path=unit.path,
                       kind=EventKind.public_safety_accident, severity=severity,
                       occurred_at=dt.datetime(2031, 3, day, 9), title="测试事故",
                       summary="", deaths=0, injuries=0, people_involved=0)
    session.add(event)
    session.flush()
    return event.id


def test_a_township_failing_its_indicators_is_proposed_a_notice(app, db_session):
    factory = CaseFactory(db_session)
    for day in range(1, 21):  # twenty disputes, none resolved
        factory.make(CaseState.mediating, local(2031, 3, day))
    db_session.commit()
    with app.app_context(), acting_as(SYSTEM), frozen_at(NOW):
        result = assess(factory.county_id, MARCH)
    card = result.cards[BAOKANG]
    assert result.scheme_version == 0  # no scheme kept yet: the built-in default
    assert not card.passed and card.total < 60
    others = [c for code, c in result.cards.items() if code != BAOKANG]
    assert others and all(c.passed for c in others)  # nothing to rate: full marks
    notices = [p for p in result.proposals if p.unit_id == BAOKANG]
    assert [(p.step, p.trigger) for p in notices] == [(Step.notice, "failed_assessment")]
    assert notices[0].evidence.figures  # the figures behind it travel with it


def test_an_especially_serious_event_proposes_the_veto_once(app, db_session):
    event_id = _event(db_session, BAOKANG, EventSeverity.especially_serious, 12)
    db_session.commit()
    with app.app_context(), frozen_at(NOW):
        first = propose_all(1, MARCH)
        again = propose_all(1, MARCH)
        rows = list(db_session.execute(select(Sanction).where(Sanction.id.in_(first)))
                    .scalars())
    assert again == []  # the same month assessed twice: folded, nothing new
    veto = [r for r in rows if r.step == Step.veto]
    assert len(veto) == 1 and veto[0].state == SanctionState.proposed
    assert event_id in veto[0].evidence["event_ids"]
    assert veto[0].evidence["scheme_version"] == 0
    assert veto[0].evidence["period"] == ["2031-03-01", "2031-03-31"]
    assert veto[0].proposed_by is None  # raised by the rules, waiting for county staff
