"""Bearer tokens: `gg_` + 32 random bytes; the database keeps only the SHA-256."""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "gg_"


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def display_prefix(token: str) -> str:
    return token[: len(PREFIX) + 6]


def bearer_from_header(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if that is what it holds."""
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip().startswith(PREFIX):
        return None
    return value.strip()
