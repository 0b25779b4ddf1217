"""Content-addressed storage: sharded paths, atomic writes, deduplication, the size cap and
refusal of anything but a digest as a blob name."""

import hashlib
import io

import pytest

from govgrid.files import store


def test_bytes_are_stored_under_their_digest(tmp_path):
    data = b"\xff\xd8\xff" + bytes(range(256)) * 1000
    blob = store.put(tmp_path, store.chunks(io.BytesIO(data[10:]), data[:10]), 10**6)
    digest = hashlib.sha256(data).hexdigest()
    assert (blob.sha256, blob.size, blob.is_new) == (digest, len(data), True)
    path = tmp_path / digest[:2] / digest[2:4] / digest
    assert path.read_bytes() == data
    with store.open_blob(tmp_path, digest) as f:
        assert f.read() == data
    assert [p.name for p in tmp_path.iterdir()] == [digest[:2]]  # no temporary file left


def test_the_same_bytes_are_stored_once(tmp_path):
    first = store.put(tmp_path, [b"same bytes"], 100)
    again = store.put(tmp_path, [b"same ", b"bytes"], 100)
    assert again.sha256 == first.sha256 and not again.is_new
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1


def test_past_the_limit_nothing_is_kept(tmp_path):
    consumed = []

    def endless():
        while True:
            consumed.append(1)
            yield b"x" * 1000

    with pytest.raises(store.TooLarge) as raised:
        store.put(tmp_path, endless(), 5000)
    assert raised.value.limit == 5000
    assert len(consumed) == 6  # stopped reading at once
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_exactly_the_limit_is_accepted(tmp_path):
    assert store.put(tmp_path, [b"y" * 5000], 5000).size == 5000


@pytest.mark.parametrize("name", [
    "../../etc/passwd", "..", "", "A" * 64, "g" * 64, "0" * 63, "0" * 65,
    "0" * 62 + "/x", "/" + "0" * 63, None,
])
def test_only_digests_name_blobs(tmp_path, name):
    with pytest.raises(ValueError):
        store.blob_path(tmp_path, name)
    with pytest.raises(ValueError):
        store.open_blob(tmp_path, name)
