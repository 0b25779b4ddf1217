"""Mediation records API: sessions, written agreements with their judicial confirmation, and
follow-up visits of a case. Every route reads the case first (jurisdiction-scoped), so a case
out of reach is 404 here as everywhere."""

from __future__ import annotations

import uuid
from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from ..auth.principal import current_principal
from . import agreements
from .confirmation import confirmation_deadline
from .records import ConfirmationStatus

bp = Blueprint("agreements", __name__, description="Mediation records, agreements and "
               "follow-ups 调解记录、调解协议书与回访")

TEXT = validate.Length(1, 10000)


class AgreementIn(Schema):
    facts = fields.String(required=True, validate=TEXT, metadata={
        "description": "纠纷的主要事实、争议事项以及各方当事人的责任"})
    terms = fields.String(required=True, validate=TEXT, metadata={
        "description": "当事人达成调解协议的内容"})
    performance = fields.String(required=True, validate=TEXT, metadata={
        "description": "履行的方式、期限"})
    signed_on = fields.Date(load_default=None, metadata={
        "description": "Date of signing (printed on the agreement); today if omitted."})
    effective_on = fields.Date(load_default=None, metadata={
        "description": "Date it takes effect; the signing date if omitted, never before it."})
    committee = fields.String(load_default=None, validate=validate.Length(max=100), metadata={
        "description": "人民调解委员会; the holding unit's committee if omitted."})
    amount = fields.Decimal(load_default=None, places=2, validate=validate.Range(0, 10**12))
    mediator_id = fields.Integer(load_default=None, metadata={
        "description": "The mediator who signs; the case's handler if omitted."})


class ConfirmationIn(Schema):
    version = fields.Integer(required=True, metadata={
        "description": "The agreement version you read; a stale one is refused with 409."})
    status = fields.Enum(ConfirmationStatus, by_value=True, required=True)
    court = fields.String(load_default=None, validate=validate.Length(1, 100),
                          metadata={"example": "科尔沁左翼中旗人民法院"})
    applied_on = fields.Date(load_default=None)
    decided_on = fields.Date(load_default=None)
    note = fields.String(load_default=None, validate=validate.Length(max=2000))


# Request examples for the OpenAPI document: a right-of-way dispute (0201 相邻通行纠纷) in
# 保南村, 保康镇, settled by the township's committee.
AGREEMENT_EXAMPLE = {
    "facts": "申请人张建国与被申请人李海军系保南村前后院邻居。2026年10月，李海军在两户之间的"
             "通道上堆放玉米秸秆，致张建国家农用车无法通行，双方为此多次发生争吵。",
    "terms": "一、李海军于2026年11月15日前清除通道上堆放的秸秆，今后不再占用该通道；"
             "二、李海军一次性赔偿张建国因无法通行而租用车辆的费用人民币叁佰元整"
             "（¥300.00）；"
             "三、双方今后互谅互让，和睦相处。",
    "performance": "第一项由李海军自行清理，保南村村民委员会于2026年11月16日现场确认；"
                   "第二项由李海军于签订本协议当日以现金方式当面付清。",
    "signed_on": "2026-11-10",
    "effective_on": "2026-11-10",
    "committee": "保康镇人民调解委员会",
    "amount": "300.00",
    "mediator_id": 7,
}
CONFIRMATION_EXAMPLES = {
    "applied": {
        "summary": "The parties applied to the court for judicial confirmation",
        "value": {"version": 1, "status": "applied", "court": "科尔沁左翼中旗人民法院",
                  "applied_on": "2026-11-18", "note": "双方当事人共同到庭提出申请"},
    },
    "confirmed": {
        "summary": "The court confirmed the agreement",
        "value": {"version": 2, "status": "confirmed", "decided_on": "2026-11-20",
                  "note": "（2026）内0521民特123号民事裁定书确认调解协议有效"},
    },
}


class AgreementOut(Schema):
    id = fields.Integer()
    case_id = fields.UUID()
    number = fields.String(metadata={"example": "科左中调字〔2026〕第0012号"})
    committee = fields.String()
    facts = fields.String()
    terms = fields.String()
    performance = fields.String()
    amount = fields.Decimal(as_string=True, allow_none=True)
    mediator_id = fields.Integer(allow_none=True)
    signed_on = fields.Date()
    effective_on = fields.Date()
    confirmation_status = fields.Enum(ConfirmationStatus, by_value=True)
    confirmation_court = fields.String(allow_none=True)
    confirmation_applied_on = fields.Date(allow_none=True)
    confirmation_decided_on = fields.Date(allow_none=True)
    confirmation_note = fields.String(allow_none=True)
    confirmation_deadline = fields.Method("_deadline", metadata={
        "description": "Last day to apply for judicial confirmation (effective_on + 30 days)."})
    version = fields.Integer()
    created_at = fields.DateTime()
    print_url = fields.Method("_print_url")

    def _deadline(self, agreement: Any) -> str:
        return confirmation_deadline(agreement).isoformat()

    def _print_url(self, agreement: Any) -> str:
        return url_for("cases_pages.agreement_print", case_id=agreement.case_id,
                       agreement_id=agreement.id)


class MediationSessionOut(Schema):
    id = fields.Integer()
    held_at = fields.DateTime()
    place = fields.String(allow_none=True)
    participants = fields.List(fields.String())
    summary = fields.String()
    result = fields.String(allow_none=True)
    mediator_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()


class FollowUpOut(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor_id = fields.Integer(allow_none=True)
    actor_unit_id = fields.Integer(allow_none=True)
    satisfied = fields.Boolean(allow_none=True)
    note = fields.String(allow_none=True)
    reopened = fields.Boolean(metadata={
        "description": "The visit found the dispute unsettled and reopened the case."})


@bp.route("/cases/<uuid:case_id>/agreements")
class Agreements(MethodView):
    @bp.response(200, AgreementOut(many=True))
    @bp.alt_response(404, description="No such case within your jurisdiction.")
    def get(self, case_id: uuid.UUID) -> Any:
        """The written agreements (调解协议书) of a case"""
        return agreements.list_agreements(case_id)

    @bp.arguments(AgreementIn, example=AGREEMENT_EXAMPLE)
    @bp.response(201, AgreementOut)
    @bp.alt_response(403, description="Only those who handle the case may record it.")
    @bp.alt_response(404, description="No such case within your jurisdiction.")
    @bp.alt_response(409, description="The case is not being mediated nor resolved.")
    @bp.alt_response(422, description="Invalid fields, a case with no parties registered, "
                                      "an effective date before the signing date, or an "
                                      "unknown mediator.")
    def post(self, args: dict[str, Any], case_id: uuid.UUID) -> Any:
        """Record a written agreement; it is numbered per county and year"""
        args["signed_on"] = args["signed_on"] or agreements.china_today()
        return agreements.create_agreement(current_principal(), case_id,
                                           agreements.AgreementInput(**args))


@bp.route("/cases/<uuid:case_id>/agreements/<int:agreement_id>")
class AgreementResource(MethodView):
    @bp.response(200, AgreementOut)
    @bp.alt_response(404, description="No such case within your jurisdiction, or no such "
                                      "agreement of it.")
    def get(self, case_id: uuid.UUID, agreement_id: int) -> Any:
        """One agreement with its judicial confirmation"""
        return agreements.get_agreement(case_id, agreement_id)

    @bp.arguments(ConfirmationIn, examples=CONFIRMATION_EXAMPLES)
    @bp.response(200, AgreementOut)
    @bp.alt_response(403, description="Only those who handle the case may record it.")
    @bp.alt_response(404, description="No such case within your jurisdiction, or no such "
                                      "agreement of it.")
    @bp.alt_response(409, description="Stale version.")
    @bp.alt_response(422, description="Refused by the rules of judicial confirmation, e.g. "
                                      "applied for more than 30 days after taking effect.")
    def patch(self, args: dict[str, Any], case_id: uuid.UUID, agreement_id: int) -> Any:
        """Record judicial confirmation (司法确认): applied for, confirmed or rejected"""
        return agreements.update_confirmation(current_principal(), case_id, agreement_id,
                                              **args)


@bp.route("/cases/<uuid:case_id>/sessions")
class Sessions(MethodView):
    @bp.response(200, MediationSessionOut(many=True))
    @bp.alt_response(404, description="No such case within your jurisdiction.")
    def get(self, case_id: uuid.UUID) -> Any:
        """Mediation records (调解记录) of a case, in the order they were held"""
        return agreements.list_sessions(case_id)


@bp.route("/cases/<uuid:case_id>/follow-ups")
class FollowUps(MethodView):
    @bp.response(200, FollowUpOut(many=True))
    @bp.alt_response(404, description="No such case within your jurisdiction.")
    def get(self, case_id: uuid.UUID) -> list[dict[str, Any]]:
        """Follow-up visits (回访) of a case, newest first"""
        return agreements.list_follow_ups(case_id)

