"""Login, logout and password pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from ..errors import DomainError
from ..extensions import db
from . import services
from .identity import SessionUser
from .models import User
from .principal import current_principal
from .scope import unscoped
from .throttle import throttled

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site paths: a login link must not bounce users to another site."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("web.home")


def _start_session(user: User) -> None:
    session.clear()  # nothing from before the login survives into the new session
    login_user(SessionUser(user))


@bp.route("/login", methods=["GET", "POST"])
@throttled
def login():  # type: ignore[no-untyped-def]
    next_url = _safe_next(request.values.get("next"))
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(next_url)
        return render_template("auth/login.html", next=next_url)
    user = services.authenticate(request.form.get("username", ""),
                                 request.form.get("password", ""))
    if user is None:
        return render_template(
            "auth/login.html", next=next_url, username=request.form.get("username", ""),
            error=_("Wrong username or password."),
        ), 401
    _start_session(user)
    if user.must_change_password:
        return redirect(url_for("auth.password", next=next_url))
    return redirect(next_url)


@bp.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def password():  # type: ignore[no-untyped-def]
    next_url = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("auth/password.html", next=next_url)
    try:
        services.change_password(current_principal(), request.form.get("old_password", ""),
                                 request.form.get("new_password", ""))
    except DomainError as error:
        return render_template("auth/password.html", next=next_url,
                               error=str(error.message)), error.status
    # The change ended every session of this user, this one included: start a fresh one.
    user = db.session.execute(
        select(User).where(User.id == current_user.user.id).execution_options(**unscoped())
    ).scalar_one()
    _start_session(user)
    return redirect(next_url)
