"""Reporting a case (上报): where it is, who owns it, its deadline, its parties; idempotent by
client-supplied id, and one transaction for the case, its first timeline entry, its outbox
messages and its audit entries."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from geoalchemy2.shape import from_shape
from shapely.geometry import Point
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ..auth.principal import Principal
from ..auth.scope import unscoped
from ..errors import Conflict, Unprocessable
from ..extensions import db
from ..geo.models import GridCell, Unit, UnitLevel
from ..geo.services import locate_statement
from ..outbox.models import OutboxMessage
from ..outbox.relay import relay_soon
from ..sla.store import deadlines_for
from ..sla.urgent_service import start_clocks
from ..timestamps import utcnow
from ..unit_of_work import committing
from .models import Case, CaseEvent, Category
from .parties import PartyInput, build_party
from .vocabulary import Severity, Source
from .workflow import CaseState, Level


@dataclass
class ReportInput:
    category_code: str
    title: str
    source: Source
    id: uuid.UUID | None = None
    description: str = ""
    severity: Severity | None = None
    is_urgent: bool = False
    lon: float | None = None
    lat: float | None = None
    accuracy_m: float | None = None
    address: str | None = None
    unit_code: str | None = None  # where it happened, when there is no GPS fix
    people_involved: int = 0
    amount_involved: Decimal | None = None
    occurred_at: dt.datetime | None = None
    parties: list[PartyInput] = field(default_factory=list)


@dataclass(frozen=True)
class Place:
    county_id: int
    township_id: int | None
    village_id: int | None
    grid_cell_id: int | None
    path: str


def _place_of_point(lon: float, lat: float) -> Place:
    # Unscoped: a grid worker's GPS may fall just outside their own cells; the case is placed
    # where it happened, and its reporter keeps reading it as their own report.
    row = db.session.execute(
        locate_statement().execution_options(**unscoped()), {"lon": lon, "lat": lat}
    ).first()
    if row is None:
        raise Unprocessable(_l("This location (%(lon)s, %(lat)s) lies outside the county.",
                               lon=lon, lat=lat), field="lat")
    cell_path = db.session.execute(
        select(GridCell.path).where(GridCell.id == row.cell_id).execution_options(**unscoped())
    ).scalar_one()
    return Place(row.county_id, row.township_id, row.village_id, row.cell_id, cell_path)


def _place_of_unit(code: str) -> Place:
    # Scoped: without GPS one may only name a unit one can see.
    unit = db.session.execute(select(Unit).where(Unit.code == code)).scalar_one_or_none()
    if unit is None:
        raise Unprocessable(_l("No unit with code %(code)s.", code=code), field="unit_code")
    ids = {UnitLevel.county: None, UnitLevel.township: None, UnitLevel.village: None}
    for ancestor in db.session.execute(
        select(Unit.id, Unit.level).where(Unit.path.ancestor_of(unit.path))
        .execution_options(**unscoped())
    ):
        ids[ancestor.level] = ancestor.id
    return Place(unit.county_id, ids[UnitLevel.township], ids[UnitLevel.village], None,
                 unit.path)


def _check_within_jurisdiction(principal: Principal, place: Place) -> None:
    """One reports what happens in one's own jurisdiction (a grid worker: their village);
    a dispute elsewhere belongs to that place's centre."""
    if principal.is_system or principal.unit_path is None:
        return
    if place.path != principal.unit_path and not place.path.startswith(principal.unit_path + "."):
        raise Unprocessable(_l("This location lies outside your jurisdiction; pass the case to "
                               "the centre where it happened."), field="lat")


def _owner(principal: Principal, place: Place, urgent: bool) -> tuple[int, Level]:
    """Who holds a new case: the centre at the reporter's level for that place (a village
    station for grid workers' and villages' reports, the township for its own intake, the
    county for county intake); urgent cases go straight to the county (DESIGN §4)."""
    level = principal.unit_level or "village"
    if urgent or level == "county" or (level == "township" and place.township_id is None):
        return place.county_id, Level.county
    if level == "township" or place.village_id is None:
        return place.township_id or place.county_id, Level.township
    return place.village_id, Level.village


def report_case(principal: Principal, data: ReportInput) -> tuple[Case, bool]:
    """The reported case and whether it was created now (False: the id existed already)."""
    case_id = data.id or uuid.uuid4()
    existing = db.session.execute(select(Case).where(Case.id == case_id)).scalar_one_or_none()
    if existing is not None:
        return existing, False
    category = db.session.execute(
        select(Category).where(Category.code == data.category_code,
                               Category.parent_id.is_not(None), Category.is_active)
    ).scalar_one_or_none()
    if category is None:
        raise Unprocessable(_l("Unknown case category %(code)s.", code=data.category_code),
                            field="category_code")
    if data.lon is not None and data.lat is not None:
        place = _place_of_point(data.lon, data.lat)
        _check_within_jurisdiction(principal, place)
    elif data.unit_code:
        place = _place_of_unit(data.unit_code)
    else:
        raise Unprocessable(_l("Give the location (lon, lat) or the unit where it happened."),
                            field="lat")
    now = utcnow()
    owner_id, owner_level = _owner(principal, place, data.is_urgent)
    values = {
        "id": case_id, "county_id": place.county_id, "township_id": place.township_id,
        "village_id": place.village_id, "grid_cell_id": place.grid_cell_id,
        "location_path": place.path, "owner_unit_id": owner_id, "owner_level": owner_level,
        "point": from_shape(Point(data.lon, data.lat), 4326) if data.lon is not None else None,
        "accuracy_m": data.accuracy_m, "address": data.address, "category_id": category.id,
        "severity": data.severity or category.default_severity or Severity.general,
        "is_urgent": data.is_urgent, "source": data.source, "title": data.title.strip(),
        "description": data.description, "people_involved": data.people_involved,
        "amount_involved": data.amount_involved, "state": CaseState.reported,
        "reporter_id": principal.user_id, "occurred_at": data.occurred_at or now,
        "reported_at": now, **deadlines_for(place.county_id).accept(now).columns(),
    }
    with committing():
        # ON CONFLICT DO NOTHING: two retries of one report racing each other make one case.
        inserted = db.session.execute(
            pg_insert(Case).values(**values).on_conflict_do_nothing(index_elements=["id"])
            .returning(Case.id)
        ).scalar_one_or_none()
        if inserted is None:
            db.session.rollback()
            winner = db.session.execute(select(Case).where(Case.id == case_id)).scalar_one_or_none()
            if winner is None:  # someone else's case with this id: do not reveal it
                raise Conflict(_l("This case id is already in use."), field="id")
            return winner, False
        case = db.session.execute(select(Case).where(Case.id == case_id)
                                  .execution_options(**unscoped())).scalar_one()
        for index, party in enumerate(data.parties):
            db.session.add(build_party(case, party, f"parties.{index}.id_number"))
        db.session.add(CaseEvent(
            county_id=case.county_id, case_id=case.id, action="submit", from_state=None,
            to_state=CaseState.reported.value, actor_id=principal.user_id,
            actor_unit_id=principal.unit_id, at=now, payload={"source": data.source.value}))
        _queue_messages(case, category)
        start_clocks(case)  # urgent incidents: the 1 h / 3 h / 6 h reporting clocks
    relay_soon()  # committed: ask for the outbox rows to go now (never raises)
    return case, True


def _queue_messages(case: Case, category: Category) -> None:
    """Outbox rows in the same transaction: the owning centre learns of the report, and the
    category's linked departments are notified at once (联动)."""
    db.session.add(OutboxMessage(county_id=case.county_id, topic="case.reported",
                                 payload={"case_id": str(case.id)}))
    if category.departments:
        db.session.add(OutboxMessage(
            county_id=case.county_id, topic="linkage.notify",
            payload={"case_id": str(case.id), "departments": list(category.departments)}))
