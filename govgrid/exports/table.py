"""What an exported table is, and what its cell values mean (pure).

Each column has a kind that fixes both the Python values it accepts and how writers show
them, so a case list and an indicator table come out alike in CSV and in xlsx:

  text      anything; written as text, whatever its type (formula guard applies)
  int       int (or an integral float/Decimal)
  decimal   int, float or Decimal
  percent   a fraction (0.875 is 87.5%), as int, float or Decimal
  datetime  an aware datetime (stored UTC); shown in Asia/Shanghai
  date      a date; an aware datetime counts as its date in Asia/Shanghai

None, and a NaN or infinite number, is an empty cell: 0/0 is "no figure", and an empty cell
keeps a column's SUM working where Excel's #NUM! would not.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo

ColumnKind = Literal["text", "int", "decimal", "percent", "datetime", "date"]
KINDS: frozenset[str] = frozenset(get_args(ColumnKind))

# The same zone as govgrid.timestamps.DISPLAY_TZ; not imported from there because that
# module brings SQLAlchemy with it, and this package stays free of the database.
DISPLAY_TZ = ZoneInfo("Asia/Shanghai")

# Characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Number = int | float | Decimal
CellValue = str | Number | dt.datetime | dt.date | None


@dataclass(frozen=True)
class Column:
    """One column: `key` into each row, `header` already in the reader's language."""

    key: str
    header: str
    kind: ColumnKind = "text"
    width: float | None = None  # in xlsx character units; None: measured from the data

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.key!r}: unknown kind {self.kind!r}")
        if self.width is not None and self.width <= 0:
            raise ValueError(f"column {self.key!r}: width must be positive")


@dataclass
class Table:
    """A titled table. `rows` is read once, in order, by whichever writer gets it: pass a
    fresh generator to each writer (a list may be reused)."""

    title: str
    columns: list[Column]
    rows: Iterable[Mapping[str, Any]]
    notes: list[str] = field(default_factory=list)  # xlsx only, under the title

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError(f"table {self.title!r} has no columns")
        keys = [column.key for column in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"table {self.title!r}: column keys repeat")


def cell(column: Column, row: Mapping[str, Any]) -> CellValue:
    """The row's value for `column`, checked and normalised for its kind: str for text, a
    number for int/decimal/percent, a naive Asia/Shanghai datetime, a date, or None.

    A missing key raises KeyError rather than reading as empty, so a misspelt key fails the
    first test instead of exporting a blank column; say None for "no value"."""
    value = row[column.key]
    if value is None:
        return None
    kind = column.kind
    if kind == "text":
        return value if isinstance(value, str) else str(value)
    if kind in ("int", "decimal", "percent"):
        if not _is_number(value):
            raise TypeError(f"column {column.key!r} ({kind}): {type(value).__name__} value")
        if not _is_finite(value):
            return None
        if kind == "int" and not isinstance(value, int):
            if value != int(value):
                raise ValueError(f"column {column.key!r} (int): {value!r} is not whole")
            return int(value)
        return value
    if kind == "datetime":
        if not isinstance(value, dt.datetime):
            raise TypeError(f"column {column.key!r} (datetime): {type(value).__name__} value")
        return local_naive(value)
    # date
    if isinstance(value, dt.datetime):
        return local_naive(value).date()
    if not isinstance(value, dt.date):
        raise TypeError(f"column {column.key!r} (date): {type(value).__name__} value")
    return value


def local_naive(moment: dt.datetime) -> dt.datetime:
    """`moment` on the Asia/Shanghai clock, without tzinfo (spreadsheets have no zones)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        # A naive value may be UTC or local; guessing would shift it by eight hours.
        raise ValueError("exported datetimes must be aware (UTC from the database)")
    return moment.astimezone(DISPLAY_TZ).replace(tzinfo=None)


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would take this text for a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def _is_number(value: object) -> bool:
    # bool is an int, but True in a count column is a bug, not 1.
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _is_finite(value: Number) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    return isinstance(value, int) or math.isfinite(value)
