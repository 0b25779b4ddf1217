"""Cases API: report, list, read, edit, and act on a case (parties: parties_api.py)."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from ..auth.principal import current_principal
from . import editing, queries, schemas, transitions
from .duplicates import possible_duplicates
from .parties import PartyInput
from .reporting import ReportInput, report_case

bp = Blueprint("cases", __name__, description="Disputes and incidents 矛盾纠纷与事件")
QUERY = {"location": "query", "error_status_code": 400}


@bp.route("/cases")
class Cases(MethodView):
    @bp.arguments(schemas.CasesQuery, **QUERY)
    @bp.response(200, schemas.CaseOut(many=True))
    @bp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[Any]:
        """Cases within my jurisdiction, newest first, with filters"""
        rows, total = queries.list_cases(args, pagination_parameters.page,
                                         pagination_parameters.page_size)
        pagination_parameters.item_count = total
        return rows

    @bp.arguments(schemas.CaseIn, example=schemas.CASE_EXAMPLE)
    @bp.response(201, schemas.CaseDetail)
    @bp.alt_response(200, schema=schemas.CaseDetail,
                     description="A case with this id existed already (an idempotent retry).")
    def post(self, args: dict[str, Any]) -> Any:
        """Report a dispute or incident"""
        parties = [PartyInput(**p) for p in args.pop("parties")]
        case, created = report_case(current_principal(), ReportInput(**args, parties=parties))
        detail = _detail(case)
        detail.possible_duplicates = possible_duplicates(case)
        return detail, 201 if created else 200


@bp.route("/cases/<uuid:case_id>")
class CaseResource(MethodView):
    @bp.response(200, schemas.CaseDetail)
    def get(self, case_id: uuid.UUID) -> Any:
        """One case with its parties (personal data masked) and timeline"""
        return _detail(queries.get_case(case_id))

    @bp.arguments(schemas.CaseEditIn, example=schemas.CASE_EDIT_EXAMPLE)
    @bp.response(200, schemas.CaseDetail)
    @bp.alt_response(403, description="Only those who handle the case may edit it.")
    @bp.alt_response(409, description="Stale version, or the case is closed, archived, "
                                      "rejected or merged.")
    @bp.alt_response(422, description="Invalid values, or nothing to change.")
    def patch(self, args: dict[str, Any], case_id: uuid.UUID) -> Any:
        """Edit a case's title, description, address, people, amount or time of occurrence

        Send only the fields that change, with the version you read. The timeline names the
        fields changed; the state never changes here (use the transitions).
        """
        version = args.pop("version")
        return _detail(editing.edit_case(current_principal(), case_id, version, args))


@bp.route("/cases/<uuid:case_id>/duplicates")
class CaseDuplicates(MethodView):
    @bp.response(200, schemas.DuplicateOut(many=True))
    def get(self, case_id: uuid.UUID) -> list[dict[str, Any]]:
        """Open cases that may be duplicates of this one (same category, nearby, recent)"""
        return possible_duplicates(queries.get_case(case_id))


@bp.route("/cases/<uuid:case_id>/transitions")
class CaseTransitions(MethodView):
    @bp.arguments(schemas.TransitionIn, examples=schemas.TRANSITION_EXAMPLES)
    @bp.response(200, schemas.CaseDetail)
    @bp.alt_response(403, description="Your role may not take this action.")
    @bp.alt_response(409, description="Stale version, or the case is not in a state for this.")
    @bp.alt_response(422, description="A required field is missing or a rule refuses it.")
    def post(self, args: dict[str, Any], case_id: uuid.UUID) -> Any:
        """Act on a case: accept, assign, resolve, escalate, follow up, close, …"""
        action = args.pop("action")
        version = args.pop("version")
        case = transitions.apply(current_principal(), case_id, action, version, args)
        return _detail(case)


def _detail(case: Any) -> Any:
    case.timeline = queries.timeline(case.id)
    principal = current_principal()
    assignments = queries.active_assignments(case.id)  # once, for both questions below
    case.available_actions = [a.value for a in transitions.available(principal, case,
                                                                     assignments)]
    case.can_edit = editing.may_edit(principal, case, {a.user_id for a in assignments})
    return case

