"""Request and response schemas of the cases API."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from geoalchemy2.shape import to_shape
from marshmallow import Schema, fields, validate

from ..auth.roles import Department
from ..geo.schemas import LAT, LON, PLACE_CODE, BBoxField
from ..stats.indicators import Count
from ..timestamps import utcnow
from .deadlines import DeadlineState, deadline_state, stage_of
from .vocabulary import PartyKind, PartyRole, Severity, Source
from .workflow import Action, CaseState, LegalRoute, Level, Outcome

CATEGORY_CODE = validate.Regexp(r"^[0-9]{4}$", error=_l("A category code has 4 digits."))
CODE12 = validate.Regexp(r"^[0-9]{12}$", error=_l("A unit code has 12 digits."))
NOT_BLANK = validate.Regexp(r"\s*\S", error=_l("This field may not be empty."))
PHONE = validate.Regexp(r"^[0-9+\- ]{3,20}$", error=_l("Not a valid phone number."))
# Numeric(14, 2): below a trillion yuan.
AMOUNT = validate.Range(0, 10**12, max_inclusive=False)
SORTS = ("-reported_at", "reported_at", "due_at", "-due_at", "queue")
# Ids and versions are PostgreSQL integers: anything larger is refused here, not by the database.
DB_INT = validate.Range(1, 2**31 - 1)


def version_field() -> fields.Integer:
    return fields.Integer(required=True, validate=DB_INT, metadata={
        "description": "The case version you read; a stale one is refused with 409."})


class PartyIn(Schema):
    name = fields.String(required=True, validate=[validate.Length(1, 100), NOT_BLANK])
    kind = fields.Enum(PartyKind, by_value=True, load_default=PartyKind.person)
    role = fields.Enum(PartyRole, by_value=True, load_default=PartyRole.applicant)
    id_number = fields.String(load_default=None, validate=validate.Length(max=32))
    phone = fields.String(load_default=None, validate=PHONE)
    address = fields.String(load_default=None, validate=validate.Length(max=200))


class CaseIn(Schema):
    id = fields.UUID(load_default=None, metadata={
        "description": "Client-generated id: sending the same report again returns the "
                       "existing case instead of a duplicate."})
    category_code = fields.String(required=True, validate=CATEGORY_CODE,
                                  metadata={"example": "0201"})
    title = fields.String(required=True, validate=[validate.Length(1, 200), NOT_BLANK],
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
    amount_involved = fields.Decimal(load_default=None, places=2, validate=AMOUNT)
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
    due_stage = fields.Function(
        lambda c: getattr(stage_of(c.state), "value", None) if c.due_at else None,
        metadata={"description": "Whose time limit runs: accept (受理), resolve (办理) or "
                                 "follow_up (回访); null when no clock runs (suspended, "
                                 "finished)."})
    due_soon_at = fields.DateTime(allow_none=True, metadata={
        "description": "From this moment the case is due soon (将到期)."})
    due_at = fields.DateTime(allow_none=True, metadata={
        "description": "The current stage's due time."})
    deadline_state = fields.Function(
        lambda c: getattr(deadline_state(utcnow(), c.state, c.due_soon_at, c.due_at),
                          "value", None),
        metadata={"description": "normal (正常), due_soon (将到期) or overdue (超期) now; null "
                                 "when no clock runs.",
                  "enum": [s.value for s in DeadlineState]})
    rebound_count = fields.Integer()
    lon = fields.Function(lambda c: _coordinate(c, "x"), allow_none=True, metadata={
        "description": "Where it happened (WGS 84); null when reported by unit only."})
    lat = fields.Function(lambda c: _coordinate(c, "y"), allow_none=True)


def _coordinate(case: Any, axis: str) -> float | None:
    return getattr(to_shape(case.point), axis) if case.point is not None else None


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
    can_edit = fields.Boolean(metadata={
        "description": "The current user may edit the case's details and parties now."})
    outcome = fields.Enum(Outcome, by_value=True, allow_none=True)
    escalation_count = fields.Integer()
    extended = fields.Boolean()


class CasesQuery(Schema):
    state = fields.Enum(CaseState, by_value=True)
    level = fields.Enum(Level, by_value=True, metadata={"description": "Owning level."})
    severity = fields.Enum(Severity, by_value=True)
    source = fields.Enum(Source, by_value=True)
    urgent = fields.Boolean()
    mine = fields.Boolean(metadata={"description": "Only cases I reported (我上报的); false is "
                                                   "the same as leaving it out."})
    overdue = fields.Boolean(metadata={"description": "Past its due time and still open."})
    deadline_state = fields.Enum(DeadlineState, by_value=True, metadata={
        "description": "normal (正常), due_soon (将到期) or overdue (超期) now."})
    sort = fields.String(load_default="-reported_at", validate=validate.OneOf(SORTS), metadata={
        "description": "Order: -reported_at (newest first, the default), reported_at, "
                       "due_at (soonest due first; cases with no clock last), -due_at, "
                       "queue (the centre console's: overdue first, then reported and not "
                       "yet accepted, then due soon, then the rest by due time).",
        "example": "due_at"})
    category = fields.String(validate=validate.Regexp(r"^[0-9]{2}([0-9]{2})?$"))
    unit = fields.String(validate=PLACE_CODE, metadata={
        "description": "Cases located under this unit (12 digits) or in this grid cell (15)."})
    reported_from = fields.AwareDateTime()
    reported_to = fields.AwareDateTime()
    bbox = BBoxField()
    q = fields.String(validate=validate.Length(1, 100), metadata={"description": "Text."})
    handler = fields.Integer(validate=DB_INT, metadata={
        "description": "Cases this user (a mediator) handles: named as handler or holding "
                       "an active handler assignment."})
    open = fields.Boolean(metadata={
        "description": "Only open cases (reported, accepted, mediating, suspended, resolved "
                       "and waiting for the follow-up visit, or referred); false: finished."})
    active = fields.Boolean(metadata={
        "description": "Only cases in hand (accepted, mediating or suspended): a mediator's "
                       "caseload; false: all the others."})
    resolved_from = fields.AwareDateTime(metadata={"description": "Resolved at or after."})
    metric = fields.Enum(Count, by_value=True, metadata={
        "description": "The cases behind an indicator's number (see docs/INDICATORS.md): "
                       "with reported_from/reported_to for the period's counts, "
                       "visits_from/visits_to for follow-up visits. The statistics API gives "
                       "each number's query ready-made."})
    visits_from = fields.AwareDateTime(metadata={
        "description": "With metric followed_up or satisfied: visits at or after."})
    visits_to = fields.AwareDateTime(metadata={
        "description": "With metric followed_up or satisfied: visits before."})


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
    version = version_field()
    note = fields.String(validate=validate.Length(max=2000))
    reason = fields.String(validate=validate.Length(1, 2000))
    outcome = fields.Enum(Outcome, by_value=True)
    routes_explained = fields.Boolean()
    satisfied = fields.Boolean()
    mediator_id = fields.Integer(validate=DB_INT)
    target_unit_id = fields.Integer(validate=DB_INT)
    duplicate_of = fields.UUID()
    route = fields.Enum(LegalRoute, by_value=True)
    receiver = fields.String(validate=validate.Length(1, 200))
    departments = fields.List(fields.Enum(Department, by_value=True),
                              validate=validate.Length(1, 7))
    subtask_id = fields.Integer(validate=DB_INT)
    result = fields.String(validate=validate.Length(1, 2000))
    summary = fields.String(validate=validate.Length(1, 5000))
    place = fields.String(validate=validate.Length(max=200))
    participants = fields.List(fields.String(validate=validate.Length(1, 100)),
                               validate=validate.Length(max=50))
    held_at = fields.AwareDateTime()
    parties_consent = fields.Boolean()


class CaseEditIn(Schema):
    """The descriptive fields of a case: send only those that change, with the version read."""

    version = version_field()
    title = fields.String(validate=[validate.Length(1, 200), NOT_BLANK])
    description = fields.String(validate=validate.Length(max=5000))
    address = fields.String(allow_none=True, validate=validate.Length(max=200))
    people_involved = fields.Integer(validate=validate.Range(0, 1000000))
    amount_involved = fields.Decimal(allow_none=True, places=2, validate=AMOUNT)
    occurred_at = fields.AwareDateTime()


class PartyAddIn(PartyIn):
    version = version_field()


class PartyEditIn(Schema):
    """The fields of one party that change; null clears an ID number, phone or address."""

    version = version_field()
    name = fields.String(validate=[validate.Length(1, 100), NOT_BLANK])
    kind = fields.Enum(PartyKind, by_value=True)
    role = fields.Enum(PartyRole, by_value=True)
    id_number = fields.String(allow_none=True, validate=validate.Length(max=32))
    phone = fields.String(allow_none=True, validate=PHONE)
    address = fields.String(allow_none=True, validate=validate.Length(max=200))


class VersionQuery(Schema):
    version = version_field()


class PartySaved(PartyOut):
    case_version = fields.Integer(metadata={
        "description": "The case's version after this change: send it with the next one."})


# --- request examples (OpenAPI); each loads through its schema (a test checks) ---------------

CASE_EXAMPLE = {
    "category_code": "0201", "title": "两户因院墙界址发生争执",
    "description": "保南村三组村民张建国翻建院墙时占用邻居李玉梅家宅基地约半米，双方多次"
                   "争吵，请求村调委会调解。",
    "source": "grid_worker", "severity": "general", "is_urgent": False,
    "unit_code": "150521100201", "address": "保南村三组12号", "people_involved": 2,
    "amount_involved": 3000, "occurred_at": "2026-03-10T08:30:00+08:00",
    "parties": [
        {"name": "张建国", "kind": "person", "role": "applicant",
         "id_number": "150521199001011231", "phone": "13812345678", "address": "保南村三组12号"},
        {"name": "李玉梅", "kind": "person", "role": "respondent",
         "id_number": "150521198506122020", "phone": "13947512345", "address": "保南村三组14号"},
    ],
}

UNMASK_EXAMPLE = {"reason": "电话联系申请人，确认调解时间"}

CASE_EDIT_EXAMPLE = {
    "version": 3, "title": "两户因院墙界址及排水沟发生争执", "address": "保南村三组12号东侧",
    "people_involved": 3, "amount_involved": 4500,
}

PARTY_ADD_EXAMPLE = {
    "version": 3, "name": "王淑华", "kind": "person", "role": "other",
    "id_number": "150521197211033026", "phone": "13904751234", "address": "保南村三组16号",
}

PARTY_EDIT_EXAMPLE = {"version": 4, "phone": "13904756789", "address": "保南村四组5号"}


def _example(summary: str, /, **value: object) -> dict[str, object]:
    return {"summary": summary, "value": value}


TRANSITION_EXAMPLES = {
    "accept": _example("受理 accept", action="accept", version=1,
                       note="经网格员核实，情况属实，予以受理"),
    "assign": _example("分派调解员 assign", action="assign", version=2, mediator_id=7,
                       note="指派村调委会调解员负责调解"),
    "record_session": _example(
        "记录调解 record a session", action="record_session", version=3,
        summary="双方到场，核对宅基地证和界桩位置，张建国承认院墙越界约半米",
        result="双方同意由村委会组织重新测量界址", place="保南村综治工作站调解室",
        participants=["张建国", "李玉梅", "村调委会主任"], held_at="2026-03-12T09:30:00+08:00"),
    "resolve": _example("化解：书面协议 resolve", action="resolve", version=4,
                        outcome="written_agreement",
                        note="双方签订调解协议书，张建国十日内拆除越界部分院墙"),
    "resolve_terminated": _example(
        "终止调解 resolve: terminated", action="resolve", version=4, outcome="terminated",
        routes_explained=True, note="双方分歧较大，已告知可向人民法院起诉"),
    "escalate": _example("上交 escalate", action="escalate", version=2,
                         note="涉及土地确权，村级无法化解，上交镇综治中心"),
    "refer": _example("转办 refer", action="refer", version=3, route="litigation",
                      receiver="科尔沁左翼中旗人民法院", note="一方坚持诉讼，引导至人民法院"),
    "follow_up": _example("回访 follow up", action="follow_up", version=5, satisfied=True,
                          note="回访双方，协议已履行完毕，均表示满意"),
    "reject": _example("不予受理 reject", action="reject", version=1,
                       reason="属于不动产权属登记事项，不属于矛盾纠纷受理范围，已告知当事人"
                              "向不动产登记中心申请"),
}
