"""A table as CSV for Excel on Chinese Windows (pure).

UTF-8 with a byte order mark: without it Excel reads the file as GBK and every Chinese
character is garbled. CRLF line ends, comma separated, a header row and then the rows;
the title and notes have no place in CSV and are left out, so the file stays machine
readable. Values are written as they appear in the xlsx sheet (Shanghai time, "87.5%").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import BinaryIO

from .table import CellValue, Column, Table, cell, formula_like

BOM = b"\xef\xbb\xbf"

# Rows are gathered into chunks of about this many characters: one chunk per row would
# make a streamed response of a 100,000-row table 100,000 tiny writes.
CHUNK_CHARS = 64 * 1024

_PERCENT_STEP = Decimal("0.1")


def write_csv(table: Table, stream: BinaryIO) -> None:
    """Write `table` to the binary `stream`, reading its rows once."""
    for chunk in csv_chunks(table):
        stream.write(chunk)


def csv_chunks(table: Table) -> Iterator[bytes]:
    """The CSV bytes of `table` in chunks, for a streamed response. The first chunk (BOM
    and header) comes before any row is read."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_guarded(column.header) for column in table.columns])
    yield BOM + _drain(buffer)
    for row in table.rows:
        writer.writerow([_text(column, cell(column, row)) for column in table.columns])
        if buffer.tell() >= CHUNK_CHARS:
            yield _drain(buffer)
    rest = _drain(buffer)
    if rest:
        yield rest


def _text(column: Column, value: CellValue) -> str:
    """How a normalised cell value (table.cell) reads in CSV."""
    if value is None:
        return ""
    kind = column.kind
    if kind == "text":
        assert isinstance(value, str)
        return _guarded(value)
    if kind == "datetime":
        assert isinstance(value, dt.datetime)
        return value.strftime("%Y-%m-%d %H:%M")  # seconds dropped, as Excel shows hh:mm
    if kind == "date":
        assert isinstance(value, dt.date)
        return value.isoformat()
    assert isinstance(value, int | float | Decimal)
    if kind == "int":
        return str(value)
    if kind == "percent":
        return _percent(value)
    return format(_exact(value), "f")  # never "1e-05"


def _guarded(value: str) -> str:
    # The apostrophe makes Excel and LibreOffice read the cell as text, not run it (OWASP).
    return "'" + value if formula_like(value) else value


def _percent(fraction: int | float | Decimal) -> str:
    # Rounded half up, as Excel rounds "0.0%", so 0.8755 reads 87.6% in both files.
    shown = (_exact(fraction) * 100).quantize(_PERCENT_STEP, rounding=ROUND_HALF_UP)
    if shown == 0:
        shown = abs(shown)  # -0.0% for a tiny negative helps no one
    return f"{shown}%"


def _exact(value: int | float | Decimal) -> Decimal:
    # repr() is the shortest text that reads back as the same float: Decimal(0.1) would
    # carry the binary error (0.1000000000000000055…) into the file.
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _drain(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data
