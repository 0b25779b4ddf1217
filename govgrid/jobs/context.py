"""Run job bodies inside an application context.

An RQ worker imports job functions but has no Flask app; one app per worker process is
created on first use and reused, so a job costs no app start-up.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import Flask, has_app_context

P = ParamSpec("P")
R = TypeVar("R")

_app: Flask | None = None


def _worker_app() -> Flask:
    global _app
    if _app is None:
        from .. import create_app

        _app = create_app()
    return _app


def with_app_context(func: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if has_app_context():  # called inline (tests, CLI): use the caller's app
            return func(*args, **kwargs)
        with _worker_app().app_context():
            return func(*args, **kwargs)

    return wrapper
