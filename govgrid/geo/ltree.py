"""PostgreSQL `ltree` as a SQLAlchemy type: materialised paths for subtree queries.

A unit's path is its ancestors' codes joined by dots (county.township.village), so "everything
under this township" is one GiST-indexed `path <@ :township_path` test.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql.base import ischema_names
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.types import UserDefinedType


class LTree(UserDefinedType):
    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "LTREE"

    def bind_processor(self, dialect: Any) -> None:
        return None

    def result_processor(self, dialect: Any, coltype: Any) -> None:
        return None

    class comparator_factory(UserDefinedType.Comparator):
        def descendant_of(self, other: Any) -> ColumnElement[bool]:
            """self <@ other: self equals other or lies below it."""
            return self.op("<@", is_comparison=True)(other)

        def ancestor_of(self, other: Any) -> ColumnElement[bool]:
            """self @> other: self equals other or lies above it."""
            return self.op("@>", is_comparison=True)(other)


def child_path(parent_path: str | None, code: str) -> str:
    return f"{parent_path}.{code}" if parent_path else code


# Teach the PostgreSQL dialect to reflect ltree columns, so Alembic's autogenerate compares
# them instead of warning about an unknown type.
ischema_names["ltree"] = LTree
