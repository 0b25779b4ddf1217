"""Mediation records through the API: agreements (numbering, who may record them), judicial
confirmation (the 30-day window, optimistic locking), sessions, follow-ups, and the printable
调解协议书 (art. 29 contents, masked personal data, audited unmasking)."""

from __future__ import annotations

import datetime as dt
import re
import threading
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select, text

from govgrid.pii.idcard import check_char
from tests.support.cases import committed_clients, ok, report

CLEAR_ID = "150521199001011231"  # a man born 1990-01-01
FEMALE_ID = "15052119850315002" + check_char("15052119850315002")  # a woman born 1985-03-15
PARTIES = [
    {"name": "张三", "role": "applicant", "id_number": CLEAR_ID, "phone": "13812345678",
     "address": "保康镇保南村三组"},
    {"name": "李四", "role": "respondent", "id_number": FEMALE_ID, "phone": "13987654321"},
]
NUMBER = re.compile(r"^科左中调字〔(\d{4})〕第(\d{4})号$")
COURT = "科尔沁左翼中旗人民法院"


def china_today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.fixture
def users(api_client_for):
    names = ("baonan.grid", "baonan.staff", "baokang.dispatcher", "county.staff",
             "county.leader", "menda.dispatcher")
    return {name: api_client_for(name) for name in names}


def new_case(client, cell_point, **overrides):
    return report(client, cell_point, **{"title": "宅基地边界纠纷", "parties": PARTIES,
                                         **overrides})


def user_id(client):
    return client.get("/api/v1/session").json["id"]


def mediating_case(users, cell_point):
    """Reported by the grid worker, accepted, assigned to and mediated by the village."""
    staff = users["baonan.staff"]
    case = new_case(users["baonan.grid"], cell_point)
    case = ok(staff, case, "accept")
    case = ok(staff, case, "assign", mediator_id=user_id(staff))
    return ok(staff, case, "record_session", summary="双方到场，核对宅基地界址",
              place="保南村综治工作站", participants=["张三", "李四"], result="初步达成一致")


AGREEMENT = {"facts": "双方因宅基地东侧界址发生争执。\n张三认为李四院墙越界0.5米。",
             "terms": "李四于协议生效后拆除越界院墙。\n张三补偿李四拆墙费用。",
             "performance": "2026年12月31日前一次性现金支付，当场履行完毕。",
             "amount": "12000.00"}


def create(client, case, **fields):
    return client.post(f"/api/v1/cases/{case['id']}/agreements", json={**AGREEMENT, **fields})


@pytest.fixture
def agreement(users, cell_point):
    case = mediating_case(users, cell_point)
    response = create(users["baonan.staff"], case)
    assert response.status_code == 201, response.json
    return case, response.json


def patch(client, case, agreement, **fields):
    return client.patch(f"/api/v1/cases/{case['id']}/agreements/{agreement['id']}", json=fields)


# --- agreements -----------------------------------------------------------------------------

def test_agreement_is_numbered_per_county_and_year(users, cell_point, agreement):
    case, first = agreement
    today = china_today()
    year, sequence = NUMBER.match(first["number"]).groups()
    assert int(year) == today.year
    assert first["committee"] == "保南村人民调解委员会"
    assert first["signed_on"] == first["effective_on"] == today.isoformat()
    assert first["confirmation_deadline"] == (today + dt.timedelta(days=30)).isoformat()
    assert first["confirmation_status"] == "not_applied" and first["version"] == 1
    assert first["mediator_id"] == case["handler_id"]
    assert first["amount"] == "12000.00"
    # The next agreement of the county, on another case, takes the next number.
    other = mediating_case(users, cell_point)
    second = create(users["baonan.staff"], other).json
    assert NUMBER.match(second["number"]).groups() == (year, f"{int(sequence) + 1:04d}")
    # Numbering follows the year the agreement is signed.
    older = create(users["baonan.staff"], other, signed_on="2025-12-30").json
    assert NUMBER.match(older["number"]).group(1) == "2025"
    listed = users["county.staff"].get(f"/api/v1/cases/{other['id']}/agreements").json
    assert [a["number"] for a in listed] == [second["number"], older["number"]]
    one = users["baokang.dispatcher"].get(
        f"/api/v1/cases/{case['id']}/agreements/{first['id']}")
    assert one.status_code == 200 and one.json["number"] == first["number"]


def test_agreement_fields_are_checked(users, cell_point):
    case = mediating_case(users, cell_point)
    staff = users["baonan.staff"]
    early = create(staff, case, signed_on="2026-03-02", effective_on="2026-03-01")
    assert early.status_code == 422 and early.json["details"]["field"] == "effective_on"
    assert create(staff, case, facts="").status_code == 422
    assert create(staff, case, amount="-1").status_code == 422
    named = create(staff, case, committee="保康镇人民调解委员会", mediator_id=user_id(staff))
    assert named.status_code == 201 and named.json["committee"] == "保康镇人民调解委员会"
    assert create(staff, case, mediator_id=999999).status_code == 422


def test_only_a_case_under_mediation_or_resolved_gets_an_agreement(users, cell_point):
    reported = new_case(users["baonan.grid"], cell_point)
    assert create(users["baonan.staff"], reported).status_code == 409
    resolved = ok(users["baonan.staff"], mediating_case(users, cell_point), "resolve",
                  outcome="written_agreement")
    assert create(users["baonan.staff"], resolved).status_code == 201


def test_those_who_do_not_handle_the_case_cannot_record(users, agreement):
    case, made = agreement
    leader = users["county.leader"]
    assert leader.get(f"/api/v1/cases/{case['id']}/agreements").status_code == 200
    refused = create(leader, case)
    assert refused.status_code == 403 and refused.json["message"]
    assert patch(leader, case, made, version=1, status="applied", court=COURT,
                 applied_on=china_today().isoformat()).status_code == 403


def test_a_sibling_township_sees_nothing(users, agreement):
    case, made = agreement
    menda = users["menda.dispatcher"]
    base = f"/api/v1/cases/{case['id']}"
    for url in (f"{base}/agreements", f"{base}/agreements/{made['id']}", f"{base}/sessions",
                f"{base}/follow-ups", f"/cases/{case['id']}/agreements/{made['id']}/print"):
        assert menda.get(url).status_code == 404, url
    assert create(menda, case).status_code == 404
    assert patch(menda, case, made, version=1, status="applied", court=COURT,
                 applied_on=china_today().isoformat()).status_code == 404
    # Another case's agreement id under this case is not found either.
    assert users["baonan.staff"].get(
        f"/api/v1/cases/{case['id']}/agreements/{made['id'] + 100000}").status_code == 404


# --- judicial confirmation ------------------------------------------------------------------

def test_applied_within_thirty_days_then_confirmed(users, agreement, db_session):
    case, made = agreement
    staff = users["baonan.staff"]
    today = china_today().isoformat()
    applied = patch(staff, case, made, version=1, status="applied", court=COURT,
                    applied_on=today, note="双方共同申请")
    assert applied.status_code == 200, applied.json
    assert applied.json["confirmation_status"] == "applied" and applied.json["version"] == 2
    assert applied.json["confirmation_court"] == COURT
    confirmed = patch(staff, case, applied.json, version=2, status="confirmed", decided_on=today)
    assert confirmed.status_code == 200, confirmed.json
    body = confirmed.json
    assert body["confirmation_status"] == "confirmed" and body["version"] == 3
    assert body["confirmation_applied_on"] == body["confirmation_decided_on"] == today
    assert body["confirmation_note"] == "双方共同申请"
    # A decision is final.
    again = patch(staff, case, body, version=3, status="rejected", decided_on=today)
    assert again.status_code == 422
    assert db_session.execute(text(
        "SELECT count(*) FROM audit_log WHERE action = 'agreements.confirmation' "
        "AND object_id = :i"), {"i": str(made["id"])}).scalar() == 2


def test_confirmed_only_after_applied(users, agreement):
    case, made = agreement
    refused = patch(users["baonan.staff"], case, made, version=1, status="confirmed",
                    court=COURT, applied_on=china_today().isoformat(),
                    decided_on=china_today().isoformat())
    assert refused.status_code == 422
    assert refused.json["details"]["field"] == "status"


def test_application_after_thirty_days_is_refused_with_the_deadline(users, cell_point):
    case = mediating_case(users, cell_point)
    signed = china_today() - dt.timedelta(days=45)
    made = create(users["baonan.staff"], case, signed_on=signed.isoformat()).json
    deadline = signed + dt.timedelta(days=30)
    assert made["confirmation_deadline"] == deadline.isoformat()
    late = patch(users["baonan.staff"], case, made, version=1, status="applied", court=COURT,
                 applied_on=china_today().isoformat())
    assert late.status_code == 422
    assert cn(deadline) in late.json["message"], late.json  # the deadline, in Chinese
    assert late.json["details"] == {"field": "applied_on", "reason": "window_passed"}
    # Recorded late but applied in time: accepted.
    in_time = patch(users["baonan.staff"], case, made, version=1, status="applied",
                    court=COURT, applied_on=deadline.isoformat())
    assert in_time.status_code == 200, in_time.json


def test_decision_cannot_precede_the_application(users, agreement):
    case, made = agreement
    staff = users["baonan.staff"]
    today = china_today()
    applied = patch(staff, case, made, version=1, status="applied", court=COURT,
                    applied_on=today.isoformat()).json
    early = patch(staff, case, applied, version=2, status="rejected",
                  decided_on=(today - dt.timedelta(days=1)).isoformat())
    assert early.status_code == 422 and cn(today) in early.json["message"]


def test_stale_version_is_409(users, agreement):
    case, made = agreement
    staff = users["baonan.staff"]
    body = {"version": 1, "status": "applied", "court": COURT,
            "applied_on": china_today().isoformat()}
    assert patch(staff, case, made, **body).status_code == 200
    stale = patch(staff, case, made, **body)
    assert stale.status_code == 409 and stale.json["message"]


# --- sessions and follow-ups ----------------------------------------------------------------

def test_sessions_are_the_mediation_records(users, cell_point):
    case = mediating_case(users, cell_point)
    staff = users["baonan.staff"]
    earlier = "2020-11-23T09:30:00+08:00"
    ok(staff, case, "record_session", summary="此前的一次调解", held_at=earlier)
    sessions = users["county.staff"].get(f"/api/v1/cases/{case['id']}/sessions").json
    # In the order they were held, not the order they were typed in.
    assert [s["summary"] for s in sessions] == ["此前的一次调解", "双方到场，核对宅基地界址"]
    latest = sessions[1]
    assert latest["place"] == "保南村综治工作站" and latest["participants"] == ["张三", "李四"]
    assert latest["result"] == "初步达成一致" and latest["mediator_id"] == user_id(staff)
    assert sessions[0]["held_at"].startswith("2020-11-23T01:30:00")


@pytest.fixture
def second_village_staff(db_session, api_client_for):
    """Another member of 保南村's station: follow-ups must be made by someone other than
    the handler."""
    from govgrid.auth.models import User
    from govgrid.auth.roles import Role
    from govgrid.auth.scope import unscoped

    first = db_session.execute(select(User).where(User.username == "baonan.staff")
                               .execution_options(**unscoped())).scalar_one()
    db_session.execute(insert(User).values(
        county_id=first.county_id, unit_id=first.unit_id, username="baonan.staff2",
        display_name="保南村综治工作站 回访员", role=Role.village_staff, password_hash="x",
        is_active=True))
    return api_client_for("baonan.staff2")


def test_follow_ups_newest_first(users, cell_point, second_village_staff):
    staff = users["baonan.staff"]
    case = new_case(users["baonan.grid"], cell_point)
    case = ok(users["baonan.grid"], case, "resolve_on_spot", outcome="oral_agreement")
    case = ok(staff, case, "follow_up", satisfied=False, note="又因院墙吵起来了")
    case = ok(staff, case, "assign", mediator_id=user_id(staff))
    case = ok(staff, case, "resolve", outcome="written_agreement")
    case = ok(second_village_staff, case, "follow_up", satisfied=True, note="已履行完毕")
    visits = users["county.staff"].get(f"/api/v1/cases/{case['id']}/follow-ups").json
    assert [(v["satisfied"], v["note"], v["reopened"]) for v in visits] == [
        (True, "已履行完毕", False), (False, "又因院墙吵起来了", True)]


# --- the printed agreement ------------------------------------------------------------------

def print_url(case, made, query=""):
    return f"/cases/{case['id']}/agreements/{made['id']}/print{query}"


def test_print_page_has_the_contents_art_29_requires(users, agreement):
    case, made = agreement
    response = users["county.staff"].get(print_url(case, made))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    page = response.get_data(as_text=True)
    today = china_today()
    for required in (
        "人民调解协议书", made["number"],
        "申请人：</span>张三，男，****年**月**日出生，身份证号码：150521********1231",
        "联系电话：138****5678", "住址：保康镇保南村三组", "被申请人：</span>李四，女",
        "纠纷的主要事实、争议事项及各方当事人的责任", "张三认为李四院墙越界0.5米。",
        "协议内容", "李四于协议生效后拆除越界院墙。", "人民币12,000.00元",
        "履行方式、期限", "2026年12月31日前一次性现金支付",
        "本调解协议书自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。",
        "本调解协议书一式三份，当事人各执一份，人民调解委员会留存一份。",
        "签名、盖章或者按指印", "人民调解员（签名）", "保南村人民调解委员会（印章）",
        "三十日内", "共同向人民法院申请司法确认",
        "@page", "size: A4",
    ):
        assert required in page, required
    from govgrid.cases.confirmation import chinese_date

    assert chinese_date(today) in page
    assert f"截至{chinese_date(today + dt.timedelta(days=30))}" in page
    assert CLEAR_ID not in page and "13812345678" not in page and "1990年" not in page
    assert "<script" not in page
    assert 'href="?unmasked=1"' not in page  # county staff do not handle a village's case


def test_print_unmasked_for_a_handler_is_audited(users, agreement, db_session):
    case, made = agreement
    staff = users["baonan.staff"]
    assert 'href="?unmasked=1"' in staff.get(print_url(case, made)).get_data(as_text=True)
    page = staff.get(print_url(case, made, "?unmasked=1")).get_data(as_text=True)
    assert f"身份证号码：{CLEAR_ID}" in page and "1990年1月1日出生" in page
    assert f"身份证号码：{FEMALE_ID}" in page and "1985年3月15日出生" in page
    assert "联系电话：13812345678" in page
    entries = db_session.execute(text(
        "SELECT object_id, summary->>'reason' FROM audit_log "
        "WHERE action = 'case_parties.unmask' AND summary->>'case_id' = :c"),
        {"c": case["id"]}).all()
    assert len(entries) == 2
    assert all(made["number"] in reason for _, reason in entries)


def test_print_unmasked_is_refused_to_those_who_do_not_handle_the_case(users, agreement,
                                                                       db_session):
    case, made = agreement
    leader = users["county.leader"]
    assert leader.get(print_url(case, made, "?unmasked=1")).status_code == 403
    assert leader.get(print_url(case, made)).status_code == 200
    assert db_session.execute(text(
        "SELECT count(*) FROM audit_log WHERE action = 'case_parties.unmask' "
        "AND summary->>'case_id' = :c"), {"c": case["id"]}).scalar() == 0


def test_print_page_follows_jurisdiction(users, agreement, anon_client):
    case, made = agreement
    for name, status in (("baonan.staff", 200), ("baokang.dispatcher", 200),
                         ("county.staff", 200), ("menda.dispatcher", 404)):
        assert users[name].get(print_url(case, made)).status_code == status, name
    anonymous = anon_client.get(print_url(case, made))
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


# --- numbering under concurrency ------------------------------------------------------------

@pytest.fixture
def committed(app):
    """Clients whose requests commit for real: two agreements recorded at the same moment
    need two database connections."""
    with committed_clients(app, "agreements-test") as made:
        yield made


def test_agreements_recorded_at_once_get_distinct_numbers(committed, cell_point):
    login, made = committed
    users = {"baonan.grid": login("baonan.grid"), "baonan.staff": login("baonan.staff")}
    cases = [mediating_case(users, cell_point) for _ in range(3)]
    made.extend(c["id"] for c in cases)
    clients = [login("baonan.staff") for _ in cases]
    barrier = threading.Barrier(len(cases))
    numbers: list[str] = []

    def record(client, case):
        barrier.wait()
        response = create(client, case)
        numbers.append(response.json.get("number") or str(response.json))

    threads = [threading.Thread(target=record, args=pair)
               for pair in zip(clients, cases, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sequences = sorted(int(NUMBER.match(n).group(2)) for n in numbers)
    assert len(set(sequences)) == 3 and sequences[-1] - sequences[0] == 2, numbers


def test_parties_named_in_an_agreement_are_locked(users, agreement):
    case, _ = agreement
    staff = users["baonan.staff"]
    current = staff.get(f"/api/v1/cases/{case['id']}").json
    party = current["parties"][0]
    url = f"/api/v1/cases/{case['id']}/parties"
    refused = [
        staff.post(url, json={"version": current["version"], "name": "王五"}),
        staff.patch(f"{url}/{party['id']}", json={"version": current["version"],
                                                  "address": "保南村五组"}),
        staff.delete(f"{url}/{party['id']}", query_string={"version": current["version"]}),
    ]
    for response in refused:
        assert response.status_code == 409, response.json
        assert "调解协议书" in response.json["message"]
    after = staff.get(f"/api/v1/cases/{case['id']}").json
    assert after["version"] == current["version"] and after["parties"] == current["parties"]
    # The case's own description stays editable (a typo in the address, say).
    edited = staff.patch(f"/api/v1/cases/{case['id']}", json={
        "version": current["version"], "address": "保康镇保南村三组"})
    assert edited.status_code == 200, edited.json
