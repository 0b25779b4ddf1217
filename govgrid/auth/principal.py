"""Who is acting: the principal every scoped query and every audit entry refers to.

In a request it is the logged-in user (or ANONYMOUS, who sees nothing). Outside a request
(CLI commands, RQ jobs, migrations) it is SYSTEM unless code says otherwise with
`acting_as(...)`: those callers are operators and the platform itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from flask import g, has_request_context

from .roles import CELL_LIMITED_ROLES, CaseReach, Department, Role, case_reach


@dataclass(frozen=True)
class Principal:
    username: str
    user_id: int | None = None
    county_id: int | None = None
    unit_id: int | None = None
    unit_path: str | None = None
    unit_level: str | None = None
    role: Role | None = None
    department: Department | None = None
    cell_ids: frozenset[int] = field(default_factory=frozenset)
    is_system: bool = False

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None and not self.is_system

    @property
    def limited_to_cells(self) -> bool:
        """Grid workers read only their own cells, not their whole village."""
        return self.role in CELL_LIMITED_ROLES

    @property
    def case_reach(self) -> CaseReach | None:
        return case_reach(self.role) if self.role else None


SYSTEM = Principal(username="system", is_system=True)
ANONYMOUS = Principal(username="anonymous")

_acting: ContextVar[Principal | None] = ContextVar("govgrid_principal", default=None)


def current_principal() -> Principal:
    explicit = _acting.get()
    if explicit is not None:
        return explicit
    if has_request_context():
        return g.get("principal", ANONYMOUS)
    return SYSTEM


@contextmanager
def acting_as(principal: Principal) -> Iterator[Principal]:
    token = _acting.set(principal)
    try:
        yield principal
    finally:
        _acting.reset(token)
