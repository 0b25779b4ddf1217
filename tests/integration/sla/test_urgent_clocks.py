"""Urgent reporting clocks (重大紧急事件 1 h / 3 h / 6 h) with a controllable clock: started at
reporting, met by the platform report or by recorded ones, alarmed and marked 迟报 by the
sweep once however often it runs, moved when the occurrence time is corrected.
(Lists, pages and fuzzing: test_urgent_pages.py.)"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select, text

from govgrid.audit.models import AuditEntry
from govgrid.auth.models import User
from govgrid.auth.scope import unscoped
from govgrid.extensions import db
from govgrid.notifications.models import Notification
from govgrid.outbox.handlers import handle
from govgrid.outbox.models import OutboxMessage
from govgrid.sla.models import SlaNotice
from govgrid.sla.urgent_models import UrgentClock
from govgrid.sla.urgent_sweep import sweep_urgent_clocks
from govgrid.timestamps import frozen_at
from tests.support.cases import delete_cases, ok, village_point
from tests.support.urgent import (
    COUNTY_CENTRE,
    T0,
    TITLE,
    at,
    clocks_at,
    record_at,
    report_at,
    when,
)


@pytest.fixture
def point(demo_county) -> tuple[float, float]:
    return village_point(demo_county)


@pytest.fixture
def sweep(app, db_session):
    def run(minutes: float) -> dict[str, int]:
        with app.app_context(), frozen_at(at(minutes)):
            return sweep_urgent_clocks(now=at(minutes))
    return run


def user_ids(db_session, *usernames: str) -> set[int]:
    return set(db_session.execute(select(User.id).where(User.username.in_(usernames))
                                  .execution_options(**unscoped())).scalars())


def notices(db_session, case_id: str) -> list[SlaNotice]:
    return list(db_session.execute(select(SlaNotice).where(SlaNotice.case_id == case_id)
                                   .order_by(SlaNotice.id)).scalars())


# --- clocks at reporting ----------------------------------------------------------------------

def test_major_incident_reported_in_40_minutes_meets_the_county_clock(api_client_for, point):
    grid, staff = api_client_for("baonan.grid"), api_client_for("county.staff")
    case = report_at(grid, point, 40, is_urgent=True)
    assert case["owner_level"] == "county"  # urgent: straight to the county centre
    clocks, reports = clocks_at(staff, case["id"], 41)
    assert set(clocks) == {"county", "upper"}
    county, upper = clocks["county"], clocks["upper"]
    # The platform report is the report to the county: on time at 40 minutes.
    assert county["status"] == "met" and county["late"] is False
    assert when(county["met_at"]) == at(40) and when(county["due_at"]) == at(60)
    assert upper["status"] == "running" and upper["met_at"] is None
    assert when(upper["due_at"]) == at(180) and upper["seconds_left"] == (180 - 41) * 60
    [platform] = reports
    assert (platform["clock"], platform["channel"], platform["reported_to"]) == (
        "county", "platform", COUNTY_CENTRE)
    assert when(platform["reported_at"]) == at(40)

    # County staff phone the city at 2 h 50 min: on time.
    response = record_at(staff, case["id"], 170, clock="upper", reported_to="通辽市委政法委",
                         channel="phone", content="电话报告市委政法委值班室")
    assert response.status_code == 201, response.json
    assert response.json["clock_after"]["status"] == "met"
    assert response.json["reported_by_name"] == "县综治中心 王芳"
    clocks, reports = clocks_at(staff, case["id"], 200)
    assert clocks["upper"]["status"] == "met" and when(clocks["upper"]["met_at"]) == at(170)
    assert [r["reported_to"] for r in reports] == [COUNTY_CENTRE, "通辽市委政法委"]


def test_reported_after_80_minutes_the_county_clock_is_late(api_client_for, point):
    staff = api_client_for("county.staff")
    case = report_at(api_client_for("baonan.grid"), point, 80, is_urgent=True)
    clocks, _ = clocks_at(staff, case["id"], 81)
    assert clocks["county"]["status"] == "late" and clocks["county"]["late"] is True  # 迟报
    assert when(clocks["county"]["met_at"]) == at(80)
    assert clocks["upper"]["status"] == "running"


def test_a_general_urgent_case_has_only_the_six_hour_clock(api_client_for, point):
    case = report_at(api_client_for("baonan.grid"), point, 10, is_urgent=True,
                     category_code="0201", severity="general", title="村民家中失火")
    clocks, reports = clocks_at(api_client_for("county.staff"), case["id"], 11)
    assert list(clocks) == ["general"]
    assert when(clocks["general"]["due_at"]) == at(360)
    assert clocks["general"]["status"] == "met" and [r["clock"] for r in reports] == ["general"]


def test_an_ordinary_case_has_no_clocks(api_client_for, point):
    case = report_at(api_client_for("baonan.grid"), point, 10, category_code="0201",
                     severity="general", title="邻里纠纷")
    clocks, reports = clocks_at(api_client_for("baonan.staff"), case["id"], 11)
    assert clocks == {} and reports == []


def test_grave_mass_incident_starts_clocks_unmarked_but_owes_its_report(api_client_for, point):
    """Not marked urgent: held by the village, so the platform report is no report to the
    county; both clocks run until someone reports."""
    case = report_at(api_client_for("baonan.grid"), point, 10)
    assert case["owner_level"] == "village"
    clocks, reports = clocks_at(api_client_for("county.staff"), case["id"], 20)
    assert {k: c["status"] for k, c in clocks.items()} == {"county": "running",
                                                            "upper": "running"}
    assert reports == []


# --- recording reports ------------------------------------------------------------------------

def test_township_reports_to_the_county_by_phone_entered_afterwards(db_session, api_client_for,
                                                                    point):
    case = report_at(api_client_for("baonan.grid"), point, 10)
    township = api_client_for("baokang.dispatcher")
    late_entry = record_at(township, case["id"], 70, clock="county", channel="phone",
                           reported_at=at(55).isoformat(), content="电话报告县综治中心")
    assert late_entry.status_code == 201, late_entry.json
    assert late_entry.json["reported_to"] == COUNTY_CENTRE  # the default receiver
    assert late_entry.json["clock_after"]["status"] == "met"  # made at 55 min: on time
    # An even earlier report found later counts instead (the earliest wins).
    earlier = record_at(township, case["id"], 75, clock="county", reported_at=at(45).isoformat())
    assert earlier.status_code == 201
    assert when(earlier.json["clock_after"]["met_at"]) == at(45)
    # A later one changes nothing.
    record_at(township, case["id"], 80, clock="county")
    clocks, reports = clocks_at(township, case["id"], 90)
    assert when(clocks["county"]["met_at"]) == at(45) and len(reports) == 3
    # Each report is in the audit trail, saying whether it became the one that counts.
    entries = db_session.execute(select(AuditEntry).where(
        AuditEntry.action == "sla.urgent_report",
        AuditEntry.summary["case_id"].astext == case["id"]).order_by(AuditEntry.id)
    ).scalars().all()
    assert [e.summary["meets_clock"] for e in entries] == [True, True, False]
    assert entries[0].actor_name == "baokang.dispatcher"


def test_who_may_record_which_report(api_client_for, point):
    case = report_at(api_client_for("baonan.grid"), point, 10)
    township = record_at(api_client_for("baokang.dispatcher"), case["id"], 20, clock="upper",
                         reported_to="通辽市委政法委")
    assert township.status_code == 403  # the city hears from the county
    village = record_at(api_client_for("baonan.staff"), case["id"], 20, clock="county")
    assert village.status_code == 403 and village.json["message"]
    sideways = record_at(api_client_for("menda.dispatcher"), case["id"], 20, clock="county")
    assert sideways.status_code == 404
    upper_without_receiver = record_at(api_client_for("county.leader"), case["id"], 20,
                                       clock="upper")
    assert upper_without_receiver.status_code == 422
    no_such_clock = record_at(api_client_for("county.staff"), case["id"], 20, clock="general")
    assert no_such_clock.status_code == 422


def test_report_times_in_the_future_or_before_the_incident_are_refused_in_chinese(
        api_client_for, point):
    staff = api_client_for("county.staff")
    case = report_at(api_client_for("baonan.grid"), point, 10)
    future = record_at(staff, case["id"], 30, clock="county", reported_at=at(90).isoformat())
    assert future.status_code == 422
    assert "未来" in future.json["message"], future.json
    before = record_at(staff, case["id"], 30, clock="county", reported_at=at(-5).isoformat())
    assert before.status_code == 422
    assert "事件发生" in before.json["message"], before.json
    clocks, reports = clocks_at(staff, case["id"], 31)
    assert clocks["county"]["met_at"] is None and reports == []


# --- the sweep --------------------------------------------------------------------------------

def test_sweep_alarms_once_then_marks_late_once(app, db_session, api_client_for, point, sweep):
    case = report_at(api_client_for("baonan.grid"), point, 10)
    assert sweep(44) == {"alarm": 0, "late": 0}
    assert sweep(46) == {"alarm": 1, "late": 0}  # 14 minutes left of 60: the last quarter
    assert sweep(46) == {"alarm": 0, "late": 0}  # run twice: nothing twice
    assert sweep(50) == {"alarm": 0, "late": 0}
    [alarm] = notices(db_session, case["id"])
    clock_id = db_session.execute(select(UrgentClock.id).where(
        UrgentClock.case_id == case["id"], UrgentClock.kind == "county")).scalar_one()
    assert (alarm.key, alarm.kind) == (f"urgent:{clock_id}:alarm", "urgent_alarm")
    assert alarm.payload["clock"] == "county" and when(alarm.payload["due_at"]) == at(60)
    assert set(alarm.recipients) == user_ids(db_session, "county.staff", "county.leader",
                                             "baonan.staff")

    assert sweep(60) == {"alarm": 0, "late": 0}  # due at this very moment: not yet late
    assert sweep(61) == {"alarm": 0, "late": 1}
    assert sweep(62) == {"alarm": 0, "late": 0}
    assert db_session.get(UrgentClock, clock_id).late is True
    assert [n.kind for n in notices(db_session, case["id"])] == ["urgent_alarm", "urgent_late"]

    # The upper clock alarms the county only: the township and village do not call the city.
    assert sweep(136) == {"alarm": 1, "late": 0}
    upper = notices(db_session, case["id"])[-1]
    assert upper.payload["clock"] == "upper"
    assert set(upper.recipients) == user_ids(db_session, "county.staff", "county.leader")

    with app.app_context():
        for message_id in db_session.execute(select(OutboxMessage.id).where(
                OutboxMessage.topic == "sla.notice")).scalars().all():
            handle(message_id)
    inbox = db_session.execute(select(Notification).where(
        Notification.case_id == case["id"],
        Notification.user_id.in_(user_ids(db_session, "county.staff")))
        .order_by(Notification.id)).scalars().all()
    assert [n.kind for n in inbox] == ["urgent_alarm", "urgent_late", "urgent_alarm"]
    assert all(TITLE in n.title for n in inbox)


def test_a_report_in_time_silences_the_alarm(api_client_for, point, sweep):
    case = report_at(api_client_for("baonan.grid"), point, 10)
    record_at(api_client_for("baokang.dispatcher"), case["id"], 30, clock="county")
    assert sweep(50) == {"alarm": 0, "late": 0}
    assert sweep(70) == {"alarm": 0, "late": 0}


def test_a_rejected_case_is_left_alone(api_client_for, point, sweep):
    case = report_at(api_client_for("baonan.grid"), point, 10)
    with frozen_at(at(20)):
        ok(api_client_for("baonan.staff"), case, "reject", reason="重复上报")
    assert sweep(300) == {"alarm": 0, "late": 0}


# --- the occurrence time corrected -----------------------------------------------------------

def test_correcting_the_occurrence_moves_the_clocks_not_yet_met(api_client_for, point):
    staff = api_client_for("county.staff")
    case = report_at(api_client_for("baonan.grid"), point, 40, is_urgent=True)
    with frozen_at(at(50)):
        edited = staff.patch(f"/api/v1/cases/{case['id']}", json={
            "version": case["version"], "occurred_at": at(-30).isoformat()})
    assert edited.status_code == 200, edited.json
    clocks, _ = clocks_at(staff, case["id"], 51)
    # The upper clock runs from the corrected occurrence; the county clock was met by the
    # platform report and stays as it was judged.
    assert when(clocks["upper"]["started_at"]) == at(-30)
    assert when(clocks["upper"]["due_at"]) == at(150)
    assert when(clocks["county"]["due_at"]) == at(60) and clocks["county"]["status"] == "met"


def test_moving_the_occurrence_earlier_can_make_a_clock_late(api_client_for, point):
    case = report_at(api_client_for("baonan.grid"), point, 10)
    village = api_client_for("baonan.staff")  # the village holds it
    with frozen_at(at(50)):
        edited = village.patch(f"/api/v1/cases/{case['id']}", json={
            "version": case["version"], "occurred_at": at(-20).isoformat()})
    assert edited.status_code == 200, edited.json
    clocks, _ = clocks_at(village, case["id"], 51)
    assert when(clocks["county"]["due_at"]) == at(40)
    assert clocks["county"]["status"] == "late" and clocks["county"]["late"] is True

# --- two sweeps at once, committed ------------------------------------------------------------

@pytest.fixture
def committed_case(app, demo_county) -> Iterator[str]:
    """A 重大 mass incident held by the village, committed for real (workers in threads do
    not see a test's rolled-back transaction); deleted afterwards with its clocks, notices
    and outbox rows (its audit entries stay: the audit log refuses deletes)."""
    from govgrid.auth.principal import SYSTEM, acting_as
    from govgrid.cases.reporting import ReportInput, report_case
    from govgrid.cases.vocabulary import Severity, Source

    lon, lat = village_point(demo_county)
    with app.app_context(), acting_as(SYSTEM), frozen_at(at(10)):
        case, _ = report_case(SYSTEM, ReportInput(
            category_code="2302", title=TITLE, source=Source.walk_in, lon=lon, lat=lat,
            severity=Severity.serious, occurred_at=T0))
        case_id = str(case.id)
    try:
        yield case_id
    finally:
        with app.app_context(), db.engine.begin() as conn:
            conn.execute(text("DELETE FROM outbox WHERE topic = 'sla.notice' AND payload->>"
                              "'notice_id' IN (SELECT id::text FROM sla_notices WHERE "
                              "case_id = :i)"), {"i": case_id})
            delete_cases(conn, [case_id])


def test_two_sweeps_at_once_send_one_alarm(app, committed_case):
    start = threading.Barrier(2)
    results: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with app.app_context():  # its own session and connection
                start.wait(timeout=10)
                results.append(sweep_urgent_clocks(now=at(50)))
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(r["alarm"] for r in results) == [0, 1]
    with app.app_context(), db.engine.connect() as conn:
        keys = conn.execute(text("SELECT key FROM sla_notices WHERE case_id = :i"),
                            {"i": committed_case}).scalars().all()
        messages = conn.execute(text(
            "SELECT count(*) FROM outbox WHERE topic = 'sla.notice' AND payload->>'case_id' "
            "= :i"), {"i": committed_case}).scalar()
    assert len(keys) == 1 and keys[0].endswith(":alarm") and messages == 1

