"""Turning column values into what an audit summary may hold: plain JSON that survives the
JSONB round trip unchanged (so the hash computed on write still matches on verify), with no
secrets and no blobs."""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any

from geoalchemy2.elements import RasterElement, WKBElement, WKTElement
from geoalchemy2.types import Geography, Geometry, Raster
from sqlalchemy import LargeBinary
from sqlalchemy.orm import ColumnProperty

REDACTED = "[redacted]"
BINARY = "[binary]"
GEOMETRY = "[geometry]"


def jsonable(value: Any) -> Any:
    """A JSON-safe copy of `value` whose JSONB round trip gives back the same JSON text."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, enum.Enum):  # before str: StrEnum members are str too
        return jsonable(value.value)
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")  # JSONB refuses NUL characters
    if isinstance(value, float):
        # JSONB stores numbers as numeric: "1e+100" comes back as 1000…0 and -0.0 as 0.0,
        # which would change the hashed text. Keep only floats that print back identically.
        if math.isfinite(value) and "e" not in repr(value) and not (value == 0 and
                                                                    math.copysign(1, value) < 0):
            return value
        return str(value)
    if isinstance(value, dt.datetime):
        return (value.astimezone(dt.UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return BINARY
    if isinstance(value, WKBElement | WKTElement | RasterElement):
        return GEOMETRY
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((jsonable(v) for v in value), key=repr)  # a stable order for the hash
    if isinstance(value, Collection):
        return [jsonable(v) for v in value]
    return str(value)  # UUID, IP addresses, ltree paths…


def column_value(prop: ColumnProperty[Any], value: Any, redact: Collection[str]) -> Any:
    """One column's value for a summary: redacted names and blob or geometry columns are
    replaced by a marker whatever the value (geometry may arrive as WKT text)."""
    if prop.key in redact:
        return REDACTED
    if value is None:
        return None
    column_type = prop.columns[0].type
    if isinstance(column_type, Geometry | Geography | Raster):
        return GEOMETRY
    if isinstance(column_type, LargeBinary):
        return BINARY
    return jsonable(value)
