"""Logging in, API tokens and password changes. Each function owns its transaction."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ..audit.recorder import record
from ..errors import NotFound, Unprocessable
from ..extensions import db
from ..timestamps import utcnow
from ..unit_of_work import committing
from .models import ApiToken, User
from .passwords import hash_password, needs_rehash, policy_problems, verify_password
from .principal import Principal
from .scope import unscoped
from .tokens import display_prefix, new_token, token_hash

POLICY_MESSAGES = {
    "length": _l("The password must have at least 8 characters."),
    "letters_and_digits": _l("The password must contain both letters and digits."),
    "username": _l("The password must not contain the username."),
}


def check_policy(password: str, username: str) -> None:
    problems = policy_problems(password, username)
    if problems:
        raise Unprocessable(POLICY_MESSAGES[problems[0]], field="new_password")


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None. Failures are audited too."""
    name = username.strip().lower()
    # Unscoped: nobody is logged in yet, so there is no jurisdiction to apply.
    user = db.session.execute(
        select(User).where(User.username == name).execution_options(**unscoped())
    ).scalar_one_or_none()
    try:
        if user is None or not verify_password(user.password_hash, password) or not user.is_active:
            record("auth.login_failed", object_type="users",
                   object_id=user.id if user else None, summary={"username": name[:64]},
                   county_id=user.county_id if user else None)
            db.session.commit()
            return None
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.last_login_at = utcnow()
        record("auth.login", object_type="users", object_id=user.id, county_id=user.county_id)
        db.session.commit()
        return user
    except Exception:
        db.session.rollback()
        raise


def issue_token(user: User, name: str, days: int | None) -> tuple[str, ApiToken]:
    """A new bearer token; the plain token is returned once and never stored."""
    plain = new_token()
    expires = utcnow() + dt.timedelta(days=days) if days else None
    token = ApiToken(
        county_id=user.county_id, user_id=user.id, name=name[:100] or "api",
        token_hash=token_hash(plain), prefix=display_prefix(plain), expires_at=expires,
    )
    with committing():
        db.session.add(token)
        db.session.flush()
        record("auth.token_issued", object_type="api_tokens", object_id=token.id,
               summary={"name": token.name, "prefix": token.prefix})
    return plain, token


def own_tokens(principal: Principal) -> list[ApiToken]:
    """The principal's tokens that still work (scoped: a user sees only their own)."""
    return list(db.session.execute(
        select(ApiToken)
        .where(ApiToken.revoked_at.is_(None),
               (ApiToken.expires_at.is_(None)) | (ApiToken.expires_at > func.now()))
        .order_by(ApiToken.created_at.desc())
    ).scalars())


def revoke_token(principal: Principal, token_id: int | None = None, *,
                 plain: str | None = None) -> None:
    """Revoke one of the principal's tokens, by id or by the token itself (logout)."""
    query = update(ApiToken).where(ApiToken.user_id == principal.user_id,
                                   ApiToken.revoked_at.is_(None))
    query = query.where(ApiToken.id == token_id) if token_id is not None else query.where(
        ApiToken.token_hash == token_hash(plain or ""))
    with committing():
        revoked = db.session.execute(
            query.values(revoked_at=utcnow()).returning(ApiToken.id)
        ).scalar_one_or_none()
        if revoked is None:
            raise NotFound(_l("No such token."))
        record("auth.token_revoked", object_type="api_tokens", object_id=revoked)


def change_password(principal: Principal, old_password: str, new_password: str) -> None:
    """The user's own password change; every other session and token of theirs ends."""
    user = db.session.execute(
        select(User).where(User.id == principal.user_id).execution_options(**unscoped())
    ).scalar_one()
    if not verify_password(user.password_hash, old_password):
        raise Unprocessable(_l("The current password is wrong."), field="old_password")
    check_policy(new_password, user.username)
    with committing():
        user.password_hash = hash_password(new_password)
        user.must_change_password = False
        user.auth_epoch += 1
        db.session.execute(
            update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
        record("auth.password_changed", object_type="users", object_id=user.id)
