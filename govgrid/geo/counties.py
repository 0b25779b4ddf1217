"""The county an import or export works in, looked up by its code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import text
from sqlalchemy.orm import Session

from ..errors import NotFound


def find_county_id(session: Session, county_code: str) -> int:
    """The id of the county unit with this code; NotFound (a 404 / CLI error) otherwise."""
    found = session.execute(
        text("SELECT id FROM units WHERE code = :code AND level = 'county'"),
        {"code": county_code},
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(_l("No county with code %(code)s.", code=county_code))
    return found
