"""The county's deadline policy and calendar overrides through the API: defaults, who may
change them, optimistic locking, validation, and what a saved policy does to a new case's
due time (working days skip Chinese holidays and count 调休 make-up days)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from govgrid.timestamps import frozen_at
from tests.support.cases import ok, report, village_point

LOCAL = ZoneInfo("Asia/Shanghai")
POLICY = "/api/v1/deadline-policy"
CALENDAR = "/api/v1/calendar-days"


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LOCAL)


def parsed(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


@pytest.fixture
def staff(api_client_for):
    return api_client_for("county.staff")


@pytest.fixture
def point(demo_county):
    return village_point(demo_county)


def save(client, version: int, **policy):
    return client.put(POLICY, json={"version": version, "policy": policy})


def accepted_due_at(api_client_for, point, moment: dt.datetime) -> dt.datetime:
    """Report a 0201 case (7 days) in 保南村 and have the village accept it at `moment`."""
    with frozen_at(moment):
        case = report(api_client_for("baonan.grid"), point)
        case = ok(api_client_for("baonan.staff"), case, "accept")
    assert case["due_stage"] == "resolve"
    return parsed(case["due_at"])


def test_defaults_are_served_until_the_county_changes_them(staff):
    """An untouched county reads the DESIGN §5 defaults at version 0."""
    response = staff.get(POLICY)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["version"] == 0 and body["updated_at"] is None
    policy = body["policy"]
    assert policy["day_kind"] == "natural" and policy["accept_hours"] == 24
    assert {k: policy["resolve_days"][k] for k in ("general", "major", "serious")} == {
        "general": 7, "major": 15, "serious": 30}
    assert body["calendar_known_until"]


def test_county_staff_saves_and_a_stale_version_is_refused_in_chinese(staff):
    """Saving bumps the version; a second save from version 0 is a 409 with a Chinese
    message (the default locale and zh-CN alike)."""
    saved = save(staff, 0, day_kind="working")
    assert saved.status_code == 200, saved.json
    assert saved.json["version"] == 1 and saved.json["policy"]["day_kind"] == "working"
    assert staff.get(POLICY).json["version"] == 1

    stale = save(staff, 0, day_kind="natural")
    assert stale.status_code == 409
    assert "他人修改" in stale.json["message"]
    stale_zh = staff.put(POLICY, json={"version": 0, "policy": {}},
                         headers={"Accept-Language": "zh-CN"})
    assert stale_zh.status_code == 409 and "他人修改" in stale_zh.json["message"]
    assert staff.get(POLICY).json["policy"]["day_kind"] == "working"

    again = save(staff, 1, day_kind="natural", extension_max_days=10)
    assert again.status_code == 200 and again.json["version"] == 2


def test_village_staff_may_read_but_not_change_the_policy(api_client_for):
    """Changing the policy needs manage_deadline_policy (county staff, admins)."""
    village = api_client_for("baonan.staff")
    assert village.get(POLICY).status_code == 200
    refused = save(village, 0, day_kind="working")
    assert refused.status_code == 403 and refused.json["message"]
    put_days = village.put(CALENDAR, json={"days": [{"day": "2027-03-03",
                                                     "is_workday": False}]})
    assert put_days.status_code == 403
    assert village.delete(f"{CALENDAR}/2027-03-03").status_code == 403


@pytest.mark.parametrize("policy,field", [
    ({"due_soon_share": 1.5}, "due_soon_share"),
    ({"resolve_days": {"general": 0}}, "resolve_days"),
    ({"follow_up_days": 0}, "follow_up_days"),
    ({"resolve_days": {"huge": 5}}, "resolve_days"),
    ({"rules": [{"days": 5, "category": "abc"}]}, "rules"),
    ({"day_kind": "lunar"}, "day_kind"),
])
def test_invalid_policies_are_refused_with_field_errors(staff, policy, field):
    """Out-of-range shares and days, unknown severities and malformed category prefixes are
    client errors naming the field, never a 500, and change nothing."""
    response = staff.put(POLICY, json={"version": 0, "policy": policy})
    assert response.status_code in (400, 422), response.json
    assert field in str(response.json["errors"])
    assert staff.get(POLICY).json["version"] == 0


def test_working_day_policy_skips_national_day_and_counts_make_up_days(
        staff, api_client_for, point):
    """Accepted Friday 2025-09-26 10:00: 7 working days are Sep 28 (调休), 29, 30, Oct 9,
    10, 11 (调休) and 13, so due Monday 2025-10-13 10:00 local."""
    assert save(staff, 0, day_kind="working").status_code == 200
    due = accepted_due_at(api_client_for, point, local(2025, 9, 26, 10))
    assert due == local(2025, 10, 13, 10)


def test_natural_day_policy_counts_every_day(api_client_for, point):
    """Under the default natural-day policy the same acceptance is due 7×24 h later."""
    due = accepted_due_at(api_client_for, point, local(2025, 9, 26, 10))
    assert due == local(2025, 10, 3, 10)


def test_calendar_override_moves_a_working_day_deadline(staff, api_client_for, point):
    """A county's own day off (a made-up 2027 holiday) pushes a working-day deadline back
    one day; removing it restores the published calendar."""
    assert save(staff, 0, day_kind="working").status_code == 200
    monday = local(2027, 3, 1, 10)  # Mar 2-5 and 8-10: due Wednesday Mar 10
    assert accepted_due_at(api_client_for, point, monday) == local(2027, 3, 10, 10)

    put = staff.put(CALENDAR, json={"days": [
        {"day": "2027-03-03", "is_workday": False, "note": "县庆放假"}]})
    assert put.status_code == 200, put.json
    assert put.json == [{"day": "2027-03-03", "is_workday": False, "note": "县庆放假"}]
    assert accepted_due_at(api_client_for, point, monday) == local(2027, 3, 11, 10)

    listed = staff.get(f"{CALENDAR}?year=2027")
    assert listed.status_code == 200 and [d["day"] for d in listed.json] == ["2027-03-03"]
    assert staff.get(f"{CALENDAR}?year=2026").json == []

    assert staff.delete(f"{CALENDAR}/2027-03-03").status_code == 204
    assert staff.get(f"{CALENDAR}?year=2027").json == []
    assert accepted_due_at(api_client_for, point, monday) == local(2027, 3, 10, 10)


def test_calendar_make_up_day_counts_as_a_working_day(staff, api_client_for, point):
    """A 调休 Saturday entered by the county is a working day."""
    assert save(staff, 0, day_kind="working").status_code == 200
    put = staff.put(CALENDAR, json={"days": [
        {"day": "2027-03-03", "is_workday": False},
        {"day": "2027-03-06", "is_workday": True, "note": "调休上班"}]})
    assert put.status_code == 200, put.json
    assert accepted_due_at(api_client_for, point, local(2027, 3, 1, 10)) == \
        local(2027, 3, 10, 10)


@pytest.mark.parametrize("method,path", [
    ("delete", f"{CALENDAR}/2027-02-30"),
    ("delete", f"{CALENDAR}/not-a-date"),
    ("get", f"{CALENDAR}?year=abc"),
    ("get", CALENDAR),
])
def test_bad_calendar_requests_are_400(staff, method, path):
    """A bad date in the DELETE path, or a missing or bad year, is 400 with a message,
    never a 500."""
    response = getattr(staff, method)(path)
    assert response.status_code == 400, response.json
    assert response.json["message"]


def test_bad_calendar_days_are_refused(staff):
    """PUT calendar-days validates each entry."""
    response = staff.put(CALENDAR, json={"days": [{"day": "2027-13-01", "is_workday": False}]})
    assert response.status_code in (400, 422), response.json
    assert "days" in str(response.json["errors"])
    assert staff.put(CALENDAR, json={"days": []}).status_code in (400, 422)


def test_what_get_returns_can_be_put_back(staff):
    """The policy as served (every key, canonical form) is accepted as it is, and saving a
    changed rule set round-trips."""
    served = staff.get(POLICY).json
    policy = {**served["policy"], "escalate_after_days": {"village": 5, "township": 10},
              "rules": [{"days": 5, "level": "village", "category": "02",
                         "severity": "general"}]}
    saved = save(staff, served["version"], **policy)
    assert saved.status_code == 200, saved.json
    assert saved.json["policy"] == policy
    again = save(staff, saved.json["version"], **saved.json["policy"])
    assert again.status_code == 200 and again.json["policy"] == policy


def test_a_policy_rule_overrides_the_category_limit(staff, api_client_for, point):
    """A village-level rule for category group 02 (3 days) wins over 0201's own 7 days."""
    assert save(staff, 0, rules=[{"days": 3, "level": "village", "category": "02"},
                                 {"days": 20, "level": "township"}]).status_code == 200
    due = accepted_due_at(api_client_for, point, local(2025, 9, 26, 10))
    assert due == local(2025, 9, 29, 10)
