"""The hash chain of audit entries (pure): each entry's hash covers its content and the hash
of the entry before it, so editing, deleting or reordering any entry breaks every later link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical(content: Mapping[str, Any]) -> str:
    """One exact text for the same content: sorted keys, no spaces, UTC ISO timestamps."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_encode)


def _encode(value: Any) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("audit timestamps must be timezone-aware")
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def entry_hash(previous_hash: str, content: Mapping[str, Any]) -> str:
    return hashlib.sha256((previous_hash + canonical(content)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BrokenLink:
    entry_id: int
    reason: str  # "hash" (content changed) or "previous" (an entry removed or reordered)


def first_broken_link(
    entries: Iterable[tuple[int, str, str, Mapping[str, Any]]], start_hash: str = GENESIS
) -> BrokenLink | None:
    """Walk (id, previous_hash, hash, content) in chain order; the first entry that does not
    follow from the one before it, or None when the chain is whole."""
    expected_previous = start_hash
    for entry_id, previous_hash, stored_hash, content in entries:
        if previous_hash != expected_previous:
            return BrokenLink(entry_id, "previous")
        if entry_hash(previous_hash, content) != stored_hash:
            return BrokenLink(entry_id, "hash")
        expected_previous = stored_hash
    return None
