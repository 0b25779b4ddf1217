"""The deadline sweep with a controllable clock: 将到期 reminders, 催办 the day after the due
day, 督办 orders after N overdue days, automatic escalation after M where the county asks for
it; each once, however often the sweep runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from govgrid.auth.models import User
from govgrid.auth.principal import SYSTEM, acting_as
from govgrid.auth.scope import unscoped
from govgrid.cases.models import Case, CaseEvent
from govgrid.notifications.models import Notification
from govgrid.sla import policy_admin
from govgrid.sla.calendar import LOCAL_TZ
from govgrid.sla.models import SlaNotice, SupervisionOrder
from govgrid.sla.sweeps import sweep_deadlines
from govgrid.timestamps import frozen_at
from tests.support.cases import ok, report
from tests.support.sla import handle_sla_notices, make_unit_head

MONDAY_10 = dt.datetime(2025, 11, 3, 10, tzinfo=LOCAL_TZ)  # no holiday near


def hours(n: float) -> dt.datetime:
    return MONDAY_10 + dt.timedelta(hours=n)


@pytest.fixture
def sweep(app, db_session):
    """sweep(moment) -> counts; the sweep job run inline at that moment."""
    def run(moment: dt.datetime) -> dict[str, int]:
        with app.app_context(), frozen_at(moment):
            return sweep_deadlines(now=moment.isoformat())
    return run


@pytest.fixture
def reported(api_client_for, cell_point) -> dict[str, Any]:
    """A case reported by the grid worker on Monday 10:00: to be accepted within 24 h."""
    with frozen_at(MONDAY_10):
        return report(api_client_for("baonan.grid"), cell_point)


def notices(db_session, case_id: str) -> list[SlaNotice]:
    return list(db_session.execute(select(SlaNotice).where(
        SlaNotice.case_id == case_id).order_by(SlaNotice.id)).scalars())


def user_id(db_session, username: str) -> int:
    return db_session.execute(select(User.id).where(User.username == username)
                              .execution_options(**unscoped())).scalar_one()


def test_due_soon_reminder_goes_to_the_holding_centre_once(app, db_session, sweep, reported):
    assert sweep(hours(18))["due_soon"] == 0  # 18 h of 24: not yet in the last 20 %
    assert sweep(hours(20))["due_soon"] == 1
    assert sweep(hours(20.5))["due_soon"] == 0  # the same occasion: nothing twice
    [notice] = notices(db_session, reported["id"])
    assert notice.kind == "due_soon"
    assert notice.recipients == [user_id(db_session, "baonan.staff")]
    handle_sla_notices(app, db_session)
    handle_sla_notices(app, db_session)  # a redelivery adds nothing
    inbox = db_session.execute(select(Notification).where(
        Notification.case_id == reported["id"], Notification.kind == "due_soon")).scalars().all()
    assert [n.user_id for n in inbox] == [user_id(db_session, "baonan.staff")]
    assert "将到期" in inbox[0].title and "邻里宅基地边界纠纷" in inbox[0].title


def test_urging_waits_for_the_day_after_the_due_day(db_session, sweep, reported):
    """Due Tuesday 10:00: overdue Tuesday evening, but 催办 only from Wednesday 00:00 local."""
    assert sweep(hours(24 + 13))["urge"] == 0  # Tuesday 23:00
    assert sweep(hours(24 + 14.5))["urge"] == 1  # Wednesday 00:30
    assert sweep(hours(24 + 20))["urge"] == 0
    urge = [n for n in notices(db_session, reported["id"]) if n.kind == "urge"]
    assert urge[0].payload["overdue_days"] == 1


def test_urging_reaches_the_unit_head_too(db_session, sweep, reported):
    make_unit_head(db_session, "baonan.grid")  # any user of the unit may be its 负责人
    head = user_id(db_session, "baonan.grid")
    sweep(hours(24 + 15))
    [urge] = [n for n in notices(db_session, reported["id"]) if n.kind == "urge"]
    assert set(urge.recipients) == {user_id(db_session, "baonan.staff"), head}


def test_supervision_order_after_three_overdue_days_from_the_level_above(
        db_session, sweep, reported):
    assert sweep(hours(24 + 71))["supervision"] == 0
    assert sweep(hours(24 + 72))["supervision"] == 1
    assert sweep(hours(24 + 80))["supervision"] == 0
    [order] = db_session.execute(select(SupervisionOrder).where(
        SupervisionOrder.case_id == reported["id"])).scalars().all()
    case = db_session.get(Case, reported["id"])
    from govgrid.geo.models import Unit

    village = db_session.get(Unit, case.owner_unit_id)
    assert (order.target_unit_id, order.issuing_unit_id) == (village.id, village.parent_id)
    assert order.overdue_days == 3 and order.issued_by is None
    assert order.reply_due_at == hours(24 + 72 + 72)  # 3 natural days to reply


def test_automatic_escalation_only_where_the_county_asks_for_it(
        app, db_session, sweep, api_client_for, reported, principal_of):
    staff = api_client_for("baonan.staff")
    with frozen_at(hours(1)):
        case = ok(staff, reported, "accept")  # resolve within 7 days, at village level
    due = dt.datetime.fromisoformat(case["due_at"])
    assert sweep(due + dt.timedelta(days=6))["escalated"] == 0  # the default: never
    with app.app_context(), acting_as(principal_of("county.staff")):
        policy_admin.save(principal_of("county.staff"),
                          {"escalate_after_days": {"village": 5}}, 0)
    assert sweep(due + dt.timedelta(days=4, hours=23))["escalated"] == 0
    assert sweep(due + dt.timedelta(days=5))["escalated"] == 1
    assert sweep(due + dt.timedelta(days=5, minutes=1))["escalated"] == 0
    moved = db_session.get(Case, reported["id"])
    db_session.refresh(moved)
    assert (moved.owner_level.value, moved.state.value) == ("township", "accepted")
    assert moved.due_at > due + dt.timedelta(days=5)  # a new clock at the new level
    event = db_session.execute(select(CaseEvent).where(
        CaseEvent.case_id == reported["id"], CaseEvent.action == "auto_escalate")).scalar_one()
    assert event.actor_id is None and "自动提级" in event.note
    [notice] = [n for n in notices(db_session, reported["id"]) if n.kind == "escalated"]
    assert user_id(db_session, "baokang.dispatcher") in notice.recipients


def test_people_cannot_take_the_platforms_escalation(api_client_for, reported):
    response = api_client_for("admin").post(
        f"/api/v1/cases/{reported['id']}/transitions",
        json={"action": "auto_escalate", "version": reported["version"]})
    assert response.status_code in (403, 404, 422)
    response = api_client_for("baonan.staff").post(
        f"/api/v1/cases/{reported['id']}/transitions",
        json={"action": "auto_escalate", "version": reported["version"]})
    assert response.status_code == 403


def test_a_suspended_or_finished_case_is_left_alone(db_session, sweep, api_client_for,
                                                    reported):
    staff = api_client_for("baonan.staff")
    with frozen_at(hours(1)):
        ok(staff, reported, "reject", reason="不属于受理范围")
    assert sweep(hours(24 * 10)) == {"due_soon": 0, "urge": 0, "supervision": 0,
                                     "escalated": 0}


def test_every_notice_is_audited(db_session, sweep, reported):
    from govgrid.audit.models import AuditEntry

    sweep(hours(20))
    [notice] = notices(db_session, reported["id"])
    entry = db_session.execute(select(AuditEntry).where(
        AuditEntry.action == "sla.due_soon", AuditEntry.object_id == str(notice.id))
    ).scalar_one()
    assert entry.summary["case_id"] == reported["id"]


def test_with_system_acting_the_sweep_reads_every_county(app, db_session, sweep, reported):
    with acting_as(SYSTEM):
        assert sweep(hours(20))["due_soon"] == 1


def test_a_sweep_reads_each_units_people_once(app, db_session, api_client_for, cell_point,
                                              count_queries):
    """Three cases of one village due soon: its centre staff are read once, not per case."""
    grid = api_client_for("baonan.grid")
    with frozen_at(MONDAY_10):
        for _ in range(3):
            report(grid, cell_point)
    with count_queries() as counter, app.app_context(), frozen_at(hours(20)):
        assert sweep_deadlines(now=hours(20).isoformat())["due_soon"] == 3
    reads = [s for s in counter.statements if "FROM users" in s]
    assert len(reads) == 1, reads
