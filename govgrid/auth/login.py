"""Wiring of login into every request: who is asking, CSRF on cookie-authenticated writes,
and what an unauthenticated request gets (401 JSON under /api, the login page elsewhere)."""

from __future__ import annotations

from flask import Flask, g, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..errors import STATUS_MESSAGES, wants_json
from ..extensions import csrf, login_manager
from .identity import SessionUser, load_session_user, load_token_user, principal_for
from .principal import ANONYMOUS
from .tokens import bearer_from_header

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# What anyone may reach: logging in, health, static files, the API description. None means
# every method; otherwise only the methods listed (GET /api/v1/session needs a login).
PUBLIC: dict[str, frozenset[str] | None] = {
    "auth.login": None, "health.healthz": None, "static": None,
    "api-docs.openapi_json": None, "api-docs.openapi_swagger_ui": None,
    "auth_api.Session": frozenset({"POST"}),
    # The mobile app's shell, manifest and service worker hold no personal data; the app
    # logs in through the API, so they must load (from the phone's cache too) before that.
    "mobile.shell": None, "mobile.manifest": None, "mobile.service_worker": None,
}


def is_public(endpoint: str | None, method: str) -> bool:
    if endpoint is None:  # no route matched: let that become the usual 404
        return True
    if endpoint not in PUBLIC:
        return False
    methods = PUBLIC[endpoint]
    return methods is None or method in methods


def _request_loader(req) -> SessionUser | None:  # type: ignore[no-untyped-def]
    token = bearer_from_header(req.headers.get("Authorization"))
    return load_token_user(token) if token else None


def _unauthorized():  # type: ignore[no-untyped-def]
    if wants_json():
        return jsonify({"code": 401, "message": str(STATUS_MESSAGES[401])}), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def identify_and_guard():  # type: ignore[no-untyped-def]
    """Runs before every view: sets g.principal, enforces login and CSRF."""
    user = current_user if current_user.is_authenticated else None
    g.principal = principal_for(user.user) if user else ANONYMOUS
    if user is None and not is_public(request.endpoint, request.method):
        return _unauthorized()
    # Writes from a browser carry the session cookie, which a forged cross-site request would
    # carry too; the CSRF token (form field or X-CSRFToken header) proves origin. Logging in
    # through the API is exempt: it sets no cookie and returns a token.
    cookie_write = request.method in UNSAFE_METHODS and not (user and user.via_token)
    if cookie_write and request.endpoint != "auth_api.Session":
        csrf.protect()
    return None


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_session_user)
    login_manager.request_loader(_request_loader)
    login_manager.unauthorized_handler(_unauthorized)
    login_manager.login_message = _l("Please log in first.")
    login_manager.session_protection = "basic"
    csrf.init_app(app)
    app.before_request(identify_and_guard)
