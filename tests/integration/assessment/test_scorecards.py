"""The scorecards read by people, on crafted cases, events and sanctions in March 2031 (with
"now" on 10 April 2031: nothing else in the test database happened then): totals and ranks
worked out by hand, every figure's link lists exactly the cases counted, a township centre
reads its own township only, bad periods are 400s, the standing map agrees with the ladder,
and the annual table is an xlsx with the county's headers.

保康镇's March (the cases are in 保南村):
  A, B closed with a written agreement, held by the village, in time; A visited, satisfied
  C closed with an oral agreement, held by the township, in time
  D mediating, within its time limit
  化解率 3/4 = 75 % (the floor: 0 of 25)      按期办结率 3/3 (20 of 20)
  小事不出村 2/3 (15 × (0.6667 − 0.4) / 0.3 = 13.33 of 15, amber)
  大事不出镇 3/3 (15)   回访满意率 1/1 (15)   反弹率 0/3 (10)
  indicators 73.33, a homicide − 5 → 68.33, passed (合格)
门达镇: no cases (full marks, 100), an especially serious accident − 5 → 95, vetoed: last.
宝龙山镇: 100, but a 一票否决 confirmed on 20 March and in force: vetoed, ranked 20th.
Every other township: nothing to judge, 100, rank 1; 保康镇 19th.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from govgrid.assessment.models import MajorEvent, Sanction
from govgrid.assessment.vocabulary import EventKind, EventSeverity
from govgrid.auth.scope import unscoped
from govgrid.cases.workflow import CaseState, Level, Outcome
from govgrid.geo.models import Unit
from govgrid.timestamps import frozen_at
from tests.support.stats import BAONAN, CaseFactory, local

BAOKANG, MENDA, COUNTY = "150521100000", "150521104000", "150521000000"
BAOLONGSHAN = "150521101000"  # 宝龙山镇
NOW = local(2031, 4, 10, 12)
URL = "/api/v1/assessment/scorecards"


def _unit(session, code):
    return session.execute(select(Unit).where(Unit.code == code)
                           .execution_options(**unscoped())).scalar_one()


def _event(session, code, kind, severity, day) -> int:
    unit = _unit(session, code)
    event = MajorEvent(county_id=unit.county_id, unit_id=unit.id, path=unit.path, kind=kind,
                       severity=severity, occurred_at=local(2031, 3, day), title="测试事件",
                       summary="", deaths=1, injuries=0, people_involved=0)
    session.add(event)
    session.flush()
    return event.id


def _sanction(session, code, step, state, confirmed, until=None) -> int:
    unit = _unit(session, code)
    row = Sanction(county_id=unit.county_id, unit_id=unit.id, path=unit.path, step=step,
                   state=state, trigger="manual", params={}, evidence={}, factors=[],
                   proposed_at=confirmed, confirmed_at=confirmed, disqualified_until=until,
                   deadline=confirmed + dt.timedelta(days=60))
    session.add(row)
    session.flush()
    return row.id


@pytest.fixture
def crafted(db_session):
    f = CaseFactory(db_session)
    s, written = CaseState, Outcome.written_agreement
    made = {
        "A": f.make(s.closed, local(2031, 3, 2), outcome=written, resolved_late=False),
        "B": f.make(s.closed, local(2031, 3, 3), outcome=written, resolved_late=False),
        "C": f.make(s.closed, local(2031, 3, 4), owner_level=Level.township,
                    outcome=Outcome.oral_agreement, resolved_late=False),
        "D": f.make(s.mediating, local(2031, 3, 5), due_at=local(2031, 4, 30)),
    }
    f.visit(made["A"], local(2031, 3, 20), satisfied=True)
    made["homicide"] = _event(db_session, BAONAN, EventKind.homicide,
                              EventSeverity.ordinary, 12)
    made["accident"] = _event(db_session, MENDA, EventKind.public_safety_accident,
                              EventSeverity.especially_serious, 14)
    made["supervision"] = _sanction(db_session, BAOKANG, "supervision", "confirmed",
                                    local(2031, 3, 15), local(2031, 9, 15, 0))
    _sanction(db_session, BAOKANG, "notice", "superseded", local(2031, 2, 1))
    made["veto"] = _sanction(db_session, BAOLONGSHAN, "veto", "confirmed", local(2031, 3, 20),
                             local(2032, 3, 20, 0))
    db_session.commit()
    return made


def _get(client, url, **query):
    with frozen_at(NOW):
        return client.get(url, query_string=query)


def _rows(answer):
    return {row["unit"]["code"]: row for row in answer["rows"]}


def test_townships_are_scored_and_ranked_as_worked_out_by_hand(client, crafted):
    response = _get(client, URL, period="2031-03")
    assert response.status_code == 200, response.json
    answer = response.json
    assert answer["scheme_version"] == 0 and answer["level"] == "township"
    assert answer["period"] == {"name": "2031-03", "kind": "month", "first": "2031-03-01",
                                "last": "2031-03-31", "running": False}
    rows = _rows(answer)
    assert len(rows) == answer["ranked_among"] == 21
    baokang, menda = rows[BAOKANG], rows[MENDA]
    assert baokang["total"] == 68.33 and baokang["deducted"] == 5.0
    assert baokang["passed"] and not baokang["vetoed"] and baokang["grade"] == "qualified"
    assert baokang["rank"] == 19
    values = {i["key"]: i for i in baokang["indicators"]}
    assert (values["resolution_rate"]["numerator"], values["resolution_rate"]["denominator"]
            ) == (3, 4)
    assert {k: v["grade"] for k, v in values.items()} == {
        "resolution_rate": "missed", "on_time_rate": "met", "village_share": "near",
        "township_share": "met", "satisfaction_rate": "met", "rebound_rate": "met"}
    assert values["village_share"]["points"] == 13.33
    [line] = baokang["deductions"]
    assert (line["code"], line["count"], line["points"]) == ("homicide", 1, 5.0)
    assert line["evidence"][0]["id"] == crafted["homicide"]
    assert line["evidence"][0]["url"] == f"/api/v1/assessment/events/{crafted['homicide']}"
    assert baokang["standing"]["step"] == "supervision"
    assert baokang["standing"]["sanction_id"] == crafted["supervision"]
    assert baokang["standing"]["disqualified_until"] == "2031-09-15"
    assert baokang["unit_page"] == f"/assessment/units/{BAOKANG}"
    assert menda["vetoed"] and menda["total"] == 95.0 and menda["rank"] == 21
    assert menda["veto"]["code"] == "especially_serious_event"
    assert menda["grade"] == "unqualified"
    assert answer["rows"][-1]["unit"]["code"] == MENDA
    ladder_vetoed = rows[BAOLONGSHAN]
    assert ladder_vetoed["vetoed"] and ladder_vetoed["rank"] == 20
    assert (ladder_vetoed["veto"]["code"], ladder_vetoed["veto"]["sanction_id"]) == (
        "ladder_veto", crafted["veto"])
    assert ladder_vetoed["grade"] == "unqualified" and ladder_vetoed["total"] == 100.0
    others = [r for code, r in rows.items() if code not in (BAOKANG, MENDA, BAOLONGSHAN)]
    assert all(r["total"] == 100.0 and r["rank"] == 1 for r in others)


def test_a_veto_confirmed_after_the_period_does_not_veto_it(client, crafted):
    rows = _rows(_get(client, URL, period="2031-02").json)
    assert not rows[BAOLONGSHAN]["vetoed"] and rows[BAOLONGSHAN]["rank"] == 1
    assert rows[BAOLONGSHAN]["standing"]["step"] == "veto"  # the standing is today's


def test_every_figure_links_to_exactly_its_cases(client, crafted):
    answer = _get(client, URL, period="2031-03").json
    for item in _rows(answer)[BAOKANG]["indicators"]:
        for side in ("numerator", "denominator"):
            listed = client.get("/api/v1/cases", query_string={
                **item[f"{side}_filter"], "page_size": 1})
            assert listed.status_code == 200, listed.json
            total = json.loads(listed.headers["X-Pagination"])["total"]
            assert total == item[side], (item["key"], side)


def test_the_villages_of_a_township(client, crafted):
    answer = _get(client, URL, period="2031-03", unit=BAOKANG).json
    assert answer["level"] == "village" and answer["place"]["code"] == BAOKANG
    baonan = _rows(answer)[BAONAN]
    assert baonan["total"] == 68.33 and baonan["deductions"][0]["code"] == "homicide"
    assert all(row["unit"]["code"].startswith("150521100") for row in answer["rows"])


def test_a_quarter_and_a_year_read_the_same_march(client, crafted):
    for period in ("2031-Q1", "2031"):
        answer = _get(client, URL, period=period).json
        assert _rows(answer)[BAOKANG]["total"] == 68.33, period


def test_a_township_centre_reads_its_own_township_only(api_client_for, client, crafted):
    centre = api_client_for("baokang.dispatcher")
    answer = _get(centre, URL, period="2031-03").json
    county = _get(client, URL, period="2031-03").json
    assert [r["unit"]["code"] for r in answer["rows"]] == [BAOKANG]
    assert answer["rows"][0]["total"] == 68.33  # the same facts as the county reads
    # Its place in the county, among every township (the others' rows stay hidden).
    assert answer["rows"][0]["rank"] == _rows(county)[BAOKANG]["rank"] == 19
    assert answer["ranked_among"] == county["ranked_among"] == len(county["rows"]) == 21
    assert _get(centre, URL, period="2031-03", unit=BAOKANG).status_code == 200
    for code in (MENDA, COUNTY):
        assert _get(centre, URL, period="2031-03", unit=code).status_code == 404
    assert _get(centre, "/api/v1/assessment/standing-map", unit=MENDA).status_code == 404
    assert _get(api_client_for("baokang.mediator"), URL).status_code == 403


@pytest.mark.parametrize("period", ["2031-13", "2031-Q5", "31-03", "abc", "1999", "2031-00",
                                    "2032-01", "2031-Q3"])
def test_bad_periods_are_400_with_a_message(client, period):
    response = _get(client, URL, period=period)
    assert response.status_code == 400
    assert response.json["errors"]["query"]["period"], response.json


def test_a_village_is_not_a_subject(client):
    assert _get(client, URL, unit=BAONAN).status_code == 422
    assert _get(client, URL, unit="15052110").status_code == 400


def test_the_standing_map_agrees_with_the_ladder(client, crafted):
    scored = _rows(_get(client, URL, period="2031-03").json)
    response = _get(client, "/api/v1/assessment/standing-map", zoom=10)
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    features = {f["id"]: f["properties"] for f in response.json["features"]}
    assert set(features) == set(scored)
    for code, props in features.items():
        assert props["step"] == scored[code]["standing"]["step"], code
        assert props["disqualified_until"] == scored[code]["standing"]["disqualified_until"]
    assert features[BAOKANG]["step"] == "supervision"
    assert features[BAOKANG]["unit_page"] == f"/assessment/units/{BAOKANG}"


def test_the_annual_table_as_xlsx(client, crafted):
    response = _get(client, "/api/v1/assessment/annual-table", year=2031, format="xlsx")
    assert response.status_code == 200, response.data[:200]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "科尔沁左翼中旗2031年度平安建设（综治工作）考核结果汇总表"
    assert rows[1][0].startswith("填报单位：") and rows[2][0].startswith("填报日期：2031年4月10日")
    header = rows[5]
    assert header[:4] == ["序号", "乡镇(街道)", "化解率", "化解率得分"]
    assert header[-8:] == ["扣分", "扣分明细", "一票否决", "总分", "排名", "等次", "督导状态",
                           "考核方案版本"]
    body = {r[1]: dict(zip(header, r, strict=True)) for r in rows[6:]}
    assert len(body) == 21 and [r[0] for r in rows[6:]] == list(range(1, 22))
    baokang = body["保康镇"]
    assert baokang["总分"] == 68.33 and baokang["排名"] == 19 and baokang["等次"] == "合格"
    assert baokang["化解率"] == 0.75 and baokang["化解率得分"] == 0
    assert baokang["扣分"] == 5 and baokang["扣分明细"] == "命案1起扣5分"
    assert baokang["督导状态"].startswith("挂牌督办") and baokang["考核方案版本"] == "默认方案"
    assert body["门达镇"]["一票否决"].startswith("是") and body["门达镇"]["等次"] == "不合格"
    assert body["宝龙山镇"]["一票否决"] == "是（已决定一票否决）"
    assert body["宝龙山镇"]["督导状态"] == "一票否决（取消评先评优资格至2032-03-20前）"
    csv = _get(client, "/api/v1/assessment/annual-table", year=2031, format="csv")
    assert csv.status_code == 200 and "乡镇(街道)" in csv.get_data(as_text=True)
    assert _get(client, "/api/v1/assessment/annual-table", year=2031,
                format="pdf").status_code == 400


def test_the_scorecard_page(client, api_client_for, crafted):
    response = _get(client, "/assessment", period="2031-03")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'data-code="{BAOKANG}" data-rank="19" data-total="68.33"' in page
    assert 'data-key="village_share" data-grade="near"' in page
    assert "standing-supervision" in page and "/console?metric=resolved" in page
    assert f'href="/assessment/units/{BAOKANG}"' in page
    assert "/api/v1/assessment/annual-table?format=xlsx&amp;year=2031" in page
    assert _get(client, "/assessment", period="2031-13").status_code == 400
    assert _get(client, "/assessment", unit=BAONAN).status_code == 400
    centre = api_client_for("baokang.dispatcher")
    assert _get(centre, "/assessment", unit=MENDA).status_code == 404
    assert _get(centre, "/assessment", period="2031-03").status_code == 200
    assert _get(api_client_for("baonan.staff"), "/assessment").status_code == 403
