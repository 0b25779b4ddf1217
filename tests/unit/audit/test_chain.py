import datetime as dt

import pytest

from govgrid.audit.chain import GENESIS, canonical, entry_hash, first_broken_link

T = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)


def build(contents):
    entries, previous = [], GENESIS
    for i, content in enumerate(contents, start=1):
        digest = entry_hash(previous, content)
        entries.append((i, previous, digest, content))
        previous = digest
    return entries


def test_canonical_is_order_independent_and_timezone_normalised():
    beijing = dt.timezone(dt.timedelta(hours=8))
    assert canonical({"b": 1, "a": T}) == canonical({"a": T.astimezone(beijing), "b": 1})
    with pytest.raises(ValueError):
        canonical({"at": dt.datetime(2026, 1, 1)})


def test_whole_chain_verifies():
    assert first_broken_link(build([{"n": i, "at": T} for i in range(5)])) is None


def test_edited_entry_is_found():
    entries = build([{"n": i} for i in range(5)])
    entry_id, previous, digest, _ = entries[2]
    entries[2] = (entry_id, previous, digest, {"n": 99})
    broken = first_broken_link(entries)
    assert (broken.entry_id, broken.reason) == (3, "hash")


def test_deleted_entry_is_found():
    entries = build([{"n": i} for i in range(5)])
    del entries[1]
    broken = first_broken_link(entries)
    assert (broken.entry_id, broken.reason) == (3, "previous")
