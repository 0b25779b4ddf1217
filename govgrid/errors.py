"""Errors as JSON under /api and as pages elsewhere, always in the user's language.

Services raise `DomainError` subclasses carrying an HTTP status and a translatable message;
nothing parses error codes out of strings.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import lazy_gettext
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

# Default wording per status, used when the code that failed gave no message of its own.
STATUS_MESSAGES = {
    400: lazy_gettext("The request is malformed."),
    401: lazy_gettext("Please log in first."),
    403: lazy_gettext("You are not allowed to do this."),
    404: lazy_gettext("The page or object was not found."),
    405: lazy_gettext("This method is not allowed here."),
    409: lazy_gettext("The object was changed by someone else; reload and try again."),
    413: lazy_gettext("The upload is too large."),
    415: lazy_gettext("This file type is not supported."),
    422: lazy_gettext("The request could not be processed."),
    429: lazy_gettext("Too many requests; please wait and try again."),
    500: lazy_gettext("An internal error occurred; it has been logged."),
    503: lazy_gettext("The service is temporarily unavailable."),
}


CSRF_MESSAGE = lazy_gettext(
    "The page has expired or the request did not come from this site; reload the page and "
    "try again."
)


class DomainError(Exception):
    """A refusal the user can understand: an HTTP status and a (lazily translated) message."""

    status = 422

    def __init__(self, message: object, **details: object) -> None:
        # The message stays lazy: it is rendered in the language of whoever reads it.
        super().__init__(message)
        self.message = message
        self.details = details


class BadRequest(DomainError):
    status = 400


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Unprocessable(DomainError):
    status = 422


class StaleVersion(Conflict):
    """Optimistic locking lost: the row's version is no longer the one the client read."""

    def __init__(self, **details: object) -> None:
        super().__init__(STATUS_MESSAGES[409], **details)


def wants_json() -> bool:
    return request.path.startswith("/api") or request.path == "/healthz"


def _body(status: int, message: object, **extra: object) -> dict[str, object]:
    body: dict[str, object] = {"code": status, "message": str(message)}
    body.update({k: v for k, v in extra.items() if v})
    return body


def _render(status: int, message: object, **extra: object) -> tuple[Response | str, int]:
    if wants_json():
        return jsonify(_body(status, message, **extra)), status
    try:
        return render_template("errors/error.html", status=status, message=str(message)), status
    except Exception:  # the error page must never itself become a second error
        log.exception("error page failed to render")
        return f"<h1>{status}</h1><p>{escape(str(message))}</p>", status


def handle_http_exception(error: HTTPException) -> tuple[Response | str, int]:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    message = data.get("message") or STATUS_MESSAGES.get(status) or error.description
    if isinstance(error, CSRFError):
        message = CSRF_MESSAGE
    limit = getattr(error, "limit", None)  # Flask-Limiter's RateLimitExceeded
    if status == 429 and limit is not None and getattr(limit, "error_message", None):
        message = limit.error_message
    # webargs puts field errors under data["messages"]; keep them for API clients.
    return _render(status, message, errors=_field_errors(data.get("messages")))


def _field_errors(messages: object) -> object:
    """Every field's errors as a list of strings, whether marshmallow produced a string, a
    lazy translation or a list (lazy messages are not `str`, so it does not wrap them)."""
    if messages is None:
        return None
    if isinstance(messages, dict):
        return {key: _field_errors(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        flat: list[object] = []
        for item in messages:
            flat.append(_field_errors(item) if isinstance(item, dict) else str(item))
        return flat
    return [str(messages)]


def handle_domain_error(error: DomainError) -> tuple[Response | str, int]:
    return _render(error.status, error.message, details=error.details)


def handle_unexpected(error: Exception) -> tuple[Response | str, int]:
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    log.exception("unhandled error on %s %s", request.method, request.path)
    return _render(500, STATUS_MESSAGES[500])


def init_app(app: Flask) -> None:
    # Registered after flask-smorest's Api.init_app so these replace its JSON-only handler.
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)


__all__ = [
    "BadRequest",
    "Conflict",
    "DomainError",
    "NotFound",
    "Unprocessable",
    "init_app",
]
