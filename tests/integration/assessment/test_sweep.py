"""The assessment's calendar on a controllable clock: the month just ended is assessed once
(a dismissed proposal is not raised again), a confirmed step left unrectified past its
deadline proposes the next step once, and disqualification periods expire on their own."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from govgrid.assessment import sanctions_store
from govgrid.assessment.models import Sanction
from govgrid.assessment.sweep import sweep_assessment
from govgrid.assessment.vocabulary import SanctionState, Step
from govgrid.auth.principal import SYSTEM, acting_as
from govgrid.cases.workflow import CaseState
from govgrid.timestamps import frozen_at
from tests.support.stats import CaseFactory, local

BAOKANG = "150521100000"


def _tick(moment: dt.datetime) -> dict:
    with frozen_at(moment):
        return sweep_assessment()


def _sanction(session, sanction_id: int) -> Sanction:
    session.expire_all()
    return session.get(Sanction, sanction_id)


def test_the_month_is_assessed_once_and_a_dismissal_stands(app, db_session):
    factory = CaseFactory(db_session)
    for day in range(1, 21):
        factory.make(CaseState.mediating, local(2031, 5, day))  # none resolved: fails
    db_session.commit()
    with app.app_context(), acting_as(SYSTEM):
        assert _tick(local(2031, 6, 1, 2))["proposed"] == []  # 02:00: not yet
        first = _tick(local(2031, 6, 1, 4))["proposed"]
        rows = [_sanction(db_session, i) for i in first]
        notice = next(r for r in rows if r.trigger == "failed_assessment")
        assert notice.step == Step.notice and notice.evidence["period"] == [
            "2031-05-01", "2031-05-31"]
        assert _tick(local(2031, 6, 1, 5))["proposed"] == []  # assessed already
        with frozen_at(local(2031, 6, 2)):
            sanctions_store.dismiss(SYSTEM, notice.id, notice.version, "已专项整改到位")
        assert _tick(local(2031, 6, 3, 4))["proposed"] == []  # the dismissal stands


def test_an_unrectified_step_proposes_the_next_once_and_yellow_cards_expire(app, db_session):
    with app.app_context(), acting_as(SYSTEM):
        with frozen_at(local(2031, 1, 5)):
            notice = sanctions_store.propose(SYSTEM, sanctions_store.Proposal(
                unit_code=BAOKANG, step=Step.notice, trigger="failed_assessment"))
            notice = sanctions_store.confirm(SYSTEM, notice.id, notice.version)
        deadline = notice.deadline
        assert deadline is not None
        # The day after the deadline, not rectified: 约谈 is proposed, naming the notice.
        later = deadline + dt.timedelta(days=2)
        made = _tick(later)["next_steps"]
        assert len(made) == 1
        interview = _sanction(db_session, made[0])
        assert interview.step == Step.interview and interview.trigger == "not_rectified"
        assert interview.evidence["sanction_ids"] == [notice.id]
        assert _tick(later + dt.timedelta(hours=1))["next_steps"] == []  # once
        # A yellow card (挂牌督办) confirmed in February runs out six months later.
        with frozen_at(local(2031, 2, 10)):
            card = sanctions_store.propose(SYSTEM, sanctions_store.Proposal(
                unit_code="150521104000", step=Step.supervision, trigger="manual",
                reason="测试"))
            card = sanctions_store.confirm(SYSTEM, card.id, card.version)
        assert card.disqualified_until is not None
        assert card.id not in _tick(card.disqualified_until - dt.timedelta(hours=1))["expired"]
        assert card.id in _tick(card.disqualified_until + dt.timedelta(hours=1))["expired"]
        assert _sanction(db_session, card.id).state == SanctionState.expired
        assert db_session.execute(select(Sanction.state).where(
            Sanction.id == notice.id)).scalar_one() == SanctionState.confirmed
