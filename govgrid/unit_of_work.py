"""The transaction boundary of a service function (cosmicpython's unit of work, minimal).

    with committing():
        ...writes...

commits when the block ends normally and rolls back when it raises, so a service never
leaves half its writes in the session for the next request to commit by accident.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .extensions import db


@contextmanager
def committing() -> Iterator[None]:
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
