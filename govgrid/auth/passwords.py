"""Password hashing (Argon2id) and the password policy (pure apart from the hasher)."""

from __future__ import annotations

import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # argon2-cffi's defaults follow RFC 9106's recommendations
MIN_LENGTH = 8

# A valid hash of a random password: checked against when the username does not exist, so a
# failed login costs the same time either way and does not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def policy_problems(password: str, username: str = "") -> list[str]:
    """Keys of the rules the password breaks: 'length', 'letters_and_digits', 'username'."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append("length")
    if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
        problems.append("letters_and_digits")
    if username and username.lower() in password.lower():
        problems.append("username")
    return problems


def temporary_password() -> str:
    """A one-time password for resets: easy to read aloud, no look-alike characters."""
    alphabet = "".join(c for c in string.ascii_lowercase + string.digits if c not in "l1o0")
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(12))
        if not policy_problems(candidate):
            return candidate
