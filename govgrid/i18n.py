"""Locale and time zone selection: Chinese first, English on request."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request

LOCALE_COOKIE = "govgrid_locale"


def select_locale() -> str:
    """An explicit ?lang= or cookie wins; otherwise zh_CN unless the browser prefers English.
    Outside a request (CLI, jobs) the default locale applies."""
    supported = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.args.get("lang") or request.cookies.get(LOCALE_COOKIE)
    if chosen in supported:
        return chosen
    best = request.accept_languages.best_match(["zh_CN", "zh", "en"], default="zh_CN")
    return "en" if best == "en" else "zh_CN"


def init_app(app: Flask) -> None:
    from .extensions import babel

    babel.init_app(app, locale_selector=select_locale)

    @app.after_request
    def remember_locale(response):  # type: ignore[no-untyped-def]
        chosen = request.args.get("lang")
        if chosen in app.config["LANGUAGES"]:
            response.set_cookie(LOCALE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax")
        return response
