"""Storing an uploaded file: its type read from the first bytes, its bytes streamed into the
content-addressed store under the size limit.

Case attachments and the evidence of rectification reports accept different types (and say
so in their own words), but read, refuse and store the same way; this is that way, written
once, so the two cannot drift apart (a short read of the head, a limit checked differently).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from . import store
from .sniff import HEAD_SIZE


class UnsupportedMediaType(DomainError):
    status = 415


class PayloadTooLarge(DomainError):
    status = 413


def human_size(size: int) -> str:
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} B"


def read_head(stream: BinaryIO) -> bytes:
    """The first HEAD_SIZE bytes (fewer only at end of file): a single read() may return
    less from a pipe or socket-backed stream."""
    head = b""
    while len(head) < HEAD_SIZE:
        chunk = stream.read(HEAD_SIZE - len(head))
        if not chunk:
            break
        head += chunk
    return head


def store_upload(stream: BinaryIO, sniff: Callable[[bytes], str | None],
                 refusal: object) -> tuple[store.StoredBlob, str]:
    """Store the stream's bytes in FILES_DIR if `sniff` knows their type from the head.

    Returns the stored blob and the sniffed media type. Raises UnsupportedMediaType (415)
    with `refusal`, the caller's own message naming what it accepts, before anything is
    written; PayloadTooLarge (413) when the bytes exceed MAX_ATTACHMENT_BYTES, nothing kept.
    """
    head = read_head(stream)
    media_type = sniff(head)
    if media_type is None:
        raise UnsupportedMediaType(refusal)
    limit = int(current_app.config["MAX_ATTACHMENT_BYTES"])
    try:
        blob = store.put(Path(current_app.config["FILES_DIR"]), store.chunks(stream, head), limit)
    except store.TooLarge as exc:
        raise PayloadTooLarge(_l("The file is larger than the limit of %(limit)s.",
                                 limit=human_size(limit)), limit=limit) from exc
    return blob, media_type
