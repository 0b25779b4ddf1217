"""Request and response schemas of the cases API."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from ..auth.roles import Department
from ..geo.schemas import LAT, LON, BBoxField
from .vocabulary import PartyKind, PartyRole, Severity, Source
from .workflow import Action, CaseState, LegalRoute, Level, Outcome

CATEGORY_CODE = validate.Regexp(r"^[0-9]{4}$", error=_l("A category code has 4 digits."))
CODE12 = validate.Regexp(r"^[0-9]{12}$", error=_l("A unit code has 12 digits."))


class PartyIn(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 100))
    kind = fields.Enum(PartyKind, by_value=True, load_default=PartyKind.person)
    role = fields.Enum(PartyRole, by_value=True, load_default=PartyRole.applicant)
    id_number = fields.String(load_default=None, validate=validate.Length(max=32))
    phone = fields.String(load_default=None, validate=validate.Regexp(
        r"^[0-9+\- ]{3,20}$", error=_l("Not a valid phone number.")))
    address = fields.String(load_default=None, validate=validate.Length(max=200))


class CaseIn(Schema):
    id = fields.UUID(load_default=None, metadata={
        "description": "Client-generated id: sending the same report again returns the "
                       "existing case instead of a duplicate."})
    category_code = fields.String(required=True, validate=CATEGORY_CODE,
                                  metadata={"example": "0201"})
    title = fields.String(required=True, validate=validate.Length(1, 200),
                          metadata={"example": "两户因院墙界址发生争执"})
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    source = fields.Enum(Source, by_value=True, required=True)
    severity = fields.Enum(Severity, by_value=True, load_default=None)
    is_urgent = fields.Boolean(load_default=False)
    lon = fields.Float(load_default=None, validate=LON, metadata={"example": 122.71})
    lat = fields.Float(load_default=None, validate=LAT, metadata={"example": 43.97})
    accuracy_m = fields.Float(load_default=None, validate=validate.Range(0, 100000))
    address = fields.String(load_default=None, validate=validate.Length(max=200))
    unit_code = fields.String(load_default=None, validate=CODE12)
    people_involved = fields.Integer(load_default=0, validate=validate.Range(0, 1000000))
    amount_involved = fields.Decimal(load_default=None, places=2,
                                     validate=validate.Range(0, 10**12))
    occurred_at = fields.AwareDateTime(load_default=None)
    parties = fields.List(fields.Nested(PartyIn), load_default=list,
                          validate=validate.Length(max=50))


class PartyOut(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.Enum(PartyKind, by_value=True)
    role = fields.Enum(PartyRole, by_value=True)
    id_number = fields.String(attribute="id_number_masked", allow_none=True,
                              metadata={"description": "Masked: 150521********1231"})
    phone = fields.String(attribute="phone_masked", allow_none=True,
                          metadata={"description": "Masked: 138****5678"})
    address = fields.String(allow_none=True)


class EventOut(Schema):
    action = fields.String()
    from_state = fields.String(allow_none=True)
    to_state = fields.String()
    actor_id = fields.Integer(allow_none=True)
    actor_unit_id = fields.Integer(allow_none=True)
    at = fields.DateTime()
    note = fields.String(allow_none=True)


class CaseOut(Schema):
    id = fields.UUID()
    title = fields.String()
    description = fields.String()
    state = fields.Enum(CaseState, by_value=True)
    version = fields.Integer()
    category_code = fields.String(attribute="category.code")
    category_name = fields.String(attribute="category.name")
    severity = fields.Enum(Severity, by_value=True)
    is_urgent = fields.Boolean()
    source = fields.Enum(Source, by_value=True)
    owner_level = fields.String(attribute="owner_level.value")
    owner_unit_id = fields.Integer()
    village_id = fields.Integer(allow_none=True)
    township_id = fields.Integer(allow_none=True)
    grid_cell_id = fields.Integer(allow_none=True)
    address = fields.String(allow_none=True)
    people_involved = fields.Integer()
    amount_involved = fields.Decimal(as_string=True, allow_none=True)
    reporter_id = fields.Integer(allow_none=True)
    handler_id = fields.Integer(allow_none=True)
    reported_at = fields.DateTime(allow_none=True)
    due_at = fields.DateTime(allow_none=True)
    rebound_count = fields.Integer()


class DuplicateOut(Schema):
    id = fields.UUID()
    title = fields.String()
    state = fields.String()
    reported_at = fields.DateTime()
    distance_m = fields.Float(allow_none=True)


class CaseDetail(CaseOut):
    parties = fields.List(fields.Nested(PartyOut))
    timeline = fields.List(fields.Nested(EventOut))
    possible_duplicates = fields.List(fields.Nested(DuplicateOut), metadata={
        "description": "On a new report: open cases of the same category nearby, offered "
                       "for merging (action merge with duplicate_of)."})
    available_actions = fields.List(fields.String(), metadata={
        "description": "What the current user may do with the case now."})
    outcome = fields.Enum(Outcome, by_value=True, allow_none=True)
    escalation_count = fields.Integer()
    extended = fields.Boolean()


class CasesQuery(Schema):
    state = fields.Enum(CaseState, by_value=True)
    level = fields.Enum(Level, by_value=True, metadata={"description": "Owning level."})
    severity = fields.Enum(Severity, by_value=True)
    source = fields.Enum(Source, by_value=True)
    urgent = fields.Boolean()
    overdue = fields.Boolean(metadata={"description": "Past its due time and still open."})
    category = fields.String(validate=validate.Regexp(r"^[0-9]{2}([0-9]{2})?$"))
    unit = fields.String(validate=CODE12, metadata={"description": "Cases located under it."})
    reported_from = fields.AwareDateTime()
    reported_to = fields.AwareDateTime()
    bbox = BBoxField()
    q = fields.String(validate=validate.Length(1, 100), metadata={"description": "Text."})


class UnmaskIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(2, 200), metadata={
        "description": "Why the data is needed (recorded in the audit trail)."})


class UnmaskedOut(Schema):
    id_number = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)


class TransitionIn(Schema):
    """One action on a case. Which fields are required depends on the action (see the
    workflow table); a missing one is refused with 422 naming it."""

    action = fields.Enum(Action, by_value=True, required=True, metadata={"example": "accept"})
    version = fields.Integer(required=True, metadata={
        "description": "The case version you read; a stale one is refused with 409."})
    note = fields.String(validate=validate.Length(max=2000))
    reason = fields.String(validate=validate.Length(1, 2000))
    outcome = fields.Enum(Outcome, by_value=True)
    routes_explained = fields.Boolean()
    satisfied = fields.Boolean()
    mediator_id = fields.Integer()
    target_unit_id = fields.Integer()
    duplicate_of = fields.UUID()
    route = fields.Enum(LegalRoute, by_value=True)
    receiver = fields.String(validate=validate.Length(1, 200))
    departments = fields.List(fields.Enum(Department, by_value=True),
                              validate=validate.Length(1, 7))
    subtask_id = fields.Integer()
    result = fields.String(validate=validate.Length(1, 2000))
    summary = fields.String(validate=validate.Length(1, 5000))
    place = fields.String(validate=validate.Length(max=200))
    participants = fields.List(fields.String(validate=validate.Length(1, 100)),
                               validate=validate.Length(max=50))
    held_at = fields.AwareDateTime()
    parties_consent = fields.Boolean()
