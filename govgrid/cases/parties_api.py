"""Parties API: add, edit and remove a case's parties (当事人), and unmask their personal data
(audited). Responses carry ID numbers and phones masked; only unmask shows them in clear.
Every route reads the case first (jurisdiction-scoped), so a case out of reach is 404."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from ..auth.principal import current_principal
from ..unit_of_work import committing
from . import editing, queries, schemas
from .parties import PartyInput, unmask

bp = Blueprint("case_parties", __name__, description="Parties of a case 当事人")

NOT_HANDLER = "Only those who handle the case may change its parties."
STALE_OR_CLOSED = "Stale case version, or the case is closed, archived, rejected or merged."


def _saved(party: Any, case_version: int) -> Any:
    party.case_version = case_version
    return party


@bp.route("/cases/<uuid:case_id>/parties")
class Parties(MethodView):
    @bp.arguments(schemas.PartyAddIn, example=schemas.PARTY_ADD_EXAMPLE)
    @bp.response(201, schemas.PartySaved)
    @bp.alt_response(422, description="Invalid fields, e.g. an ID number failing GB 11643.")
    @bp.alt_response(403, description=NOT_HANDLER)
    @bp.alt_response(409, description=STALE_OR_CLOSED)
    def post(self, args: dict[str, Any], case_id: uuid.UUID) -> Any:
        """Add a party to a case (the case version goes up by one)"""
        version = args.pop("version")
        party, case_version = editing.add_party(current_principal(), case_id, version,
                                                PartyInput(**args))
        return _saved(party, case_version)


@bp.route("/cases/<uuid:case_id>/parties/<int:party_id>")
class PartyResource(MethodView):
    @bp.arguments(schemas.PartyEditIn, example=schemas.PARTY_EDIT_EXAMPLE)
    @bp.response(200, schemas.PartySaved)
    @bp.alt_response(422, description="Invalid fields, or nothing to change.")
    @bp.alt_response(403, description=NOT_HANDLER)
    @bp.alt_response(409, description=STALE_OR_CLOSED)
    def patch(self, args: dict[str, Any], case_id: uuid.UUID, party_id: int) -> Any:
        """Edit a party: send only the fields that change (the case version goes up by one)"""
        version = args.pop("version")
        party, case_version = editing.edit_party(current_principal(), case_id, party_id,
                                                 version, args)
        return _saved(party, case_version)

    @bp.arguments(schemas.VersionQuery, location="query", error_status_code=400)
    @bp.response(204)
    @bp.alt_response(403, description=NOT_HANDLER)
    @bp.alt_response(409, description=STALE_OR_CLOSED)
    def delete(self, args: dict[str, int], case_id: uuid.UUID, party_id: int) -> None:
        """Remove a party from a case (?version=the case version you read)"""
        editing.remove_party(current_principal(), case_id, party_id, args["version"])


@bp.route("/cases/<uuid:case_id>/parties/<int:party_id>/unmask")
class PartyUnmask(MethodView):
    @bp.arguments(schemas.UnmaskIn, example=schemas.UNMASK_EXAMPLE)
    @bp.response(200, schemas.UnmaskedOut)
    @bp.alt_response(403, description="Only those who handle the case may unmask.")
    def post(self, args: dict[str, str], case_id: uuid.UUID, party_id: int) -> Any:
        """Show a party's ID number and phone unmasked (handlers only; audited)"""
        case = queries.get_case(case_id)
        party = queries.get_party(case, party_id)
        with committing():  # writes the audit entry of this read
            clear = unmask(current_principal(), case, party, queries.assignee_ids(case_id),
                           args["reason"])
        return clear
