"""Login throttling keys: per account and per client address, counting failures only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, current_app, request
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address

from ..extensions import limiter


def account_key() -> str:
    """The username being tried (from JSON or a form), so guessing one account's password
    from many addresses is throttled too."""
    body = request.get_json(silent=True) if request.is_json else None
    name = (body or {}).get("username") if isinstance(body, dict) else None
    name = name or request.form.get("username") or ""
    return "account:" + str(name).strip().lower()[:64]


def ip_key() -> str:
    return "ip:" + (get_remote_address() or "unknown")


def login_failed(response: Response) -> bool:
    """Only failed attempts (401, from the API and the login page alike) count against the
    limits; a user who logs in is not slowed down."""
    return response.status_code == 401


def login_limits() -> list[Callable[[Callable[..., Any]], Callable[..., Any]]]:
    """Decorators for the views that check a password."""
    message = _l("Too many failed logins; please wait 15 minutes and try again.")
    return [
        limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=account_key,
                      deduct_when=login_failed, scope="login-account", error_message=message),
        limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], key_func=ip_key,
                      deduct_when=login_failed, scope="login-ip", error_message=message),
    ]


def throttled(view: Callable[..., Any]) -> Callable[..., Any]:
    for decorate in reversed(login_limits()):
        view = decorate(view)
    return view
