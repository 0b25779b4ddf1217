"""The register of major events (重大事件登记): recorded by county staff (anywhere in the
county) or a township centre (in its own township), edited under an optimistic lock, listed
and read through the jurisdiction (a township sees its own and its villages' events, never
a sibling's), and raised from a case, which links it. Every write is audited."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, fields
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, update

from ..audit.recorder import record
from ..auth.permissions import Permission, require
from ..auth.principal import Principal
from ..cases.models import Case
from ..errors import NotFound, StaleVersion, Unprocessable
from ..extensions import db
from ..geo.models import Unit, UnitLevel
from ..timestamps import utcnow
from ..unit_of_work import committing
from .models import MajorEvent
from .vocabulary import EventKind, EventSeverity

EVENT_LEVELS = (UnitLevel.township, UnitLevel.village)


@dataclass(frozen=True)
class EventInput:
    """What a person enters about an event (the unit by its code)."""

    unit_code: str
    kind: EventKind
    severity: EventSeverity
    occurred_at: dt.datetime
    title: str
    summary: str = ""
    deaths: int = 0
    injuries: int = 0
    people_involved: int = 0
    reported_late: bool = False
    concealed: bool = False

    def columns(self, unit: Unit) -> dict[str, Any]:
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "unit_code"}
        values.update(title=self.title.strip(), summary=(self.summary or "").strip(),
                      county_id=unit.county_id, unit_id=unit.id, path=unit.path)
        return values


@dataclass(frozen=True)
class EventFilters:
    unit_code: str | None = None  # that unit and the units below it
    kind: EventKind | None = None
    severity: EventSeverity | None = None
    occurred_from: dt.datetime | None = None  # included
    occurred_to: dt.datetime | None = None  # excluded


def path_of(code: str) -> str:
    """The path of a unit within the jurisdiction, for "that unit and those below it"
    filters (the scoped look-up: 404 outside it)."""
    path = db.session.execute(select(Unit.path).where(Unit.code == code)).scalar_one_or_none()
    if path is None:
        raise NotFound(_l("No unit with code %(code)s in your jurisdiction.", code=code))
    return path


def township_or_village(code: str, refusal: object) -> Unit:
    """A township or village within the jurisdiction (the scoped look-up: 404 outside it;
    `refusal` for a unit of another level)."""
    unit = db.session.execute(select(Unit).where(Unit.code == code)).scalar_one_or_none()
    if unit is None:
        raise NotFound(_l("No unit with code %(code)s in your jurisdiction.", code=code))
    if unit.level not in EVENT_LEVELS:
        raise Unprocessable(refusal)
    return unit


def event_unit(code: str) -> Unit:
    return township_or_village(code, _l("Major events are registered where they happened: a "
                                        "township or a village."))


def _check_time(occurred_at: dt.datetime) -> None:
    if occurred_at.tzinfo is None:
        raise Unprocessable(_l("Give the time with its time zone."))
    if occurred_at > utcnow() + dt.timedelta(minutes=5):
        raise Unprocessable(_l("A major event cannot have happened in the future."))


def record_event(principal: Principal, data: EventInput,
                 case_id: uuid.UUID | None = None) -> MajorEvent:
    require(principal, Permission.record_major_events)
    _check_time(data.occurred_at)
    unit = event_unit(data.unit_code)
    with committing():
        event = MajorEvent(**data.columns(unit), case_id=case_id,
                           recorded_by=principal.user_id, version=1)
        db.session.add(event)
        db.session.flush()
        record("assessment.event_recorded", object_type="major_events", object_id=event.id,
               county_id=unit.county_id,
               summary={"kind": data.kind.value, "severity": data.severity.value,
                        "unit": unit.code, "case_id": case_id})
    return event


def record_from_case(principal: Principal, case_id: uuid.UUID, kind: EventKind,
                     severity: EventSeverity, **extra: Any) -> MajorEvent:
    """Raise an event from a case: its place (village, else township), time and title are
    copied, and the case is linked. A case outside the jurisdiction is not found."""
    require(principal, Permission.record_major_events)
    case = db.session.execute(select(Case).where(Case.id == case_id)).scalar_one_or_none()
    if case is None:
        raise NotFound(_l("No such case in your jurisdiction."))
    unit_id = case.village_id or case.township_id
    code = db.session.execute(select(Unit.code).where(Unit.id == unit_id)).scalar_one_or_none()
    if code is None:
        raise Unprocessable(_l("This case lies in no township or village."))
    occurred = case.occurred_at or case.reported_at or case.created_at
    data = EventInput(
        unit_code=code, kind=kind, severity=severity, occurred_at=occurred,
        title=extra.pop("title", None) or case.title,
        people_involved=extra.pop("people_involved", None) or case.people_involved or 0,
        **{k: v for k, v in extra.items() if v is not None})
    return record_event(principal, data, case_id=case.id)


def get_event(event_id: int) -> MajorEvent:
    event = None
    if 0 < event_id < 2**31:  # beyond the column's range: no such row, not an error
        event = db.session.execute(select(MajorEvent).where(MajorEvent.id == event_id)
                                   ).scalar_one_or_none()
    if event is None:
        raise NotFound(_l("No such major event in your jurisdiction."))
    return event


def edit_event(principal: Principal, event_id: int, version: int,
               data: EventInput) -> MajorEvent:
    require(principal, Permission.record_major_events)
    _check_time(data.occurred_at)
    before = get_event(event_id)
    unit = event_unit(data.unit_code)
    values = data.columns(unit)
    changed = {k: v for k, v in values.items() if getattr(before, k) != v}
    with committing():
        won = db.session.execute(
            update(MajorEvent).where(MajorEvent.id == event_id, MajorEvent.version == version)
            .values(**values, version=MajorEvent.version + 1, updated_at=utcnow())
            .returning(MajorEvent.id)).scalar_one_or_none()
        if won is None:
            raise StaleVersion()
        record("assessment.event_edited", object_type="major_events", object_id=event_id,
               county_id=unit.county_id,
               summary={"version": version + 1,
                        "changes": {k: str(v) for k, v in changed.items()}})
    db.session.expire_all()
    return get_event(event_id)


def _filtered(filters: EventFilters) -> Select[Any]:
    query = select(MajorEvent)
    if filters.unit_code:
        query = query.where(MajorEvent.path.descendant_of(path_of(filters.unit_code)))
    if filters.kind:
        query = query.where(MajorEvent.kind == filters.kind)
    if filters.severity:
        query = query.where(MajorEvent.severity == filters.severity)
    if filters.occurred_from:
        query = query.where(MajorEvent.occurred_at >= filters.occurred_from)
    if filters.occurred_to:
        query = query.where(MajorEvent.occurred_at < filters.occurred_to)
    return query


def list_events(filters: EventFilters, page: int, page_size: int
                ) -> tuple[list[MajorEvent], int]:
    """Events within the jurisdiction, newest first, and how many there are."""
    query = _filtered(filters)
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(
        query.order_by(MajorEvent.occurred_at.desc(), MajorEvent.id.desc())
        .limit(page_size).offset((page - 1) * page_size)).scalars()
    return list(rows), int(total)


def unit_labels(unit_ids: set[int]) -> dict[int, tuple[str, str, str]]:
    """id -> (code, name, level) of the units named by some rows (one statement)."""
    if not unit_ids:
        return {}
    rows = db.session.execute(select(Unit.id, Unit.code, Unit.name, Unit.level)
                              .where(Unit.id.in_(unit_ids)))
    return {r.id: (r.code, r.name, r.level.value) for r in rows}
