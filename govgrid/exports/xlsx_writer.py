"""Tables as the sheets of one xlsx workbook, streamed through XlsxWriter (pure).

Each sheet: the title (bold, larger) in row 1, one row per note, the header row (bold,
bottom border, autofilter, frozen below it), then the rows as real numbers, dates and text.

Memory: XlsxWriter's constant_memory mode writes each row to a temporary file as soon as
the next row begins, so a 100,000-row sheet holds one row at a time; it needs rows written
in order, which is how they come. Its temporary files go to a directory of our own that is
removed whether or not the export finishes (XlsxWriter leaves them behind on an error).

Font: left at XlsxWriter's default (Calibri 11, the theme's minor font). Its theme names
宋体 as the minor font for simplified Chinese, so Excel and WPS show Chinese in 宋体 with no
font named in the cells; naming one in our formats would cut them off from the theme and
gain nothing on machines that have it. Column widths assume that default.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .table import CellValue, Column, Table, cell, formula_like

MAX_SHEET_NAME = 31  # Excel's limit, in UTF-16 units
MAX_ROWS = 1_048_576  # rows in an Excel worksheet
# Widths are measured on the first rows only: measuring 100,000 rows of text would cost
# more than writing them, and the first thousand show the column's usual width.
WIDTH_SAMPLE_ROWS = 1000
MIN_WIDTH = 6.0
MAX_WIDTH = 60.0  # long descriptions stay readable without a screen-wide column
FILTER_BUTTON = 3  # the autofilter arrow covers the right end of each header cell

_INVALID_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})
_FIXED_WIDTHS = {"datetime": len("2026-02-01 00:30"), "date": len("2026-02-01")}


@dataclass(frozen=True)
class _Formats:
    title: Format
    note: Format
    header: Format
    text_guarded: Format
    by_kind: dict[str, Format | None]

    @classmethod
    def of(cls, workbook: Workbook) -> _Formats:
        return cls(
            title=workbook.add_format({"bold": True, "font_size": 14}),
            note=workbook.add_format({"font_color": "#595959"}),
            header=workbook.add_format({"bold": True, "bottom": 1}),
            # quote_prefix keeps "=1+1" text even after someone edits the cell in Excel.
            text_guarded=workbook.add_format({"quote_prefix": True}),
            by_kind={
                "text": None,
                "int": workbook.add_format({"num_format": "0"}),
                "decimal": workbook.add_format({"num_format": "0.00"}),
                "percent": workbook.add_format({"num_format": "0.0%"}),
                "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
                "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            },
        )


def write_xlsx(tables: Sequence[Table], stream: BinaryIO) -> None:
    """Write `tables`, one sheet each in order, as an xlsx file to the binary `stream`.

    Sheet names come from the titles (see sheet_names). The stream is written only at the
    end, once every row has been read, and need not be seekable: an error while reading
    rows leaves it untouched."""
    if not tables:
        raise ValueError("a workbook needs at least one table")
    names = sheet_names([table.title for table in tables])
    with tempfile.TemporaryDirectory(prefix="govgrid-xlsx-") as tmpdir:
        workbook = Workbook(stream, {
            "constant_memory": True,
            "in_memory": False,  # True would switch constant_memory off
            "tmpdir": tmpdir,
        })
        formats = _Formats.of(workbook)
        for table, name in zip(tables, names, strict=True):
            _write_sheet(workbook.add_worksheet(name), table, formats)
        # Only now is the zip assembled and written; an error above leaves `stream` as it was
        # and the temporary files go with the directory.
        workbook.close()


def sheet_names(titles: Sequence[str]) -> list[str]:
    """Excel-safe, distinct sheet names for `titles`: at most 31 characters, none of
    []:*?/\\ (each becomes _), no apostrophe at either end, distinct ignoring case (later
    ones get " (2)", " (3)"…), never "History" (Excel reserves it)."""
    taken = {"history"}
    names = []
    for title in titles:
        base = _clean_sheet_name(title)
        name, n = base, 1
        while name.lower() in taken:
            n += 1
            suffix = f" ({n})"
            name = _cut(base, MAX_SHEET_NAME - len(suffix)).rstrip() + suffix
        taken.add(name.lower())
        names.append(name)
    return names


def display_width(text: str) -> int:
    """Width of the longest line of `text` in character units: a CJK (wide or fullwidth)
    character takes two, as on screen."""
    return max(
        (sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
         for line in text.splitlines()),
        default=0,
    )


def _write_sheet(sheet: Worksheet, table: Table, formats: _Formats) -> None:
    columns = table.columns
    last_col = len(columns) - 1

    sheet.set_row(0, 20)  # room for the larger title font; set before the row is written
    sheet.write_string(0, 0, table.title, formats.title)
    for i, note in enumerate(table.notes, start=1):
        sheet.write_string(i, 0, note, formats.note)

    header_row = 1 + len(table.notes)
    for col, column in enumerate(columns):
        sheet.write_string(header_row, col, column.header, formats.header)
    widths = [display_width(column.header) + FILTER_BUTTON for column in columns]

    row_index = header_row
    for row in table.rows:
        row_index += 1
        if row_index >= MAX_ROWS:
            # XlsxWriter would drop the rest silently (it returns -1 per cell).
            raise ValueError(f"table {table.title!r} has more rows than a sheet holds")
        measure = row_index - header_row <= WIDTH_SAMPLE_ROWS
        for col, column in enumerate(columns):
            value = cell(column, row)
            if value is None:
                continue  # an empty cell: nothing to write
            _write_cell(sheet, row_index, col, column, value, formats)
            if measure and column.width is None:
                widths[col] = max(widths[col], _shown_width(column, value))

    # In constant_memory mode column widths, panes and the filter are still free to set at
    # the end: they live outside the row data, which is all that has been flushed.
    for col, column in enumerate(columns):
        width = column.width or min(max(widths[col] + 1, MIN_WIDTH), MAX_WIDTH)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(header_row + 1, 0)
    sheet.autofilter(header_row, 0, row_index, last_col)


def _write_cell(sheet: Worksheet, row: int, col: int, column: Column, value: CellValue,
                formats: _Formats) -> None:
    kind = column.kind
    if kind == "text":
        # Always a string cell, never sheet.write(): a text starting with "=" stays text.
        assert isinstance(value, str)
        fmt = formats.text_guarded if formula_like(value) else None
        sheet.write_string(row, col, value, fmt)
    elif kind in ("datetime", "date"):
        # table.cell made it naive Shanghai time: Excel has no time zones.
        assert isinstance(value, dt.date)
        sheet.write_datetime(row, col, value, formats.by_kind[kind])
    else:
        assert isinstance(value, int | float | Decimal)
        sheet.write_number(row, col, float(value), formats.by_kind[kind])


def _shown_width(column: Column, value: CellValue) -> int:
    kind = column.kind
    if isinstance(value, str):
        return display_width(value)
    if kind in _FIXED_WIDTHS:
        return _FIXED_WIDTHS[kind]
    assert isinstance(value, int | float | Decimal)
    if kind == "int":
        return len(str(value))
    if kind == "percent":
        return len(f"{float(value) * 100:.1f}%")
    return len(f"{float(value):.2f}")


def _clean_sheet_name(title: str) -> str:
    name = "".join(c for c in title if unicodedata.category(c) != "Cc")
    name = name.translate(_INVALID_SHEET_CHARS)
    name = _trim(_cut(_trim(name), MAX_SHEET_NAME))
    return name or "Sheet"


def _trim(name: str) -> str:
    # Excel refuses an apostrophe at either end; spaces there are invisible in the tab.
    while name != (trimmed := name.strip().strip("'")):
        name = trimmed
    return name


def _cut(text: str, limit: int) -> str:
    # Excel counts UTF-16 units: a character beyond the BMP (some rare 汉字) counts twice.
    units = 0
    for i, c in enumerate(text):
        units += 2 if ord(c) > 0xFFFF else 1
        if units > limit:
            return text[:i]
    return text
