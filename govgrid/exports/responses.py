"""Tables as a download: the one place that turns `Table`s into an HTTP response, for the
case list and the dashboard's indicator tables alike.

CSV is streamed: the header goes out before the first row is read and rows follow in chunks
as the database cursor yields them, inside the request context (the rows' query runs under
the requester's jurisdiction). xlsx cannot be streamed: XlsxWriter assembles the zip only
once every row is written, so the workbook is written to an anonymous temporary file (gone
when closed, and the response closes it) and sent from there, never held in memory.

The file name is in the reader's language (案件清单-20261202.xlsx) with an ASCII fallback
for the clients that ignore RFC 5987's filename*; the date is today's in Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Sequence
from urllib.parse import quote

from flask import Response, send_file, stream_with_context

from ..timestamps import utcnow
from .csv_writer import csv_chunks
from .table import DISPLAY_TZ, Table
from .xlsx_writer import write_xlsx

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}
FORMATS = tuple(MEDIA_TYPES)  # what a `format` query parameter may say

# RFC 5987 attr-char beyond letters and digits: what may appear unescaped in filename*=.
_ATTR_CHARS = "!#$&+-.^_`|~"


def table_response(tables: Sequence[Table], fmt: str, filename_stem: str, *,
                   ascii_stem: str = "export", now: dt.datetime | None = None) -> Response:
    """A download of `tables` as `fmt` ("csv": exactly one table; "xlsx": one sheet each),
    named `<filename_stem>-<yyyymmdd>.<fmt>` (`ascii_stem` in the ASCII fallback name).

    Call it after everything that may refuse the request (permissions, row caps): a CSV
    response has begun once returned, and a refusal can no longer change its status."""
    if fmt not in MEDIA_TYPES:
        raise ValueError(f"unknown export format {fmt!r}")
    day = (now or utcnow()).astimezone(DISPLAY_TZ).strftime("%Y%m%d")
    filename = f"{filename_stem}-{day}.{fmt}"
    fallback = f"{ascii_stem}-{day}.{fmt}"
    if fmt == "csv":
        if len(tables) != 1:
            raise ValueError("a CSV file holds exactly one table")
        response = Response(stream_with_context(csv_chunks(tables[0])), content_type=CSV_TYPE)
    else:
        response = _xlsx_response(tables)
    response.headers["Content-Disposition"] = attachment_disposition(filename, fallback)
    # Case data: neither shared caches nor the browser's disk cache keep a copy.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def attachment_disposition(filename: str, ascii_filename: str) -> str:
    """`attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>` (RFC 6266 with
    RFC 5987 encoding). Both names come from code, never from a client; the fallback is
    checked anyway, since a quote or a non-ASCII character would break the header."""
    if not ascii_filename.isascii() or any(c in ascii_filename for c in '"\\\r\n'):
        raise ValueError(f"not a plain ASCII file name: {ascii_filename!r}")
    encoded = quote(filename, safe=_ATTR_CHARS)
    return f"attachment; filename=\"{ascii_filename}\"; filename*=UTF-8''{encoded}"


def _xlsx_response(tables: Sequence[Table]) -> Response:
    # Not a `with` block: the response closes (and so deletes) the file once it is sent.
    workbook = tempfile.TemporaryFile(prefix="govgrid-export-", suffix=".xlsx")  # noqa: SIM115
    try:
        write_xlsx(tables, workbook)
        size = workbook.tell()
        workbook.seek(0)
        response = send_file(workbook, mimetype=XLSX_TYPE, conditional=False, etag=False,
                             max_age=None)
    except BaseException:
        workbook.close()
        raise
    response.content_length = size
    return response
