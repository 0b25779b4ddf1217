"""Refuse text that PostgreSQL cannot store, before any view sees it.

PostgreSQL text cannot hold the NUL character (U+0000): a name, note or search term
carrying one would fail deep inside a statement as a 500. JSON can encode it (`\\u0000`) and
URLs too (`%00`), so it is checked once for every request, in the path, the query string,
form fields and JSON bodies, and refused with a 400 naming the problem.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_babel import lazy_gettext as _l

from .errors import BadRequest

NUL = "\x00"


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def refuse_nul_characters() -> None:
    carriers: list[Any] = [request.path, list(request.args.items(multi=True))]
    if request.form:
        carriers.append(list(request.form.items(multi=True)))
    # A NUL can only reach a JSON string as the escape \u0000 (a raw NUL byte is not valid
    # JSON, and the parser refuses it). Most bodies do not contain that text at all, so the
    # body is parsed here, a second time, only when it does.
    if request.is_json and b"\\u0000" in request.get_data(cache=True):
        carriers.append(request.get_json(silent=True))
    if any(_has_nul(c) for c in carriers):
        raise BadRequest(_l("The request contains a NUL character (U+0000), which text may "
                            "not contain."))


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_characters)
