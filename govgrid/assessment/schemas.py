"""Request and response schemas of the assessment API, with the examples the OpenAPI
document shows (tests parse each with its endpoint's schema)."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from .vocabulary import EventKind, EventSeverity, Factor, SanctionState, Step

UNIT_CODE = validate.Regexp(r"^[0-9]{12}$", error=_l("A unit code has 12 digits."))
COUNT = validate.Range(0, 100_000, error=_l("Enter a number from 0 to 100,000."))
VERSION = validate.Range(1, 2**31 - 1, error=_l("Send the version you read."))
YEAR = validate.Range(2000, 2100, error=_l("Enter a year between 2000 and 2100."))
DAY = validate.Range(dt.date(2000, 1, 1), dt.date(2100, 12, 31),
                     error=_l("Enter a day between 2000 and 2100."))
SHA256 = validate.Regexp(r"^[0-9a-f]{64}$", error=_l("A file is named by its SHA-256 digest "
                                                      "(64 hexadecimal digits)."))


def one_of(enum: type, error: object) -> validate.OneOf:
    return validate.OneOf([member.value for member in enum], error=error)


KIND = one_of(EventKind, _l("The kind is mass_incident, homicide, major_crime or "
                            "public_safety_accident."))
SEVERITY = one_of(EventSeverity, _l("The severity is ordinary, serious, major or "
                                    "especially_serious."))
STEP = one_of(Step, _l("The step is notice, interview, supervision or veto."))
STATE = one_of(SanctionState, _l("Not a sanction state."))
FACTOR = one_of(Factor, _l("The factors are late_report, concealment, obstruction, "
                           "prompt_remedy and cooperation."))
TITLE = validate.Length(1, 200, error=_l("The title has 1 to 200 characters."))
TEXT = validate.Length(max=10_000, error=_l("At most 10,000 characters."))
REASON = validate.Length(1, 2000, error=_l("Give a reason of 1 to 2,000 characters."))


class EventFields(Schema):
    kind = fields.String(required=True, validate=KIND)
    severity = fields.String(required=True, validate=SEVERITY, metadata={
        "description": "一般 ordinary, 较大 serious, 重大 major, 特别重大 especially_serious"})
    summary = fields.String(load_default="", validate=TEXT)
    deaths = fields.Integer(load_default=0, validate=COUNT)
    injuries = fields.Integer(load_default=0, validate=COUNT)
    people_involved = fields.Integer(load_default=0, validate=COUNT)
    reported_late = fields.Boolean(load_default=False, metadata={"description": "迟报"})
    concealed = fields.Boolean(load_default=False, metadata={"description": "瞒报 or 谎报"})


class EventIn(EventFields):
    unit = fields.String(required=True, validate=UNIT_CODE, metadata={
        "description": "The township or village where it happened."})
    occurred_at = fields.AwareDateTime(required=True)
    title = fields.String(required=True, validate=TITLE)


class EventEditIn(EventIn):
    version = fields.Integer(required=True, validate=VERSION)


class EventFromCaseIn(EventFields):
    case_id = fields.UUID(required=True)
    title = fields.String(load_default=None, validate=TITLE, metadata={
        "description": "The case's title if left out."})
    people_involved = fields.Integer(load_default=None, validate=COUNT, metadata={
        "description": "The case's figure if left out."})


EVENT_EXAMPLE = {"unit": "150521100000", "kind": "mass_incident", "severity": "serious",
                 "occurred_at": "2026-03-08T09:30:00+08:00", "title": "某村征地补偿群体性上访",
                 "summary": "约60名村民聚集镇政府门前。", "people_involved": 60,
                 "reported_late": False, "concealed": False}
EVENT_EDIT_EXAMPLE = {**EVENT_EXAMPLE, "version": 1}
FROM_CASE_EXAMPLE = {"case_id": "0b6f4a0e-3c1d-4a51-9f0e-6b1c2d3e4f50",
                     "kind": "public_safety_accident", "severity": "ordinary", "injuries": 2}


class EventQuery(Schema):
    unit = fields.String(validate=UNIT_CODE, metadata={
        "description": "Events in this unit and the units below it."})
    kind = fields.String(validate=KIND)
    severity = fields.String(validate=SEVERITY)
    occurred_from = fields.Date(data_key="from", validate=DAY, metadata={
        "description": "First day (Beijing time), included."})
    occurred_to = fields.Date(data_key="to", validate=DAY, metadata={
        "description": "Last day (Beijing time), included."})


class AssessmentUnitOut(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.String()


class MajorEventOut(Schema):
    id = fields.Integer()
    unit = fields.Nested(AssessmentUnitOut)
    kind = fields.String()
    severity = fields.String()
    occurred_at = fields.DateTime()
    title = fields.String()
    summary = fields.String()
    deaths = fields.Integer()
    injuries = fields.Integer()
    people_involved = fields.Integer()
    case_id = fields.UUID(allow_none=True, metadata={"description": "The case it was raised "
                                                                    "from."})
    reported_late = fields.Boolean()
    concealed = fields.Boolean()
    recorded_by = fields.Integer(allow_none=True)
    version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class SchemeQuery(Schema):
    year = fields.Integer(validate=YEAR, metadata={"description": "This year if left out."})


class SchemeCreateIn(Schema):
    year = fields.Integer(required=True, validate=YEAR)
    note = fields.String(load_default=None, validate=validate.Length(max=2000))


class SchemeEditIn(Schema):
    revision = fields.Integer(required=True, validate=VERSION, metadata={
        "description": "The draft's revision you read (optimistic lock)."})
    data = fields.Dict(required=True, metadata={
        "description": "The whole scheme, every key (docs/ASSESSMENT.md)."})
    note = fields.String(load_default=None, validate=validate.Length(max=2000))


class SchemeActivateIn(Schema):
    revision = fields.Integer(required=True, validate=VERSION)


class SchemeOut(Schema):
    id = fields.Integer()
    year = fields.Integer()
    version = fields.Integer(metadata={"description": "1, 2, … within the county and year; "
                                                      "results name it."})
    revision = fields.Integer(metadata={"description": "Send it back to edit or activate."})
    status = fields.String(metadata={"description": "draft, active or retired"})
    note = fields.String(allow_none=True)
    data = fields.Dict()
    created_by = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    activated_at = fields.DateTime(allow_none=True)


SCHEME_CREATE_EXAMPLE = {"year": 2026, "note": "2026年度考核方案（征求意见稿）"}
SCHEME_ACTIVATE_EXAMPLE = {"revision": 1}


class SanctionIn(Schema):
    unit = fields.String(required=True, validate=UNIT_CODE)
    step = fields.String(required=True, validate=STEP)
    reason = fields.String(required=True, validate=REASON)
    factors = fields.List(fields.String(validate=FACTOR), load_default=list,
                          validate=validate.Length(max=5))
    event_ids = fields.List(fields.Integer(validate=VERSION), load_default=list,
                            validate=validate.Length(max=100))
    case_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=100))


SANCTION_EXAMPLE = {"unit": "150521100000", "step": "notice",
                    "reason": "群众反映强烈的问题长期未解决。", "factors": ["late_report"]}


class SanctionQuery(Schema):
    unit = fields.String(validate=UNIT_CODE, metadata={
        "description": "Sanctions of this unit and the units below it."})
    state = fields.String(validate=STATE)
    step = fields.String(validate=STEP)


class ConfirmIn(Schema):
    version = fields.Integer(required=True, validate=VERSION)
    factors = fields.List(fields.String(validate=FACTOR), load_default=None,
                          validate=validate.Length(max=5), metadata={
                              "description": "从重/从轻 factors; the proposal's if left out."})
    reason = fields.String(load_default=None, validate=validate.Length(max=2000))


class DismissIn(Schema):
    version = fields.Integer(required=True, validate=VERSION)
    reason = fields.String(required=True, validate=REASON)


CONFIRM_EXAMPLE = {"version": 1, "factors": ["cooperation"], "reason": "证据属实。"}
DISMISS_EXAMPLE = {"version": 1, "reason": "该事件已由上级认定为不可抗力。"}


class RectificationIn(Schema):
    text = fields.String(required=True, validate=validate.Length(
        1, 10_000, error=_l("Describe what was rectified (up to 10,000 characters).")))
    attachments = fields.List(fields.String(validate=SHA256), load_default=list,
                              validate=validate.Length(max=20))


class ReviewIn(Schema):
    version = fields.Integer(required=True, validate=VERSION)
    accept = fields.Boolean(required=True)
    note = fields.String(load_default=None, validate=validate.Length(max=2000))


RECTIFICATION_EXAMPLE = {"text": "已召开专题会议，建立矛盾纠纷排查台账并逐件化解。",
                         "attachments": []}
REVIEW_EXAMPLE = {"version": 1, "accept": True, "note": "整改到位。"}


class RectificationOut(Schema):
    id = fields.Integer()
    sanction_id = fields.Integer()
    submitted_by = fields.Integer(allow_none=True)
    submitted_at = fields.DateTime()
    text = fields.String()
    attachments = fields.List(fields.String())
    accepted = fields.Boolean(allow_none=True, metadata={"description": "null: not reviewed"})
    reviewed_by = fields.Integer(allow_none=True)
    reviewed_at = fields.DateTime(allow_none=True)
    review_note = fields.String(allow_none=True)
    version = fields.Integer()


class SanctionOut(Schema):
    id = fields.Integer()
    unit = fields.Nested(AssessmentUnitOut)
    step = fields.String()
    state = fields.String()
    trigger = fields.String(metadata={"description": "The rule that proposed it, or manual."})
    params = fields.Dict()
    evidence = fields.Dict(metadata={"description": "Event ids, case ids, figures and the "
                                                    "scheme version that triggered it."})
    factors = fields.List(fields.String())
    reason = fields.String(allow_none=True)
    proposed_by = fields.Integer(allow_none=True, metadata={"description": "null: the rules"})
    proposed_at = fields.DateTime()
    decided_by = fields.Integer(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    confirmed_at = fields.DateTime(allow_none=True)
    deadline = fields.DateTime(allow_none=True, metadata={"description": "Rectification due."})
    disqualified_until = fields.DateTime(allow_none=True)
    rectified_at = fields.DateTime(allow_none=True)
    superseded_by_id = fields.Integer(allow_none=True)
    version = fields.Integer()
    rectifications = fields.List(fields.Nested(RectificationOut))
