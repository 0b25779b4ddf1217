"""Crafted cases for the report tests: a cell in 保南村 (保康镇) rising over three months, an
urgent and an overdue case, a rebound in June, and a case a year earlier."""

from __future__ import annotations

import datetime as dt

import pytest

from govgrid.cases.models import CaseEvent
from govgrid.cases.workflow import CaseState, Outcome
from tests.support.stats import CaseFactory, local

NOW = local(2031, 7, 15)
JUNE = dt.date(2031, 6, 1)


@pytest.fixture
def crafted(app, db_session):
    factory = CaseFactory(db_session)
    for month, number in ((4, 3), (5, 6), (6, 12)):
        for day in range(1, number + 1):
            factory.make(CaseState.accepted, local(2031, month, min(day, 28)))
    for day in (3, 4):  # resolved in May and June: a resolution rate to compare
        factory.make(CaseState.closed, local(2031, 5, day), outcome=Outcome.written_agreement,
                     resolved_late=False)
    factory.make(CaseState.closed, local(2031, 6, 5), outcome=Outcome.written_agreement,
                 resolved_late=False)
    urgent = factory.make(CaseState.accepted, local(2031, 6, 20), is_urgent=True)
    db_session.add(CaseEvent(county_id=factory.county_id, case_id=urgent.id,
                             action="escalate", from_state="accepted", to_state="accepted",
                             at=local(2031, 6, 21)))
    overdue = factory.make(CaseState.mediating, local(2031, 6, 2),
                           due_at=local(2031, 6, 30))
    reopened = factory.make(CaseState.accepted, local(2031, 5, 10), rebound_count=1)
    db_session.add(CaseEvent(county_id=factory.county_id, case_id=reopened.id,
                             action="reopen", from_state="closed", to_state="accepted",
                             at=local(2031, 6, 12)))
    factory.make(CaseState.accepted, local(2030, 6, 10))  # the same month last year
    for case, title in ((urgent, "紧急测试事件"), (overdue, "超期测试案件"),
                        (reopened, "反弹测试案件")):
        case.title = title
    db_session.commit()
    factory.ids = {"urgent": str(urgent.id), "overdue": str(overdue.id),
                   "reopened": str(reopened.id)}
    return factory
