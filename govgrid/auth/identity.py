"""From a session cookie or a bearer token to a user, and from a user to a Principal."""

from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import select, update

from ..audit.recorder import bookkeeping
from ..extensions import db
from ..geo.models import Unit
from ..timestamps import utcnow
from .models import ApiToken, User, UserGridCell
from .principal import Principal
from .scope import unscoped
from .tokens import token_hash

# Writing last_used_at on every API call would turn each read into a write; once in a while
# is enough to tell a live token from a forgotten one.
TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=5)


class SessionUser(UserMixin):
    """What Flask-Login keeps for the current request. The session cookie holds
    "<user id>:<auth epoch>", so bumping the epoch ends every session of that user."""

    def __init__(self, user: User, via_token: bool = False) -> None:
        self.user = user
        self.via_token = via_token

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.auth_epoch}"

    @property
    def is_active(self) -> bool:
        return self.user.is_active


def load_session_user(session_id: str) -> SessionUser | None:
    user_id, _, epoch = session_id.partition(":")
    if not (user_id.isdigit() and epoch.isdigit()):
        return None
    # Unscoped: identifying who asks comes before any jurisdiction can apply.
    user = db.session.execute(
        select(User).where(User.id == int(user_id)).execution_options(**unscoped())
    ).scalar_one_or_none()
    if user is None or not user.is_active or user.auth_epoch != int(epoch):
        return None
    return SessionUser(user)


def load_token_user(token: str) -> SessionUser | None:
    now = utcnow()
    found = db.session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == token_hash(token), ApiToken.revoked_at.is_(None))
        .execution_options(**unscoped())
    ).first()
    if found is None:
        return None
    api_token, user = found
    if not user.is_active or (api_token.expires_at is not None and api_token.expires_at <= now):
        return None
    if api_token.last_used_at is None or now - api_token.last_used_at > TOKEN_TOUCH_INTERVAL:
        db.session.execute(
            update(ApiToken).where(ApiToken.id == api_token.id).values(last_used_at=now)
            # Bookkeeping: an audit entry every few minutes per token would bury the changes
            # people make; the token's use is visible in its own last_used_at.
            .execution_options(**unscoped(), **bookkeeping())
        )
        db.session.commit()
    return SessionUser(user, via_token=True)


def principal_for(user: User) -> Principal:
    """The user's jurisdiction: their unit's path, and for grid workers their cells."""
    path, level = db.session.execute(
        select(Unit.path, Unit.level).where(Unit.id == user.unit_id)
        .execution_options(**unscoped())
    ).one()
    cells = db.session.execute(
        select(UserGridCell.grid_cell_id).where(UserGridCell.user_id == user.id)
        .execution_options(**unscoped())
    ).scalars().all()
    return Principal(
        username=user.username, user_id=user.id, county_id=user.county_id,
        unit_id=user.unit_id, unit_path=path, unit_level=level.value, role=user.role,
        department=user.department, cell_ids=frozenset(cells),
    )
