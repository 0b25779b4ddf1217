"""CSV export: a BOM and CRLF for Excel on Chinese Windows, Shanghai time, percentages, the
formula-injection guard on text (never on numbers), and rows read once as a stream."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from govgrid.exports.csv_writer import BOM, CHUNK_CHARS, csv_chunks, write_csv
from govgrid.exports.table import Column, Table

UTC = dt.UTC


def csv_bytes(columns, rows):
    stream = io.BytesIO()
    write_csv(Table("案件清单", columns, iter(rows)), stream)
    return stream.getvalue()


def read_back(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def one_value(kind, value):
    """The CSV text of a single cell of the given kind."""
    data = csv_bytes([Column("v", "值", kind)], [{"v": value}])
    return read_back(data)[1][0]


def test_bom_crlf_and_chinese_headers():
    columns = [Column("no", "案件编号"), Column("place", "发生地点"),
               Column("n", "当事人数", "int")]
    data = csv_bytes(columns, [{"no": "KZ-2026-0001", "place": "保康镇", "n": 2}])
    assert data.startswith(BOM)
    assert data.count(b"\r\n") == 2 and b"\n" not in data.replace(b"\r\n", b"")
    assert read_back(data) == [["案件编号", "发生地点", "当事人数"],
                               ["KZ-2026-0001", "保康镇", "2"]]


def test_datetimes_are_shown_in_shanghai_time():
    assert one_value("datetime", dt.datetime(2026, 1, 31, 16, 30, tzinfo=UTC)) == \
        "2026-02-01 00:30"
    # Seconds are dropped, as Excel's yyyy-mm-dd hh:mm shows them.
    assert one_value("datetime", dt.datetime(2026, 6, 1, 1, 2, 59, tzinfo=UTC)) == \
        "2026-06-01 09:02"


def test_dates_and_the_local_date_of_a_moment():
    assert one_value("date", dt.date(2026, 3, 1)) == "2026-03-01"
    assert one_value("date", dt.datetime(2026, 1, 31, 16, 30, tzinfo=UTC)) == "2026-02-01"


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="aware"):
        one_value("datetime", dt.datetime(2026, 1, 31, 16, 30))


@pytest.mark.parametrize("fraction,text", [
    (0.875, "87.5%"),
    (1, "100.0%"),
    (0, "0.0%"),
    (Decimal("0.3333"), "33.3%"),
    (0.8755, "87.6%"),  # half up, as Excel rounds 0.0%
    (2 / 3, "66.7%"),
    (-0.125, "-12.5%"),
    (-0.0001, "0.0%"),
])
def test_percentages(fraction, text):
    assert one_value("percent", fraction) == text


@pytest.mark.parametrize("kind,value,text", [
    ("decimal", Decimal("1.50"), "1.50"),
    ("decimal", 0.00001, "0.00001"),  # never 1e-05
    ("decimal", 3.25, "3.25"),
    ("int", 1234567, "1234567"),
    ("int", 3.0, "3"),
])
def test_numbers(kind, value, text):
    assert one_value(kind, value) == text


@pytest.mark.parametrize("kind", ["text", "int", "decimal", "percent", "datetime", "date"])
def test_none_is_an_empty_cell(kind):
    assert one_value(kind, None) == ""


@pytest.mark.parametrize("kind", ["int", "decimal", "percent"])
def test_nan_and_infinity_are_empty_cells(kind):
    assert one_value(kind, float("nan")) == ""
    assert one_value(kind, float("inf")) == ""


@pytest.mark.parametrize("raw", ["=1+1", "+86 138", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
                                 "=HYPERLINK(\"http://x\",\"点击\")"])
def test_formula_like_text_gets_an_apostrophe(raw):
    assert one_value("text", raw) == "'" + raw


def test_ordinary_text_and_numbers_are_not_touched():
    columns = [Column("t", "说明"), Column("n", "数量", "int"), Column("x", "差额", "decimal"),
               Column("p", "变化", "percent")]
    data = csv_bytes(columns, [{"t": "王某'借款", "n": -5, "x": -1.5, "p": -0.25}])
    assert read_back(data)[1] == ["王某'借款", "-5", "-1.5", "-25.0%"]


def test_text_with_separators_round_trips():
    raw = '张三, 李四\n说："不同意"'
    assert one_value("text", raw) == raw


def test_values_of_the_wrong_kind_are_refused():
    with pytest.raises(TypeError, match="'v' \\(int\\)"):
        one_value("int", "3")
    with pytest.raises(TypeError):
        one_value("percent", True)
    with pytest.raises(ValueError, match="not whole"):
        one_value("int", 2.5)
    with pytest.raises(TypeError):
        one_value("datetime", dt.date(2026, 1, 1))


def test_a_missing_key_is_an_error_not_a_blank_column():
    with pytest.raises(KeyError):
        csv_bytes([Column("place", "发生地点")], [{"plcae": "保康镇"}])


def test_columns_are_checked():
    with pytest.raises(ValueError, match="kind"):
        Column("n", "数量", "integer")
    with pytest.raises(ValueError, match="repeat"):
        Table("t", [Column("a", "甲"), Column("a", "乙")], [])
    with pytest.raises(ValueError, match="no columns"):
        Table("t", [], [])


def test_rows_are_read_once_and_streamed_in_chunks():
    consumed = []

    def rows():
        for i in range(20_000):
            consumed.append(i)
            yield {"no": f"案件{i}", "n": i}

    chunks = csv_chunks(Table("案件清单", [Column("no", "编号"), Column("n", "序号", "int")],
                              rows()))
    first = next(chunks)
    assert first == BOM + "编号,序号\r\n".encode() and consumed == []  # header before rows
    rest = list(chunks)
    assert consumed == list(range(20_000))
    assert len(rest) > 1 and all(len(c) <= CHUNK_CHARS * 4 for c in rest)
    table = read_back(first + b"".join(rest))
    assert len(table) == 20_001 and table[-1] == ["案件19999", "19999"]
