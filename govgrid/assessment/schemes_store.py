"""Keeping each county's assessment schemes: versions 1, 2, … per county and year, each a
draft (edited under an optimistic lock on `revision`), then active (one per county and
year: activating a draft retires the one in force, in the same transaction), then retired.
Read county-wide, changed by those with `manage_assessment`, audited. The computation reads
`active_scheme` (unscoped: a job acts for the platform), which names the version it gives,
0 for the built-in DEFAULT_SCHEME."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..audit.recorder import record
from ..auth.permissions import Permission, require
from ..auth.principal import Principal
from ..auth.scope import unscoped
from ..errors import Conflict, NotFound, StaleVersion, Unprocessable
from ..extensions import db
from ..timestamps import utcnow
from ..unit_of_work import committing
from .models import AssessmentScheme, SchemeStatus
from .scheme import DEFAULT_SCHEME, Scheme, SchemeError, from_data, to_data

MAX_ID = 2**31 - 1
# The constraints a concurrent create or activate can lose on (told apart by name).
RACES = {"uq_assessment_schemes_county_id", "uq_assessment_schemes_active"}


def default_for(year: int) -> Scheme:
    return dataclasses.replace(DEFAULT_SCHEME, year=year)


def active_scheme(county_id: int, year: int) -> tuple[Scheme, int]:
    """The scheme in force for the county and year and its version (0: the default)."""
    row = db.session.execute(
        select(AssessmentScheme.data, AssessmentScheme.version)
        .where(AssessmentScheme.county_id == county_id, AssessmentScheme.year == year,
               AssessmentScheme.status == SchemeStatus.active)
        .execution_options(**unscoped())).one_or_none()
    if row is None:
        return default_for(year), 0
    return from_data(row.data), row.version


def county_of(principal: Principal) -> int:
    if principal.county_id is None:
        raise Unprocessable(_l("You belong to no county."))
    return principal.county_id


def versions(principal: Principal, year: int) -> list[AssessmentScheme]:
    """The versions of my county's scheme for the year, newest first."""
    return list(db.session.execute(
        select(AssessmentScheme).where(AssessmentScheme.county_id == county_of(principal),
                                       AssessmentScheme.year == year)
        .order_by(AssessmentScheme.version.desc())).scalars())


def get_scheme(scheme_id: int) -> AssessmentScheme:
    row = None
    if 0 < scheme_id <= MAX_ID:
        row = db.session.execute(select(AssessmentScheme).where(
            AssessmentScheme.id == scheme_id)).scalar_one_or_none()  # scoped: county-wide
    if row is None:
        raise NotFound(_l("No such assessment scheme in your county."))
    return row


def checked(data: Any, year: int) -> dict[str, Any]:
    """The data as stored (every key explicit), or 422 naming where it is wrong."""
    try:
        scheme = from_data(data)
    except SchemeError as error:
        raise Unprocessable(_l("The scheme is not valid at %(path)s: %(problem)s.",
                               path=error.path or "/", problem=error.code),
                            path=error.path, problem=error.code,
                            params={k: str(v) for k, v in error.params.items()}) from None
    except (TypeError, ValueError, KeyError, AttributeError):  # a shape the reader missed
        raise Unprocessable(_l("The scheme is not valid."), path="", problem="malformed"
                            ) from None
    if scheme.year != year:
        raise Unprocessable(_l("The scheme's year must be %(year)s.", year=year),
                            path="year", problem="wrong_year")
    return to_data(scheme)


def create_draft(principal: Principal, year: int, note: str | None = None) -> AssessmentScheme:
    """A new draft version: a copy of the active one, or of the default when none is."""
    require(principal, Permission.manage_assessment)
    county_id = county_of(principal)
    scheme, based_on = active_scheme(county_id, year)
    with committing(), _races():
        number = db.session.execute(
            select(func.coalesce(func.max(AssessmentScheme.version), 0))
            .where(AssessmentScheme.county_id == county_id, AssessmentScheme.year == year)
        ).scalar_one() + 1
        row = AssessmentScheme(county_id=county_id, year=year, version=number, revision=1,
                               data=to_data(scheme), status=SchemeStatus.draft,
                               note=(note or "").strip() or None, created_by=principal.user_id)
        db.session.add(row)
        db.session.flush()
        record("assessment.scheme_drafted", object_type="assessment_schemes",
               object_id=row.id, county_id=county_id,
               summary={"year": year, "version": number, "based_on_version": based_on})
    return row


def edit_draft(principal: Principal, scheme_id: int, revision: int, data: Any,
               note: str | None = None) -> AssessmentScheme:
    require(principal, Permission.manage_assessment)
    row = get_scheme(scheme_id)
    if row.status != SchemeStatus.draft:
        raise Conflict(_l("Only a draft can be edited; make a new draft of this scheme."))
    stored = checked(data, row.year)
    values: dict[str, Any] = {"data": stored, "revision": AssessmentScheme.revision + 1,
                              "updated_at": utcnow()}
    if note is not None:
        values["note"] = note.strip() or None
    with committing():
        won = db.session.execute(
            update(AssessmentScheme)
            .where(AssessmentScheme.id == row.id, AssessmentScheme.revision == revision,
                   AssessmentScheme.status == SchemeStatus.draft)
            .values(**values).returning(AssessmentScheme.id)).scalar_one_or_none()
        if won is None:
            raise StaleVersion()
        record("assessment.scheme_edited", object_type="assessment_schemes", object_id=row.id,
               county_id=row.county_id,
               summary={"year": row.year, "version": row.version, "revision": revision + 1,
                        "scheme": stored})
    db.session.expire_all()
    return get_scheme(scheme_id)


def activate(principal: Principal, scheme_id: int, revision: int) -> AssessmentScheme:
    """Put a draft in force; the version in force until now is retired (one transaction)."""
    require(principal, Permission.manage_assessment)
    row = get_scheme(scheme_id)
    if row.status != SchemeStatus.draft:
        raise Conflict(_l("Only a draft can be put in force."))
    now = utcnow()
    with committing(), _races():
        retired = db.session.execute(
            update(AssessmentScheme)
            .where(AssessmentScheme.county_id == row.county_id,
                   AssessmentScheme.year == row.year,
                   AssessmentScheme.status == SchemeStatus.active)
            .values(status=SchemeStatus.retired, updated_at=now)
            .returning(AssessmentScheme.version)).scalars().all()
        won = db.session.execute(
            update(AssessmentScheme)
            .where(AssessmentScheme.id == row.id, AssessmentScheme.revision == revision,
                   AssessmentScheme.status == SchemeStatus.draft)
            .values(status=SchemeStatus.active, activated_at=now, updated_at=now,
                    revision=AssessmentScheme.revision + 1)
            .returning(AssessmentScheme.id)).scalar_one_or_none()
        if won is None:
            raise StaleVersion()
        record("assessment.scheme_activated", object_type="assessment_schemes",
               object_id=row.id, county_id=row.county_id,
               summary={"year": row.year, "version": row.version,
                        "retired_versions": list(retired)})
    db.session.expire_all()
    return get_scheme(scheme_id)


class _races:
    """Turns losing a race on the version number or the one active scheme into a 409."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> bool:
        if isinstance(error, IntegrityError):
            name = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
            if name in RACES:
                raise Conflict(_l("Someone else changed this county's schemes at the same "
                                  "moment; reload and try again.")) from error
        return False
