"""xlsx export, read back with openpyxl: sheet names, title, notes, header, frozen pane,
autofilter, real number formats, naive Shanghai datetimes, text never a formula, rows read
once, and nothing written or left behind when the rows fail."""

import datetime as dt
import io
import tempfile
from decimal import Decimal

import openpyxl
import pytest

from govgrid.exports.table import Column, Table
from govgrid.exports.xlsx_writer import display_width, sheet_names, write_xlsx

UTC = dt.UTC

COLUMNS = [
    Column("no", "案件编号"),
    Column("category", "纠纷类型"),
    Column("parties", "当事人数", "int"),
    Column("days", "办理天数", "decimal"),
    Column("rate", "化解率", "percent"),
    Column("reported_at", "上报时间", "datetime"),
    Column("due_on", "到期日", "date"),
]
ROWS = [
    {"no": "KZ-2026-0001", "category": "邻里纠纷", "parties": 2, "days": Decimal("3.5"),
     "rate": 0.875, "reported_at": dt.datetime(2026, 1, 31, 16, 30, tzinfo=UTC),
     "due_on": dt.date(2026, 2, 9)},
    {"no": "=1+1", "category": None, "parties": None, "days": -1.25, "rate": None,
     "reported_at": None, "due_on": None},
]
NOTES = ["化解率 = 已化解案件数 ÷ 已办结案件数", "统计时间：2026年1月"]


def workbook_of(tables, **options):
    stream = io.BytesIO()
    write_xlsx(tables, stream)
    stream.seek(0)
    return openpyxl.load_workbook(stream, **options)


@pytest.fixture(scope="module")
def sheet():
    workbook = workbook_of([Table("2026年1月 案件清单", COLUMNS, iter(ROWS), NOTES)])
    assert workbook.sheetnames == ["2026年1月 案件清单"]
    return workbook.active


def test_title_notes_and_header(sheet):
    assert sheet["A1"].value == "2026年1月 案件清单" and sheet["A1"].font.b
    assert sheet["A1"].font.sz == 14
    assert [sheet["A2"].value, sheet["A3"].value] == NOTES
    header = [c.value for c in sheet[4]]
    assert header == [c.header for c in COLUMNS]
    assert all(c.font.b and c.border.bottom.style == "thin" for c in sheet[4])


def test_frozen_under_the_header_and_filtered_on_it(sheet):
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:G6"


def test_numbers_dates_and_times_are_real_values_with_formats(sheet):
    row = sheet[5]
    assert [c.value for c in row] == [
        "KZ-2026-0001", "邻里纠纷", 2, 3.5, 0.875,
        dt.datetime(2026, 2, 1, 0, 30),  # 16:30 UTC is half past midnight in Shanghai
        dt.datetime(2026, 2, 9, 0, 0),  # openpyxl reads every date cell as a datetime
    ]
    assert row[5].value.tzinfo is None
    assert [c.number_format for c in row[2:]] == [
        "0", "0.00", "0.0%", "yyyy-mm-dd hh:mm", "yyyy-mm-dd"]
    assert [c.data_type for c in row[2:]] == ["n", "n", "n", "d", "d"]


def test_text_is_never_a_formula_and_none_is_empty(sheet):
    guarded = sheet["A6"]
    assert guarded.value == "=1+1" and guarded.data_type == "s"
    assert guarded.quotePrefix  # stays text even when edited in Excel
    assert not sheet["A5"].quotePrefix
    assert sheet["D6"].value == -1.25  # numbers untouched
    assert [sheet.cell(6, c).value for c in (2, 3, 5, 6, 7)] == [None] * 5


def test_column_widths_count_chinese_double(sheet):
    assert display_width("邻里纠纷") == 8 and display_width("KZ-2026") == 7
    assert display_width("第一行\n第二行较长") == 10
    widths = [sheet.column_dimensions[c].width for c in "ABCDEFG"]
    assert widths[0] >= len("KZ-2026-0001")
    assert widths[5] >= len("2026-02-01 00:30")
    # Every header fits beside its filter arrow: 当事人数 needs 8 + 3, not 4 + 3.
    assert all(w >= display_width(c.header) + 3 for w, c in zip(widths, COLUMNS, strict=True))
    assert widths[2] >= 11


def test_a_width_hint_wins():
    columns = [Column("t", "说明", width=40), Column("n", "数", "int")]
    sheet = workbook_of([Table("t", columns, [{"t": "短", "n": 1}])]).active
    assert 40 <= sheet.column_dimensions["A"].width < 41


def test_twenty_thousand_rows_are_read_once():
    consumed = []

    def rows():
        for i in range(20_000):
            consumed.append(i)
            yield {"no": f"KZ-{i:05d}", "category": "土地纠纷", "parties": i,
                   "days": i / 7, "rate": i / 20_000,
                   "reported_at": dt.datetime(2026, 1, 1, tzinfo=UTC) + dt.timedelta(minutes=i),
                   "due_on": dt.date(2026, 3, 1)}

    workbook = workbook_of([Table("全部案件", COLUMNS, rows())], read_only=True)
    assert consumed == list(range(20_000))
    sheet = workbook.active
    last = list(sheet.iter_rows(min_row=20_002, max_row=20_002, values_only=True))[0]
    assert last[:3] == ("KZ-19999", "土地纠纷", 19999)
    assert last[5] == dt.datetime(2026, 1, 15, 5, 19)  # 2026-01-14 21:19 UTC
    assert sheet.max_row == 20_002  # title, header and the rows
    workbook.close()


def test_two_tables_two_sheets_with_safe_distinct_names():
    long_title = "科尔沁左翼中旗矛盾纠纷多元化解工作情况统计表（按乡镇汇总）二〇二六年"  # 34
    tables = [
        Table(long_title + "一月", COLUMNS[:2], iter(ROWS[:1])),
        Table(long_title + "二月", COLUMNS[:2], iter(ROWS[:1])),
        Table("[保康镇]: 案件/事件?", COLUMNS[:2], iter(ROWS[:1])),
    ]
    workbook = workbook_of(tables)
    names = workbook.sheetnames
    assert len(names) == 3 and len({n.lower() for n in names}) == 3
    assert all(len(n) <= 31 for n in names)
    # "…一月" and "…二月" are the same once cut to 31 characters.
    assert names[0] == long_title[:31] and names[1] == long_title[:27] + " (2)"
    assert names[2] == "_保康镇__ 案件_事件_"
    # The title row keeps the whole title.
    assert workbook[names[1]]["A1"].value == long_title + "二月"


@pytest.mark.parametrize("titles,names", [
    (["案件", "案件", "案件"], ["案件", "案件 (2)", "案件 (3)"]),
    (["Summary", "SUMMARY"], ["Summary", "SUMMARY (2)"]),  # Excel ignores case
    (["'引号'", "  ", ""], ["引号", "Sheet", "Sheet (2)"]),
    (["History"], ["History (2)"]),  # reserved by Excel
    (["a\x00b\tc"], ["abc"]),
    (["𠮷" * 20], ["𠮷" * 15]),  # beyond the BMP: two UTF-16 units each
])
def test_sheet_names(titles, names):
    assert sheet_names(titles) == names


def test_a_table_without_rows_still_has_its_header():
    sheet = workbook_of([Table("空表", COLUMNS, iter([]), ["本月无案件"])]).active
    assert [c.value for c in sheet[3]] == [c.header for c in COLUMNS]
    assert sheet.auto_filter.ref == "A3:G3" and sheet.freeze_panes == "A4"


def test_a_failing_row_source_writes_nothing_and_leaves_no_files(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def rows():
        yield ROWS[0]
        raise RuntimeError("database went away")

    stream = io.BytesIO()
    with pytest.raises(RuntimeError):
        write_xlsx([Table("案件", COLUMNS, rows())], stream)
    assert stream.getvalue() == b""
    assert list(tmp_path.iterdir()) == []


def test_at_least_one_table():
    with pytest.raises(ValueError):
        write_xlsx([], io.BytesIO())
