"""Content-addressed blob storage: FILES_DIR/ab/cd/<sha256>, outside the web root.

Bytes are streamed into a temporary file in FILES_DIR while being hashed and counted, then
renamed into place with `os.replace`: the rename is atomic on one file system, so a blob
path holds either nothing or the complete file, never a partial upload, and two uploads of
the same bytes racing each other both end with the same complete file. The same content is
stored once however many attachments refer to it.

Blob names come only from our own hashing and are checked again on every read (64 lowercase
hex digits), so no name, from a client or from a tampered row, can reach outside FILES_DIR.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK_SIZE = 64 * 1024
TEMP_PREFIX = ".upload-"  # abandoned ones (a killed worker) may be swept by age
_SHA256 = re.compile(r"[0-9a-f]{64}")


class TooLarge(Exception):
    """The stream went past the size limit; nothing was kept."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} bytes")
        self.limit = limit


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    is_new: bool  # False: these bytes were stored already (deduplicated)


def blob_path(root: Path, sha256: str) -> Path:
    """Where the blob with this digest lives; ValueError for anything but a SHA-256 hex."""
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise ValueError("not a SHA-256 hex digest")
    return root / sha256[:2] / sha256[2:4] / sha256


def open_blob(root: Path, sha256: str) -> BinaryIO:
    """The stored bytes, opened for reading (FileNotFoundError if they are missing)."""
    return blob_path(root, sha256).open("rb")


def chunks(stream: BinaryIO, head: bytes = b"") -> Iterator[bytes]:
    """`head` (bytes already read from the stream, e.g. to sniff them), then the rest."""
    if head:
        yield head
    while chunk := stream.read(CHUNK_SIZE):
        yield chunk


def put(root: Path, data: Iterable[bytes], max_bytes: int) -> StoredBlob:
    """Store the bytes; raises TooLarge (keeping nothing) past `max_bytes`."""
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=root, prefix=TEMP_PREFIX)  # mode 0600
    try:
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(fd, "wb") as out:
            for chunk in data:
                size += len(chunk)
                if size > max_bytes:  # stop reading at once: the rest may be gigabytes
                    raise TooLarge(max_bytes)
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            # On disk before the database row that points at it can commit.
            os.fsync(out.fileno())
        sha256 = digest.hexdigest()
        target = blob_path(root, sha256)
        if target.exists():
            os.unlink(temp_name)
            return StoredBlob(sha256, size, is_new=False)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.replace(temp_name, target)
        _fsync_directory(target.parent)
        return StoredBlob(sha256, size, is_new=True)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise


def _fsync_directory(path: Path) -> None:
    """Make the rename itself durable (best effort: not every platform can)."""
    with suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
