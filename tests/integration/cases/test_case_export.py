"""GET /api/v1/cases/export: the case list as CSV or xlsx with Chinese headers, the list's
filters, jurisdiction, the row cap, one statement for the rows, an audit entry per export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from govgrid.audit.models import AuditEntry
from govgrid.timestamps import frozen_at
from tests.support.cases import ok, report

EXPORT = "/api/v1/cases/export"
SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADERS = ["编号", "标题", "类别", "严重程度", "状态", "来源", "发生地", "承办单位", "层级",
           "上报时间", "受理时间", "办理期限", "期限状态", "化解时间", "化解结果", "是否重大紧急",
           "反弹次数", "上交次数", "涉及人数", "涉及金额（元）"]
EXPORTER = "县综治中心 王芳（科尔沁左翼中旗）"  # county.staff's name and unit
MENDA_TOWNSHIP = "150521104000"  # a sibling of 保康镇 (where 保南村 lies)


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf"), data[:10]  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def csv_export(client, **filters) -> list[dict[str, str]]:
    """The rows by column (named as HEADERS whatever the language: the headers' own test is
    test_csv_has_chinese_headers_…)."""
    rows = csv_rows(client.get(EXPORT, query_string={"format": "csv", **filters}))
    return [dict(zip(HEADERS, row, strict=True)) for row in rows[1:]]


def shanghai(iso: str) -> str:
    return dt.datetime.fromisoformat(iso).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def last_audit(db_session) -> AuditEntry | None:
    db_session.expire_all()
    return db_session.execute(select(AuditEntry).where(AuditEntry.action == "cases.export")
                              .order_by(AuditEntry.id.desc()).limit(1)).scalar_one_or_none()


def test_csv_has_chinese_headers_shanghai_times_and_guarded_formulas(client, cell_point):
    case = report(client, cell_point, title="=HYPERLINK(\"http://evil\")", people_involved=3,
                  amount_involved="1200.50", is_urgent=False)
    response = client.get(EXPORT, query_string={"format": "csv"})
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.get_data()
    assert b"\r\n" in raw  # CRLF, as Excel writes CSV
    rows = csv_rows(response)
    assert rows[0] == HEADERS
    row = dict(zip(rows[0], next(r for r in rows if r[0] == case["id"]), strict=True))
    assert row["标题"] == "'=HYPERLINK(\"http://evil\")"  # read as text, never run
    assert row["类别"] == "相邻通行纠纷"  # 0201 by its name
    assert row["状态"] == "已上报" and row["严重程度"] == "一般" and row["来源"] == "网格员"
    assert row["上报时间"] == shanghai(case["reported_at"])
    assert row["办理期限"] == shanghai(case["due_at"]) and row["期限状态"] == "正常"
    assert row["受理时间"] == "" and row["化解时间"] == "" and row["化解结果"] == ""
    assert row["发生地"] == "保康镇/保南村/保南村第1网格"
    # Reported by the county centre, which holds it.
    assert (row["承办单位"], row["层级"]) == ("科尔沁左翼中旗", "县（旗）")
    assert row["是否重大紧急"] == "否"
    assert (row["涉及人数"], row["涉及金额（元）"]) == ("3", "1200.50")
    assert (row["反弹次数"], row["上交次数"]) == ("0", "0")


def test_no_personal_data_of_parties_is_exported(client, cell_point):
    report(client, cell_point, title="界址纠纷", description="张建国与李玉梅争执",
           address="保南村三组12号", parties=[
               {"name": "张建国", "id_number": "150521199001011231", "phone": "13812345678"}])
    data = client.get(EXPORT, query_string={"format": "csv"}).get_data(as_text=True)
    assert "界址纠纷" in data
    for personal in ("张建国", "李玉梅", "150521199001011231", "150521********1231",
                     "13812345678", "138****5678", "三组12号"):
        assert personal not in data, personal


def test_the_notes_name_the_filters_in_words(client, cell_point):
    from openpyxl import load_workbook

    report(client, cell_point)
    response = client.get(EXPORT, query_string={
        "format": "xlsx", "category": "0201", "unit": "150521100000", "urgent": "false",
        "deadline_state": "normal", "reported_from": "2026-01-01T00:00:00Z", "mine": "false",
        "sort": "due_at"})
    sheet = load_workbook(io.BytesIO(response.get_data())).worksheets[0]
    # In the order of the list's query schema; mine=false and the order are no filters.
    assert sheet["A2"].value == (
        "筛选条件：是否重大紧急：否；期限状态：正常；类别：相邻通行纠纷（0201）；"
        "单位：保康镇（150521100000）；上报时间起：2026-01-01 08:00")
    assert sheet["A3"].value == "案件数：1"


def test_a_grid_cell_filter_is_named_and_an_unknown_code_kept(client, cell_point, demo_county):
    from openpyxl import load_workbook

    cell = next(c for c in demo_county.cells if c.village_code == "150521100201")
    case = report(client, cell_point)
    response = client.get(EXPORT, query_string={"format": "xlsx", "unit": cell.code})
    sheet = load_workbook(io.BytesIO(response.get_data())).worksheets[0]
    assert sheet["A2"].value == f"筛选条件：单位：{cell.name}（{cell.code}）"
    assert sheet["A6"].value == case["id"]  # title, 3 notes, header, then the case
    response = client.get(EXPORT, query_string={"format": "xlsx", "unit": "150599999999"})
    sheet = load_workbook(io.BytesIO(response.get_data())).worksheets[0]
    assert sheet["A2"].value == "筛选条件：单位：150599999999"
    assert sheet["A3"].value == "案件数：0" and sheet["A6"].value is None


def test_xlsx_has_title_notes_headers_and_typed_rows(client, cell_point):
    from openpyxl import load_workbook

    case = report(client, cell_point, title="院墙纠纷", people_involved=2)
    response = client.get(EXPORT, query_string={"format": "xlsx", "state": "reported"})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == ("application/vnd.openxmlformats-officedocument"
                                 ".spreadsheetml.sheet")
    assert response.content_length == len(response.get_data())
    sheet = load_workbook(io.BytesIO(response.get_data())).worksheets[0]
    assert sheet.title == "案件清单" and sheet["A1"].value == "案件清单"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header_at = next(i for i, row in enumerate(values) if row[0] == "编号")
    notes = [row[0] for row in values[1:header_at]]
    assert notes[0] == "筛选条件：状态：已上报"
    assert notes[1] == "案件数：1"
    assert notes[2].startswith("导出时间：") and notes[2].endswith(f"导出人：{EXPORTER}")
    assert values[header_at] == HEADERS
    rows = {r[0]: dict(zip(HEADERS, r, strict=True)) for r in values[header_at + 1:]}
    row = rows[case["id"]]
    assert row["标题"] == "院墙纠纷" and row["涉及人数"] == 2
    assert row["受理时间"] is None and row["涉及金额（元）"] is None
    # A real date cell on the Shanghai clock (xlsx keeps milliseconds).
    reported = dt.datetime.fromisoformat(case["reported_at"]).astimezone(SHANGHAI)
    assert abs(row["上报时间"] - reported.replace(tzinfo=None)) < dt.timedelta(milliseconds=1)


def test_the_notes_say_when_and_who_in_shanghai_time(client, cell_point):
    from openpyxl import load_workbook

    report(client, cell_point)
    moment = dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC)  # 2026-12-02 01:30 in Shanghai
    with frozen_at(moment):
        response = client.get(EXPORT, query_string={"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.get_data())).worksheets[0]
    notes = [sheet.cell(row=r, column=1).value for r in range(2, 5)]
    assert notes[0] == "筛选条件：无（您可查看的全部案件）"
    assert notes[2] == f"导出时间：2026-12-02 01:30（北京时间）；导出人：{EXPORTER}"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="cases-20261202.xlsx"' in disposition
    assert "filename*=UTF-8''" + quote("案件清单-20261202.xlsx") in disposition
    assert response.headers["Cache-Control"] == "private, no-store"


def test_csv_filename_and_english_headers(client, cell_point):
    report(client, cell_point)
    with frozen_at(dt.datetime(2026, 12, 2, 3, 0, tzinfo=dt.UTC)):
        response = client.get(EXPORT, query_string={"format": "csv", "lang": "en"})
    assert 'filename="cases-20261202.csv"' in response.headers["Content-Disposition"]
    assert quote("Case list-20261202.csv") in response.headers["Content-Disposition"]
    header = csv_rows(response)[0]
    assert header[:5] == ["ID", "Title", "Category", "Severity level", "State"]


def test_filters_are_those_of_the_case_list(api_client_for, cell_point):
    staff = api_client_for("baonan.staff")
    waiting = report(staff, cell_point, title="待受理", source="walk_in")
    accepted = ok(staff, report(staff, cell_point, title="已受理", source="walk_in"), "accept")
    urgent = report(staff, cell_point, title="紧急", source="walk_in", is_urgent=True,
                    severity="serious")

    ids = {r["编号"] for r in csv_export(staff, state="reported")}
    assert waiting["id"] in ids and accepted["id"] not in ids
    rows = {r["编号"]: r for r in csv_export(staff, state="accepted")}
    assert set(rows) >= {accepted["id"]} and waiting["id"] not in rows
    assert rows[accepted["id"]]["受理时间"] != ""
    ids = {r["编号"] for r in csv_export(staff, urgent="true")}
    assert urgent["id"] in ids and waiting["id"] not in ids
    assert [r["编号"] for r in csv_export(staff, q="待受理")] == [waiting["id"]]
    # The list's order: oldest first when asked.
    listed = [r["编号"] for r in csv_export(staff, sort="reported_at")]
    assert listed.index(waiting["id"]) < listed.index(urgent["id"])


def test_the_cases_behind_a_dashboard_number_export_with_its_words(api_client_for,
                                                                    cell_point):
    from openpyxl import load_workbook

    staff = api_client_for("baonan.staff")
    waiting = report(staff, cell_point, source="walk_in")
    accepted = ok(staff, report(staff, cell_point, source="walk_in"), "accept")
    response = staff.get(EXPORT, query_string={"format": "xlsx", "metric": "accepted",
                                               "lang": "en"})
    sheet = load_workbook(io.BytesIO(response.get_data())).worksheets[0]
    assert sheet["A2"].value == ("Filters: Cases behind the indicator count: Cases reported "
                                 "in the period and accepted")
    ids = {row[0].value for row in sheet.iter_rows(min_row=6)}
    assert accepted["id"] in ids and waiting["id"] not in ids


def test_a_township_exports_only_its_own_cases(api_client_for, client, cell_point):
    ours = report(client, cell_point, title="保康镇的案件")
    theirs = report(client, cell_point, title="门达镇的案件", lon=None, lat=None,
                    unit_code=MENDA_TOWNSHIP, source="walk_in")
    ids = {r["编号"] for r in csv_export(api_client_for("baokang.dispatcher"))}
    assert ours["id"] in ids and theirs["id"] not in ids
    everything = {r["编号"] for r in csv_export(client)}
    assert {ours["id"], theirs["id"]} <= everything
    # The other township's dispatcher reads the reverse.
    ids = {r["编号"] for r in csv_export(api_client_for("menda.dispatcher"))}
    assert theirs["id"] in ids and ours["id"] not in ids


def test_beyond_the_cap_the_export_is_refused_in_the_readers_language(
        app, client, cell_point, db_session, monkeypatch):
    for _ in range(3):
        report(client, cell_point)
    monkeypatch.setitem(app.config, "EXPORT_MAX_ROWS", 2)
    before = last_audit(db_session)
    response = client.get(EXPORT, query_string={"format": "xlsx"})
    assert response.status_code == 422
    assert "缩小" in response.json["message"] and "2" in response.json["message"]
    response = client.get(EXPORT, query_string={"format": "csv", "lang": "en"})
    assert response.status_code == 422 and "Narrow the filters" in response.json["message"]
    assert last_audit(db_session) == before  # a refused export is no export
    # Narrowed below the cap, it goes through.
    assert client.get(EXPORT, query_string={"format": "csv", "q": "没有这样的标题"}
                      ).status_code == 200


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_query_count_does_not_grow_with_the_rows(client, cell_point, count_queries, fmt):
    def export_counting() -> tuple[int, bytes]:
        with count_queries() as counter:
            response = client.get(EXPORT, query_string={"format": fmt})
            body = response.get_data()  # a CSV is streamed: its rows are read here
        assert response.status_code == 200
        return counter.count, body

    for _ in range(3):
        report(client, cell_point)
    few, small = export_counting()
    for _ in range(27):
        report(client, cell_point)
    many, large = export_counting()
    assert len(large) > len(small)
    assert few == many, "a query per row (N+1) crept into the export"


def test_each_export_is_audited(client, cell_point, db_session):
    report(client, cell_point, source="walk_in")
    report(client, cell_point, source="grid_worker")
    client.get(EXPORT, query_string={"format": "csv", "source": "walk_in",
                                     "reported_from": "2020-01-01T00:00:00+08:00"}).get_data()
    entry = last_audit(db_session)
    assert entry is not None and entry.actor_name == "county.staff"
    assert entry.summary["format"] == "csv" and entry.summary["rows"] >= 1
    assert entry.summary["filters"]["source"] == "walk_in"
    assert entry.summary["filters"]["reported_from"].startswith("2020-01-01T00:00:00")
    count = db_session.execute(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "cases.export")).scalar_one()
    client.get(EXPORT, query_string={"format": "xlsx"})
    db_session.expire_all()
    assert db_session.execute(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "cases.export")).scalar_one() == count + 1
    assert last_audit(db_session).summary["format"] == "xlsx"


@pytest.mark.parametrize("query", [{"format": "pdf"}, {}, {"format": "csv", "state": "nope"},
                                   {"format": ""}])
def test_bad_input_is_a_400_with_a_message(client, query):
    response = client.get(EXPORT, query_string=query)
    assert response.status_code == 400
    assert response.json["message"]
    if query.get("format") == "pdf":
        assert "xlsx" in str(response.json["errors"]["query"]["format"])
