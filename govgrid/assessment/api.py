"""Assessment API (考核): the register of major events, the county's scheme versions, the
ladder's sanctions and their rectification reports. Reads go through the jurisdiction hook
(a township sees its own and its villages'; schemes county-wide); writes are the services'
(permissions, optimistic locks, audit)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint

from ..auth.principal import current_principal
from ..errors import Conflict
from ..stats.period import local_midnight, local_today
from ..timestamps import utcnow
from . import events, rectifications, sanctions_store, schemas, schemes_store
from .answers import event_answers, sanction_answer, sanction_answers, scheme_answer
from .scheme import to_data
from .vocabulary import EventKind, EventSeverity, Factor, SanctionState, Step

bp = Blueprint("assessment", __name__, description="Assessment and the ladder 考核与一票否决")
QUERY = {"location": "query", "error_status_code": 400}
_DAY = dt.timedelta(days=1)
STALE = "Someone changed it since you read it: reload."
SCHEME_EDIT_EXAMPLE = {"revision": 1, "data": to_data(schemes_store.default_for(2026))}


def _event_input(args: dict[str, Any]) -> events.EventInput:
    return events.EventInput(
        unit_code=args["unit"], kind=EventKind(args["kind"]),
        severity=EventSeverity(args["severity"]), occurred_at=args["occurred_at"],
        title=args["title"], summary=args["summary"], deaths=args["deaths"],
        injuries=args["injuries"], people_involved=args["people_involved"],
        reported_late=args["reported_late"], concealed=args["concealed"])


@bp.route("/assessment/events")
class Events(MethodView):
    @bp.arguments(schemas.EventQuery, **QUERY)
    @bp.response(200, schemas.MajorEventOut(many=True))
    @bp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[dict[str, Any]]:
        """Major events within my jurisdiction, latest first"""
        first, last = args.get("occurred_from"), args.get("occurred_to")
        filters = events.EventFilters(
            unit_code=args.get("unit"),
            kind=EventKind(args["kind"]) if args.get("kind") else None,
            severity=EventSeverity(args["severity"]) if args.get("severity") else None,
            occurred_from=local_midnight(first) if first else None,
            occurred_to=local_midnight(last) + _DAY if last else None)
        rows, total = events.list_events(filters, pagination_parameters.page,
                                         pagination_parameters.page_size)
        pagination_parameters.item_count = total
        return event_answers(rows)

    @bp.arguments(schemas.EventIn, example=schemas.EVENT_EXAMPLE)
    @bp.response(201, schemas.MajorEventOut)
    @bp.alt_response(403, description="Only county staff, admins and township centres record "
                                      "major events.")
    @bp.alt_response(404, description="No such unit within your jurisdiction.")
    @bp.alt_response(422, description="Not a township or village, or a time in the future.")
    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        """Record a major event (重大事件登记)"""
        return event_answers([events.record_event(current_principal(), _event_input(args))])[0]


@bp.route("/assessment/events/from-case")
class EventFromCase(MethodView):
    @bp.arguments(schemas.EventFromCaseIn, example=schemas.FROM_CASE_EXAMPLE)
    @bp.response(201, schemas.MajorEventOut)
    @bp.alt_response(404, description="No such case within your jurisdiction.")
    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        """Raise a major event from a case: its place, time and title, linked to it"""
        extra = {k: args[k] for k in ("title", "summary", "deaths", "injuries",
                                      "people_involved", "reported_late", "concealed")}
        event = events.record_from_case(current_principal(), args["case_id"],
                                        EventKind(args["kind"]),
                                        EventSeverity(args["severity"]), **extra)
        return event_answers([event])[0]


@bp.route("/assessment/events/<int:event_id>")
class Event(MethodView):
    @bp.response(200, schemas.MajorEventOut)
    @bp.alt_response(404, description="No such event within your jurisdiction.")
    def get(self, event_id: int) -> dict[str, Any]:
        """One major event"""
        return event_answers([events.get_event(event_id)])[0]

    @bp.arguments(schemas.EventEditIn, example=schemas.EVENT_EDIT_EXAMPLE)
    @bp.response(200, schemas.MajorEventOut)
    @bp.alt_response(409, description=STALE)
    def put(self, args: dict[str, Any], event_id: int) -> dict[str, Any]:
        """Correct a major event (every field, with the version read)"""
        event = events.edit_event(current_principal(), event_id, args["version"],
                                  _event_input(args))
        return event_answers([event])[0]


@bp.route("/assessment/schemes")
class Schemes(MethodView):
    @bp.arguments(schemas.SchemeQuery, **QUERY)
    @bp.response(200, schemas.SchemeOut(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """The versions of my county's assessment scheme for a year, newest first"""
        year = args.get("year") or local_today(utcnow()).year
        return [scheme_answer(row) for row in schemes_store.versions(current_principal(), year)]

    @bp.arguments(schemas.SchemeCreateIn, example=schemas.SCHEME_CREATE_EXAMPLE)
    @bp.response(201, schemas.SchemeOut)
    @bp.alt_response(403, description="Only county staff and admins keep the scheme.")
    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        """Start a new draft version: a copy of the one in force, or of the default"""
        return scheme_answer(schemes_store.create_draft(current_principal(), args["year"],
                                                        args["note"]))


@bp.route("/assessment/schemes/<int:scheme_id>")
class SchemeVersion(MethodView):
    @bp.response(200, schemas.SchemeOut)
    @bp.alt_response(404, description="No such scheme in your county.")
    def get(self, scheme_id: int) -> dict[str, Any]:
        """One version of the scheme"""
        return scheme_answer(schemes_store.get_scheme(scheme_id))

    @bp.arguments(schemas.SchemeEditIn, example=SCHEME_EDIT_EXAMPLE)
    @bp.response(200, schemas.SchemeOut)
    @bp.alt_response(409, description="Not a draft, or " + STALE)
    @bp.alt_response(422, description="The scheme is not valid: `details.path` names where.")
    def put(self, args: dict[str, Any], scheme_id: int) -> dict[str, Any]:
        """Edit a draft's scheme (the whole of it, with the revision read)"""
        return scheme_answer(schemes_store.edit_draft(
            current_principal(), scheme_id, args["revision"], args["data"], args["note"]))


@bp.route("/assessment/schemes/<int:scheme_id>/activate")
class SchemeActivation(MethodView):
    @bp.arguments(schemas.SchemeActivateIn, example=schemas.SCHEME_ACTIVATE_EXAMPLE)
    @bp.response(200, schemas.SchemeOut)
    @bp.alt_response(409, description="Not a draft, or " + STALE)
    def post(self, args: dict[str, Any], scheme_id: int) -> dict[str, Any]:
        """Put a draft in force for its year; the version in force until now is retired"""
        return scheme_answer(schemes_store.activate(current_principal(), scheme_id,
                                                    args["revision"]))


@bp.route("/assessment/sanctions")
class Sanctions(MethodView):
    @bp.arguments(schemas.SanctionQuery, **QUERY)
    @bp.response(200, schemas.SanctionOut(many=True))
    @bp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[dict[str, Any]]:
        """Sanctions within my jurisdiction, latest proposal first"""
        filters = sanctions_store.SanctionFilters(
            unit_code=args.get("unit"),
            state=SanctionState(args["state"]) if args.get("state") else None,
            step=Step(args["step"]) if args.get("step") else None)
        rows, total = sanctions_store.list_sanctions(filters, pagination_parameters.page,
                                                     pagination_parameters.page_size)
        pagination_parameters.item_count = total
        return sanction_answers(rows)

    @bp.arguments(schemas.SanctionIn, example=schemas.SANCTION_EXAMPLE)
    @bp.response(201, schemas.SanctionOut)
    @bp.alt_response(403, description="Only county staff, leaders and admins raise steps.")
    @bp.alt_response(409, description="The unit has this step proposed or in force already.")
    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        """Raise a step of the ladder by hand, with the reason"""
        evidence = {"event_ids": args["event_ids"],
                    "case_ids": [str(c) for c in args["case_ids"]]}
        proposal = sanctions_store.Proposal(
            unit_code=args["unit"], step=Step(args["step"]), reason=args["reason"],
            factors=tuple(Factor(f) for f in args["factors"]), evidence=evidence)
        sanction = sanctions_store.propose(current_principal(), proposal)
        if sanction is None:  # by hand a duplicate is refused inside; never skipped
            raise Conflict(_l("This unit already has this step proposed or in force."))
        return sanction_answer(sanction)


@bp.route("/assessment/sanctions/<int:sanction_id>")
class SanctionOne(MethodView):
    @bp.response(200, schemas.SanctionOut)
    @bp.alt_response(404, description="No such sanction within your jurisdiction.")
    def get(self, sanction_id: int) -> dict[str, Any]:
        """One sanction with its evidence and rectification reports"""
        return sanction_answer(sanctions_store.get_sanction(sanction_id))


@bp.route("/assessment/sanctions/<int:sanction_id>/confirm")
class SanctionConfirm(MethodView):
    @bp.arguments(schemas.ConfirmIn, example=schemas.CONFIRM_EXAMPLE)
    @bp.response(200, schemas.SanctionOut)
    @bp.alt_response(409, description="Decided already, or " + STALE)
    def post(self, args: dict[str, Any], sanction_id: int) -> dict[str, Any]:
        """Confirm a proposed step: in force, with its rectification deadline"""
        factors = None if args["factors"] is None else [Factor(f) for f in args["factors"]]
        return sanction_answer(sanctions_store.confirm(
            current_principal(), sanction_id, args["version"], factors, args["reason"]))


@bp.route("/assessment/sanctions/<int:sanction_id>/dismiss")
class SanctionDismiss(MethodView):
    @bp.arguments(schemas.DismissIn, example=schemas.DISMISS_EXAMPLE)
    @bp.response(200, schemas.SanctionOut)
    @bp.alt_response(409, description="Decided already, or " + STALE)
    def post(self, args: dict[str, Any], sanction_id: int) -> dict[str, Any]:
        """Dismiss a proposed step, with the reason"""
        return sanction_answer(sanctions_store.dismiss(
            current_principal(), sanction_id, args["version"], args["reason"]))


@bp.route("/assessment/sanctions/<int:sanction_id>/rectifications")
class SanctionRectifications(MethodView):
    @bp.arguments(schemas.RectificationIn, example=schemas.RECTIFICATION_EXAMPLE)
    @bp.response(201, schemas.RectificationOut)
    @bp.alt_response(409, description="Not in force, or a report waits for review.")
    def post(self, args: dict[str, Any], sanction_id: int) -> Any:
        """Report on the rectification (整改报告) of a sanction in force"""
        return rectifications.submit(current_principal(), sanction_id, args["text"],
                                     args["attachments"])


@bp.route("/assessment/rectifications/<int:rectification_id>/review")
class RectificationReview(MethodView):
    @bp.arguments(schemas.ReviewIn, example=schemas.REVIEW_EXAMPLE)
    @bp.response(200, schemas.RectificationOut)
    @bp.alt_response(409, description="Reviewed already, or " + STALE)
    def post(self, args: dict[str, Any], rectification_id: int) -> Any:
        """Accept (the sanction is rectified) or reject a rectification report"""
        return rectifications.review(current_principal(), rectification_id, args["version"],
                                     args["accept"], args["note"])

