"""Request and response schemas of the time-limit API: the policy, the calendar, extension
requests and supervision orders."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..cases.vocabulary import Severity
from ..cases.workflow import Level
from .calendar import DayKind
from .models import RequestState

DAYS = validate.Range(1, 365)
SHARE = validate.Range(0, 1, min_inclusive=False, max_inclusive=False)
CATEGORY_PREFIX = validate.Regexp(r"^[0-9]{2}([0-9]{2})?$",
                                  error=_l("A category code has 2 or 4 digits."))
TEXT = validate.Length(1, 2000)
NOT_BLANK = validate.Regexp(r"\s*\S", error=_l("This field may not be empty."))
DB_INT = validate.Range(0, 2**31 - 1)


class RuleSchema(Schema):
    days = fields.Integer(required=True, validate=DAYS)
    level = fields.Enum(Level, by_value=True, load_default=None)
    category = fields.String(load_default=None, validate=CATEGORY_PREFIX)
    severity = fields.Enum(Severity, by_value=True, load_default=None)


class UrgentSchema(Schema):
    county_hours = fields.Float(validate=validate.Range(0.25, 72))
    upper_hours = fields.Float(validate=validate.Range(0.25, 72))
    general_hours = fields.Float(validate=validate.Range(0.25, 72))
    alarm_share = fields.Float(validate=SHARE)
    categories = fields.List(fields.String(validate=CATEGORY_PREFIX), validate=validate.Length(
        max=50))


class PolicySchema(Schema):
    """Every field optional on input: what is left out keeps its default (DESIGN §5)."""

    day_kind = fields.Enum(DayKind, by_value=True, metadata={
        "description": "natural (自然日) or working (工作日, holidays and 调休 counted)."})
    accept_hours = fields.Float(validate=validate.Range(1, 720))
    resolve_days = fields.Dict(keys=fields.Enum(Severity, by_value=True),
                               values=fields.Integer(validate=DAYS))
    follow_up_days = fields.Integer(validate=DAYS)
    rules = fields.List(fields.Nested(RuleSchema), validate=validate.Length(max=200), metadata={
        "description": "Resolution limits by level, category (code or prefix) and severity; "
                       "the most specific matching rule wins over the category's own limit "
                       "and the severity's default."})
    due_soon_share = fields.Float(validate=SHARE, metadata={
        "description": "将到期 in the last share of a stage's time (0.2 = last 20 %)."})
    urge_after_days = fields.Integer(validate=DAYS)
    supervise_after_days = fields.Integer(validate=DAYS)
    supervision_reply_days = fields.Integer(validate=DAYS)
    escalate_after_days = fields.Dict(
        keys=fields.String(validate=validate.OneOf(["village", "township"])),
        values=fields.Integer(validate=DAYS), metadata={
            "description": "Automatic escalation after this many overdue days, per holding "
                           "level; leave a level out for never."})
    extension_max_days = fields.Integer(validate=DAYS)
    urgent = fields.Nested(UrgentSchema)


class PolicyIn(Schema):
    version = fields.Integer(required=True, validate=DB_INT, metadata={
        "description": "The version you read (0 when the county never changed the "
                       "defaults); a stale one is refused with 409."})
    policy = fields.Nested(PolicySchema, required=True)


class PolicyOut(Schema):
    version = fields.Integer()
    updated_at = fields.DateTime(allow_none=True)
    policy = fields.Dict()
    calendar_known_until = fields.Date(metadata={
        "description": "The installed holiday calendar's last day; after it, only the "
                       "county's own days and weekends count."})


POLICY_EXAMPLE = {"version": 0, "policy": {
    "day_kind": "working", "resolve_days": {"general": 7, "major": 15, "serious": 30},
    "rules": [{"days": 5, "level": "village", "category": "02", "severity": "general"}],
    "supervise_after_days": 3, "escalate_after_days": {"village": 5, "township": 10}}}


class CalendarDayIn(Schema):
    day = fields.Date(required=True)
    is_workday = fields.Boolean(required=True, metadata={
        "description": "true: a make-up working day (调休上班); false: a day off."})
    note = fields.String(load_default=None, validate=validate.Length(max=100))


class CalendarDaysIn(Schema):
    days = fields.List(fields.Nested(CalendarDayIn), required=True,
                       validate=validate.Length(1, 400))


class CalendarDayOut(Schema):
    day = fields.Date()
    is_workday = fields.Boolean()
    note = fields.String(allow_none=True)


class CalendarQuery(Schema):
    year = fields.Integer(required=True, validate=validate.Range(2000, 2100),
                          metadata={"example": 2027})


CALENDAR_EXAMPLE = {"days": [
    {"day": "2027-02-06", "is_workday": False, "note": "春节"},
    {"day": "2027-02-20", "is_workday": True, "note": "春节调休上班"}]}


class ExtensionIn(Schema):
    days = fields.Integer(required=True, validate=DAYS)
    reason = fields.String(required=True, validate=[TEXT, NOT_BLANK])


EXTENSION_EXAMPLE = {"days": 7, "reason": "双方当事人需等待土地确权结果，申请延期七日"}


class DecisionIn(Schema):
    version = fields.Integer(required=True, validate=DB_INT)
    approve = fields.Boolean(required=True)
    note = fields.String(load_default=None, validate=validate.Length(max=2000))

    @validates_schema
    def refusal_needs_reason(self, data: dict, **kwargs: object) -> None:
        if not data.get("approve") and not (data.get("note") or "").strip():
            raise ValidationError(_l("Say why the extension is refused."), field_name="note")


DECISION_EXAMPLE = {"version": 1, "approve": True, "note": "同意延期"}


class ExtensionOut(Schema):
    id = fields.Integer()
    case_id = fields.UUID()
    version = fields.Integer()
    state = fields.Enum(RequestState, by_value=True)
    days = fields.Integer()
    reason = fields.String()
    requested_by = fields.Integer()
    requesting_unit_id = fields.Integer()
    approver_unit_id = fields.Integer()
    due_before = fields.DateTime(allow_none=True)
    due_after = fields.DateTime(allow_none=True)
    decided_by = fields.Integer(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    decision_note = fields.String(allow_none=True)
    created_at = fields.DateTime()


class SupervisionIn(Schema):
    reason = fields.String(required=True, validate=[TEXT, NOT_BLANK])
    reply_days = fields.Integer(load_default=None, validate=DAYS)


SUPERVISION_EXAMPLE = {"reason": "该纠纷超期未化解，请于三日内报告进展", "reply_days": 3}


class ReplyIn(Schema):
    version = fields.Integer(required=True, validate=DB_INT)
    reply = fields.String(required=True, validate=[TEXT, NOT_BLANK])


REPLY_EXAMPLE = {"version": 1, "reply": "已组织双方再次调解，预计本周内达成协议"}


class SupervisionOut(Schema):
    id = fields.Integer()
    case_id = fields.UUID()
    version = fields.Integer()
    issuing_unit_id = fields.Integer()
    target_unit_id = fields.Integer()
    issued_by = fields.Integer(allow_none=True)
    issued_at = fields.DateTime()
    reason = fields.String()
    overdue_days = fields.Integer(allow_none=True)
    reply_due_at = fields.DateTime()
    reply = fields.String(allow_none=True)
    replied_by = fields.Integer(allow_none=True)
    replied_at = fields.DateTime(allow_none=True)


class OpenOrdersQuery(Schema):
    unit_id = fields.Integer(validate=validate.Range(1, 2**31 - 1), metadata={
        "description": "Only orders addressed to this unit."})
