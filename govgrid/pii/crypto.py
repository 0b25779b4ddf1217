"""Encryption at rest for personal data columns (application level, AES-256-GCM).

Why in the application and not pgcrypto: with pgcrypto the key travels inside every SQL
statement, where it can land in server logs and pg_stat_statements; here the key never
reaches the database, so a dump or a backup holds only ciphertext. Exact-match search (find a
party by ID number) uses a keyed blind index (HMAC-SHA256) stored beside the ciphertext.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = b"\x01"  # the format of a token; a new key or cipher gets a new version byte
NONCE_BYTES = 12


class PiiCipher:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the PII key must be 32 bytes")
        # Separate subkeys for encryption and the blind index: neither reveals the other.
        self._aead = AESGCM(hmac.new(key, b"govgrid-pii-encrypt", hashlib.sha256).digest())
        self._index_key = hmac.new(key, b"govgrid-pii-index", hashlib.sha256).digest()

    @classmethod
    def from_base64(cls, encoded: str) -> PiiCipher:
        return cls(base64.urlsafe_b64decode(encoded.encode("ascii")))

    def encrypt(self, plaintext: str | None, context: str) -> bytes | None:
        """`context` (e.g. "party.id_number") is bound as associated data, so a ciphertext
        copied into another column does not decrypt."""
        if plaintext is None:
            return None
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
        return VERSION + nonce + sealed

    def decrypt(self, token: bytes | None, context: str) -> str | None:
        if token is None:
            return None
        token = bytes(token)
        if token[:1] != VERSION:
            raise ValueError("unknown PII ciphertext version")
        nonce, sealed = token[1 : 1 + NONCE_BYTES], token[1 + NONCE_BYTES :]
        return self._aead.decrypt(nonce, sealed, context.encode("utf-8")).decode("utf-8")

    def blind_index(self, value: str | None, context: str) -> str | None:
        if value is None:
            return None
        message = f"{context}\x00{value}".encode()
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")
