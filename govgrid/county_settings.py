"""Writing a county's settings row (the deadline policy, the risk settings): one row per
county holding JSON, guarded by its version. Version 0 means "never saved": the first save
inserts version 1 (a concurrent first save loses on the unique county); later saves are a
conditional UPDATE … WHERE version = :read RETURNING. Either way the loser gets StaleVersion.
The caller owns the transaction and the audit entry (Core statements bypass the automatic
capture)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from .errors import StaleVersion
from .extensions import db
from .timestamps import utcnow


def save_versioned(model: Any, county_id: int, data: dict[str, Any], version: int,
                   user_id: int | None) -> int:
    """The row's id after writing `data` over version `version`."""
    if version == 0:
        won = db.session.execute(
            pg_insert(model).values(county_id=county_id, data=data, version=1,
                                    updated_by=user_id)
            .on_conflict_do_nothing(index_elements=["county_id"])
            .returning(model.id)).scalar_one_or_none()
    else:
        won = db.session.execute(
            update(model).where(model.county_id == county_id, model.version == version)
            .values(data=data, version=model.version + 1, updated_by=user_id,
                    updated_at=utcnow())
            .returning(model.id)).scalar_one_or_none()
    if won is None:
        raise StaleVersion()
    return int(won)
