"""Tables as downloads: CSV streamed (rows read only as the body is sent), xlsx from a
temporary file with its length, both as attachments named in Chinese with an ASCII fallback
and the date of Asia/Shanghai."""

import datetime as dt
import io
from urllib.parse import quote

import pytest
from flask import Flask

from govgrid.exports.responses import (
    CSV_TYPE,
    XLSX_TYPE,
    attachment_disposition,
    table_response,
)
from govgrid.exports.table import Column, Table

# 01:30 on 2 December in Shanghai, still 1 December in UTC.
LATE_EVENING_UTC = dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC)


@pytest.fixture
def request_context():
    app = Flask(__name__)
    with app.test_request_context():
        yield


def table(rows):
    return Table("案件清单", [Column("no", "编号"), Column("n", "涉及人数", "int")], rows)


def test_csv_is_streamed_and_reads_its_rows_only_when_sent(request_context):
    read = []

    def rows():
        for n in range(3):
            read.append(n)
            yield {"no": f"A{n}", "n": n}

    response = table_response([table(rows())], "csv", "案件清单", ascii_stem="cases",
                              now=LATE_EVENING_UTC)
    assert response.is_streamed and read == []
    assert response.headers["Content-Type"] == CSV_TYPE
    body = b"".join(response.response)
    assert read == [0, 1, 2]
    assert body.decode("utf-8-sig").splitlines() == ["编号,涉及人数", "A0,0", "A1,1", "A2,2"]
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"cases-20261202.csv\"; filename*=UTF-8''"
        + quote("案件清单-20261202.csv"))
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_xlsx_comes_from_a_temporary_file_with_its_length(request_context):
    from openpyxl import load_workbook

    response = table_response([table([{"no": "A1", "n": 2}]),
                               table([{"no": "B1", "n": 3}])], "xlsx", "指标",
                              ascii_stem="indicators", now=LATE_EVENING_UTC)
    assert response.mimetype == XLSX_TYPE
    body = b"".join(response.response)
    assert body.startswith(b"PK") and response.content_length == len(body)
    assert 'filename="indicators-20261202.xlsx"' in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(body))
    assert workbook.sheetnames == ["案件清单", "案件清单 (2)"]  # one sheet per table
    assert [c.value for c in workbook.worksheets[1][3]] == ["B1", 3]
    response.close()  # the temporary file goes with the response


def test_what_cannot_be_sent_is_refused_before_anything_is_sent(request_context):
    with pytest.raises(ValueError, match="unknown export format"):
        table_response([table([])], "pdf", "案件清单")
    with pytest.raises(ValueError, match="exactly one table"):
        table_response([table([]), table([])], "csv", "案件清单")
    with pytest.raises(ValueError, match="ASCII"):
        table_response([table([])], "csv", "案件清单", ascii_stem="案件")


def test_the_ascii_fallback_cannot_break_out_of_its_quotes():
    for bad in ('a"b.csv', "a\\b.csv", "a\r\nSet-Cookie: x.csv"):
        with pytest.raises(ValueError):
            attachment_disposition("案件清单.csv", bad)
    assert attachment_disposition("a b;c.csv", "a.csv") == (
        "attachment; filename=\"a.csv\"; filename*=UTF-8''a%20b%3Bc.csv")
