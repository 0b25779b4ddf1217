"""Time-limit API: the county's deadline policy and calendar, extension requests (延期申请)
and supervision orders (督办)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint

from ..auth.principal import current_principal
from ..errors import BadRequest
from . import extensions, policy_admin, schemas, supervision

bp = Blueprint("sla", __name__, description="Time limits, extensions and supervision "
               "办理时限、延期与督办")
QUERY = {"location": "query", "error_status_code": 400}


@bp.route("/deadline-policy")
class DeadlinePolicy(MethodView):
    @bp.response(200, schemas.PolicyOut)
    def get(self) -> dict[str, Any]:
        """My county's deadline policy (defaults filled in)"""
        return policy_admin.read(current_principal())

    @bp.arguments(schemas.PolicyIn, example=schemas.POLICY_EXAMPLE)
    @bp.response(200, schemas.PolicyOut)
    @bp.alt_response(403, description="Only county centre staff and admins change it.")
    @bp.alt_response(409, description="Someone changed the policy since you read it.")
    def put(self, args: dict[str, Any]) -> dict[str, Any]:
        """Change my county's deadline policy

        Only what you send differs from the defaults; new deadlines follow the new policy,
        running ones keep theirs.
        """
        # Loaded values (enums) are what policy.from_data reads, as well as their JSON text.
        return policy_admin.save(current_principal(), args["policy"], args["version"])


@bp.route("/calendar-days")
class CalendarDays(MethodView):
    @bp.arguments(schemas.CalendarQuery, **QUERY)
    @bp.response(200, schemas.CalendarDayOut(many=True))
    def get(self, args: dict[str, Any]) -> list[Any]:
        """My county's own calendar days (holidays and 调休 working days) of a year"""
        return policy_admin.days(current_principal(), args["year"])

    @bp.arguments(schemas.CalendarDaysIn, example=schemas.CALENDAR_EXAMPLE)
    @bp.response(200, schemas.CalendarDayOut(many=True))
    @bp.alt_response(403, description="Only county centre staff and admins change it.")
    def put(self, args: dict[str, Any]) -> list[Any]:
        """Set days off and make-up working days (e.g. next year's State Council notice)"""
        principal = current_principal()
        policy_admin.set_days(principal, args["days"])
        years = sorted({d["day"].year for d in args["days"]})
        return [day for year in years for day in policy_admin.days(principal, year)]


@bp.route("/calendar-days/<day>")
class CalendarDay(MethodView):
    @bp.response(204)
    @bp.alt_response(400, description="Not a date.")
    def delete(self, day: str) -> None:
        """Remove my county's own word on a day (the published calendar applies again)"""
        try:
            parsed = dt.date.fromisoformat(day)
        except ValueError:
            raise BadRequest(_l("Not a date (YYYY-MM-DD).")) from None
        policy_admin.remove_day(current_principal(), parsed)


@bp.route("/cases/<uuid:case_id>/extension-requests")
class CaseExtensions(MethodView):
    @bp.response(200, schemas.ExtensionOut(many=True))
    def get(self, case_id: uuid.UUID) -> list[Any]:
        """The extension requests of a case"""
        return extensions.for_case(case_id)

    @bp.arguments(schemas.ExtensionIn, example=schemas.EXTENSION_EXAMPLE)
    @bp.response(201, schemas.ExtensionOut)
    @bp.alt_response(403, description="Only the holding centre or the handler may ask.")
    @bp.alt_response(409, description="One is already waiting, or the case is not being "
                                      "handled.")
    def post(self, args: dict[str, Any], case_id: uuid.UUID) -> Any:
        """Ask the level above for more days (延期申请)"""
        return extensions.request(current_principal(), case_id, args["days"], args["reason"])


@bp.route("/extension-requests")
class PendingExtensions(MethodView):
    @bp.response(200, schemas.ExtensionOut(many=True))
    def get(self) -> list[Any]:
        """Extension requests waiting for my unit's decision"""
        return extensions.pending_for(current_principal())


@bp.route("/extension-requests/<int:request_id>/decision")
class ExtensionDecision(MethodView):
    @bp.arguments(schemas.DecisionIn, example=schemas.DECISION_EXAMPLE)
    @bp.response(200, schemas.ExtensionOut)
    @bp.alt_response(403, description="Only the level above the holding centre decides.")
    @bp.alt_response(404, description="No such request within your jurisdiction.")
    @bp.alt_response(409, description="Decided already, stale version, or the case moved on.")
    def post(self, args: dict[str, Any], request_id: int) -> Any:
        """Approve or refuse an extension request"""
        return extensions.decide(current_principal(), request_id, args["version"],
                                 args["approve"], args["note"])


@bp.route("/cases/<uuid:case_id>/supervision-orders")
class CaseSupervision(MethodView):
    @bp.response(200, schemas.SupervisionOut(many=True))
    def get(self, case_id: uuid.UUID) -> list[Any]:
        """The supervision orders (督办) of a case"""
        return supervision.for_case(case_id)

    @bp.arguments(schemas.SupervisionIn, example=schemas.SUPERVISION_EXAMPLE)
    @bp.response(201, schemas.SupervisionOut)
    @bp.alt_response(403, description="Only the level above the holding centre supervises.")
    def post(self, args: dict[str, Any], case_id: uuid.UUID) -> Any:
        """Issue a supervision order (督办) to the unit holding the case"""
        return supervision.issue(current_principal(), case_id, args["reason"],
                                 args["reply_days"])


@bp.route("/supervision-orders")
class OpenSupervision(MethodView):
    @bp.arguments(schemas.OpenOrdersQuery, **QUERY)
    @bp.response(200, schemas.SupervisionOut(many=True))
    def get(self, args: dict[str, Any]) -> list[Any]:
        """Unanswered supervision orders within my jurisdiction, the most urgent first"""
        return supervision.open_orders(current_principal(), args.get("unit_id"))


@bp.route("/supervision-orders/<int:order_id>/reply")
class SupervisionReply(MethodView):
    @bp.arguments(schemas.ReplyIn, example=schemas.REPLY_EXAMPLE)
    @bp.response(200, schemas.SupervisionOut)
    @bp.alt_response(403, description="Only the unit the order is addressed to answers.")
    @bp.alt_response(409, description="Answered already, or stale version.")
    def post(self, args: dict[str, Any], order_id: int) -> Any:
        """Answer a supervision order"""
        return supervision.reply(current_principal(), order_id, args["version"], args["reply"])

