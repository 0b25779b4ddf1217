"""Walking the whole audit chain in id order, a batch at a time (keyset pagination, so memory
stays flat on millions of entries and no server-side cursor outlives a batch)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .chain import GENESIS, BrokenLink, first_broken_link
from .models import AuditEntry

REASONS = {
    "hash": "its content no longer matches its hash (the entry was edited)",
    "previous": "it does not follow the entry before it (an entry was removed, inserted or "
                "reordered)",
}


@dataclass(frozen=True)
class ChainCheck:
    checked: int  # entries walked, up to and including the broken one
    broken: BrokenLink | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def check_chain(session: Session, batch_size: int = 5000) -> ChainCheck:
    """Verify the chain from GENESIS; how far it got and the first broken link, if any."""
    checked = 0

    def counted() -> Iterator[tuple[int, str, str, Mapping[str, Any]]]:
        nonlocal checked
        for item in _entries(session, batch_size):
            checked += 1
            yield item

    broken = first_broken_link(counted(), GENESIS)
    return ChainCheck(checked, broken)


def verify_chain(session: Session, batch_size: int = 5000) -> BrokenLink | None:
    """The first broken link of the chain, or None when it is whole."""
    return check_chain(session, batch_size).broken


def _entries(
    session: Session, batch_size: int
) -> Iterator[tuple[int, str, str, Mapping[str, Any]]]:
    # Core rows, not ORM objects: nothing lands in the caller's identity map.
    table = AuditEntry.__table__
    last_id: int | None = None
    while True:
        query = select(table).order_by(table.c.id).limit(batch_size)
        if last_id is not None:
            query = query.where(table.c.id > last_id)
        rows = session.execute(query).all()
        for row in rows:
            # content() only reads attributes, which a Row has under the same names: one
            # definition of what the hash covers, for writing and for checking.
            yield row.id, row.previous_hash, row.hash, AuditEntry.content(row)  # type: ignore[arg-type]
        if len(rows) < batch_size:
            return
        last_id = rows[-1].id
