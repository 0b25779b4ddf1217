"""Dispatch (分派): the mediator registry (调解员库) and ranked mediator suggestions for a case.

Reads go through the jurisdiction hook like every other query: a dispatcher suggests from,
lists and edits only the mediators of their own subtree. Two numbers deliberately look past
the reader's jurisdiction, because they describe the mediator rather than reveal anything:
the active caseload counts all of a mediator's cases (busy elsewhere is still busy), and the
case's owning unit and place are read for their path and geometry only. Those parts use the
tables (`Model.__table__`), which the hook does not scope; only numbers come out of them.

The score itself is pure and lives in `scoring`; here we gather its inputs in one statement
for all candidates (caseload and geodesic distance computed by PostgreSQL), so the cost of a
suggestion does not grow in round trips with the size of the registry.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from geoalchemy2 import Geography
from geoalchemy2.elements import WKTElement
from sqlalchemy import ColumnElement, Select, cast, exists, func, literal, null, select
from sqlalchemy.exc import IntegrityError

from ..auth.models import User
from ..auth.permissions import Permission, require
from ..auth.principal import Principal, acting_as
from ..auth.roles import Role
from ..auth.scope import unscoped
from ..errors import NotFound, StaleVersion, Unprocessable
from ..extensions import db
from ..geo.models import GridCell, Unit
from . import scoring
from .models import Case, CaseAssignment, Category
from .records import MediatorProfile
from .workflow import CaseState

# A mediator carries a case while it is accepted (already handed to them), being mediated
# or suspended; resolved cases wait for a follow-up visit made by someone else.
ACTIVE_STATES = (CaseState.accepted, CaseState.mediating, CaseState.suspended)
MEDIATOR_ROLES = (Role.mediator, Role.department_liaison)

_cases = Case.__table__
_assignments = CaseAssignment.__table__
_units = Unit.__table__
_cells = GridCell.__table__


@dataclass(frozen=True)
class MediatorEntry:
    """One registry row as the API shows it."""

    user_id: int
    username: str
    display_name: str
    role: Role
    unit_id: int
    unit_code: str
    unit_name: str
    unit_path: str
    specialties: list[str]
    legal_training: bool
    languages: list[str]
    max_active_cases: int
    is_available: bool
    lon: float | None
    lat: float | None
    active_cases: int
    distance_km: float | None = None


@dataclass(frozen=True)
class Ranked:
    mediator: MediatorEntry
    suggestion: scoring.Suggestion


@dataclass
class ProfileInput:
    specialties: list[str]
    legal_training: bool = False
    languages: list[str] = field(default_factory=lambda: ["zh"])
    max_active_cases: int = 10
    lon: float | None = None
    lat: float | None = None
    is_available: bool = True


def caseload(user_id: ColumnElement[int]) -> ColumnElement[int]:
    """Distinct active cases of a mediator: active handler assignments on cases still in an
    active state, plus cases naming them as handler in an active state that have no such
    assignment (not counted twice).

    The assignment stays active after the case is resolved, because it is what lets the
    mediator keep reading the case (agreement, follow-up); so the case's state decides."""
    assigned = select(func.count()).select_from(
        _assignments.join(_cases, _cases.c.id == _assignments.c.case_id)).where(
        _assignments.c.user_id == user_id, _assignments.c.kind == "handler",
        _assignments.c.active.is_(True), _cases.c.state.in_(ACTIVE_STATES))
    also = _assignments.alias("also_assigned")
    handled = select(func.count()).select_from(_cases).where(
        _cases.c.handler_id == user_id, _cases.c.state.in_(ACTIVE_STATES),
        ~exists(select(literal(1)).select_from(also).where(
            also.c.case_id == _cases.c.id, also.c.user_id == user_id,
            also.c.kind == "handler", also.c.active.is_(True)).correlate_except(also)))
    return assigned.scalar_subquery() + handled.scalar_subquery()


def registry_statement(origin: Any | None = None) -> Select[Any]:
    """Profiles with their person, unit, caseload and (given an origin geography) distance
    in km. Profile, user and unit are jurisdiction-scoped by the hook."""
    profile = MediatorProfile
    distance: Any = null()
    if origin is not None:
        distance = func.ST_Distance(cast(profile.location, Geography), origin) / 1000.0
    return (
        select(profile.user_id, User.username, User.display_name, User.role,
               Unit.id.label("unit_id"), Unit.code.label("unit_code"),
               Unit.name.label("unit_name"), Unit.path.label("unit_path"),
               profile.specialties, profile.legal_training, profile.languages,
               profile.max_active_cases, profile.is_available,
               func.ST_X(profile.location).label("lon"), func.ST_Y(profile.location).label("lat"),
               caseload(profile.user_id).label("active_cases"),
               distance.label("distance_km"))
        .join(User, User.id == profile.user_id)
        .join(Unit, Unit.id == User.unit_id)
    )


def _entry(row: Any) -> MediatorEntry:
    values = dict(row._mapping)
    values["unit_path"] = str(values["unit_path"])
    values["specialties"] = list(values["specialties"] or [])
    values["languages"] = list(values["languages"] or [])
    return MediatorEntry(**values)


# --- suggestions ------------------------------------------------------------------------

@dataclass(frozen=True)
class _CaseRow:
    county_id: int
    facts: scoring.CaseFacts
    lon: float | None
    lat: float | None


def _case_row(case_id: uuid.UUID) -> _CaseRow:
    """The case (scoped: 404 outside one's jurisdiction) with what the score needs. Without a
    GPS point, distances are measured to the place it happened (its village or cell)."""
    owner = _units.alias("owner_unit")
    place = func.coalesce(
        select(func.ST_PointOnSurface(_units.c.boundary))
        .where(_units.c.path == Case.location_path).scalar_subquery(),
        select(func.ST_PointOnSurface(_cells.c.boundary))
        .where(_cells.c.path == Case.location_path).scalar_subquery())
    anchor = func.coalesce(Case.point, place)
    row = db.session.execute(
        select(Case.county_id, Case.severity, Category.code, owner.c.path,
               Case.point.is_(None).label("approximate"),
               func.ST_X(anchor).label("lon"), func.ST_Y(anchor).label("lat"))
        .join(Category, Category.id == Case.category_id)
        .outerjoin(owner, owner.c.id == Case.owner_unit_id)
        .where(Case.id == case_id)
    ).one_or_none()
    if row is None:
        raise NotFound(_l("No such case."))
    facts = scoring.CaseFacts(row.code, row.severity, str(row.path) if row.path else None,
                              bool(row.approximate))
    return _CaseRow(row.county_id, facts, row.lon, row.lat)


def _candidate(entry: MediatorEntry) -> scoring.Candidate:
    return scoring.Candidate(entry.user_id, tuple(entry.specialties), entry.legal_training,
                             entry.active_cases, entry.max_active_cases, entry.distance_km,
                             entry.unit_path)


def suggest(principal: Principal, case_id: uuid.UUID, limit: int = 10) -> list[Ranked]:
    """Available mediators the principal can see, best first (see scoring for the order).
    Two statements whatever the size of the registry: the case, then every candidate."""
    with acting_as(principal):
        case = _case_row(case_id)
        origin = None
        if case.lon is not None and case.lat is not None:
            origin = cast(func.ST_SetSRID(func.ST_MakePoint(case.lon, case.lat), 4326),
                          Geography)
        rows = db.session.execute(registry_statement(origin).where(
            MediatorProfile.county_id == case.county_id,
            MediatorProfile.is_available.is_(True), User.is_active.is_(True),
            User.role.in_(MEDIATOR_ROLES)))
        entries = [_entry(row) for row in rows]
    by_user = {e.user_id: e for e in entries}
    ranked = scoring.rank(scoring.score(_candidate(e), case.facts) for e in entries)
    return [Ranked(by_user[s.user_id], s) for s in ranked[:limit]]


# --- the registry ---------------------------------------------------------------------------

def list_mediators(principal: Principal, args: dict[str, Any], page: int,
                   page_size: int) -> tuple[list[MediatorEntry], int]:
    """The registry within the principal's jurisdiction, by unit then name."""
    query = registry_statement()
    if "available" in args:
        query = query.where(MediatorProfile.is_available.is_(args["available"]))
    if "specialty" in args:
        # "02" finds "02" and every 02xx; "0201" finds 0201 and the broad "02". Codes are
        # validated digits, and the pattern is a bound parameter.
        code = args["specialty"]
        pattern = rf"(^|,)({code[:2]}|{code})(,|$)" if len(code) == 4 else rf"(^|,){code}"
        codes = func.array_to_string(MediatorProfile.specialties, ",")
        query = query.where(codes.op("~")(pattern))
    if "unit" in args:
        under = select(Unit.path).where(Unit.code == args["unit"]).scalar_subquery()
        query = query.where(Unit.path.descendant_of(under))
    with acting_as(principal):
        total = db.session.execute(
            select(func.count()).select_from(query.subquery())).scalar_one()
        rows = db.session.execute(
            query.order_by(Unit.code, User.username)
            .limit(page_size).offset((page - 1) * page_size)).all()
    return [_entry(row) for row in rows], total


def get_entry(principal: Principal, user_id: int) -> MediatorEntry:
    with acting_as(principal):
        row = db.session.execute(
            registry_statement().where(MediatorProfile.user_id == user_id)).one_or_none()
    if row is None:
        raise NotFound(_l("No such mediator within your jurisdiction."))
    return _entry(row)


def _checked_specialties(codes: list[str], county_id: int) -> list[str]:
    wanted = list(dict.fromkeys(codes))  # without repeats, in the order given
    known = set(db.session.execute(select(Category.code).where(
        Category.code.in_(wanted), Category.is_active.is_(True),
        (Category.county_id.is_(None)) | (Category.county_id == county_id))).scalars())
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise Unprocessable(_l("Unknown case categories: %(codes)s.", codes=", ".join(unknown)),
                            field="specialties")
    return wanted


def _checked_location(lon: float | None, lat: float | None, county_id: int) -> Any:
    if lon is None or lat is None:
        return None
    point = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    # Unscoped: a township dispatcher cannot read the county row, but may place a mediator
    # anywhere in the county; only yes or no comes out of this.
    inside = db.session.execute(
        select(func.ST_Covers(Unit.boundary, point)).where(Unit.id == county_id)
        .execution_options(**unscoped())).scalar()
    if not inside:
        raise Unprocessable(_l("This location (%(lon)s, %(lat)s) lies outside the county.",
                               lon=lon, lat=lat), field="lat")
    return WKTElement(f"POINT({lon!r} {lat!r})", srid=4326)


def upsert_profile(principal: Principal, user_id: int,
                   data: ProfileInput) -> tuple[MediatorEntry, bool]:
    """Create or replace a mediator's registry entry; returns it and whether it is new."""
    require(principal, Permission.manage_mediators)
    with acting_as(principal):
        user = db.session.execute(select(User).where(User.id == user_id)).scalar_one_or_none()
        if user is None:
            raise NotFound(_l("No such user."))
        if user.role not in MEDIATOR_ROLES:
            raise Unprocessable(_l("Only mediators and department liaisons can be in the "
                                   "mediator registry."), field="user_id")
        specialties = _checked_specialties(data.specialties, user.county_id)
        location = _checked_location(data.lon, data.lat, user.county_id)
        profile = db.session.execute(select(MediatorProfile).where(
            MediatorProfile.user_id == user.id)).scalar_one_or_none()
        created = profile is None
        if profile is None:
            profile = MediatorProfile(county_id=user.county_id, user_id=user.id, extra={})
        profile.specialties = specialties
        profile.legal_training = data.legal_training
        profile.languages = list(dict.fromkeys(data.languages))
        profile.max_active_cases = data.max_active_cases
        profile.location = location
        profile.is_available = data.is_available
        try:
            db.session.add(profile)
            db.session.commit()
        except IntegrityError as error:
            db.session.rollback()
            # Two first PUTs for one mediator at once: the other one won.
            constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", "")
            if constraint != "uq_mediator_profiles_user_id":
                raise
            raise StaleVersion() from error
        except Exception:
            db.session.rollback()
            raise
    return get_entry(principal, user_id), created
