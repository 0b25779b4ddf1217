"""Dispatch API: ranked mediator suggestions for a case, and the mediator registry (调解员库).

Every part of a suggestion's score is returned with its weight, value, contribution and a
sentence saying why, in the user's language: the dispatcher decides, the score only argues.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, pre_dump, validate, validates_schema

from ..auth.principal import current_principal
from ..auth.roles import Role
from ..geo.schemas import CODE12, LAT, LON
from . import dispatch
from .scoring import Part, Reason

bp = Blueprint("dispatch_api", __name__,
               description="Dispatch: mediator registry and suggestions 调解员库与分派建议")
QUERY = {"location": "query", "error_status_code": 400}

PART_LABELS = {
    "specialty": _l("Specialty"),
    "legal_training": _l("Legal training"),
    "load": _l("Caseload"),
    "distance": _l("Distance"),
    "unit": _l("Unit"),
}

# Templates are translated when a response is rendered, then filled with the part's numbers.
EXPLANATIONS = {
    Reason.specialty_exact: _l("Specialises in this category (%(code)s)."),
    Reason.specialty_group: _l("Specialises in the same kind of dispute (%(code)s), not in "
                               "this exact category."),
    Reason.specialty_none: _l("No specialty in this kind of dispute."),
    Reason.legal_trained_required: _l("Has legal training, which a major or graver case "
                                      "needs."),
    Reason.legal_untrained_required: _l("No legal training, which a major or graver case "
                                        "needs: a penalty applies."),
    Reason.legal_trained_bonus: _l("Has legal training (a small bonus for a general case)."),
    Reason.legal_untrained_general: _l("No legal training (not needed for a general case)."),
    Reason.load: _l("%(active)s of at most %(max)s active cases."),
    Reason.load_full: _l("Fully booked: %(active)s of at most %(max)s active cases; listed "
                         "after all others."),
    Reason.distance: _l("%(km)s km from the case."),
    Reason.distance_approximate: _l("About %(km)s km from the place of the case (it has no "
                                    "GPS point)."),
    Reason.distance_unknown: _l("Distance unknown (no location on record); counted as "
                                "neutral."),
    Reason.unit_same: _l("Works in the unit that holds the case."),
    Reason.unit_ancestor: _l("Works in a unit above the one that holds the case."),
    Reason.unit_other: _l("Works outside the unit that holds the case."),
}


def explain(part: Part) -> str:
    text = str(EXPLANATIONS[part.reason])
    return text % dict(part.params) if part.params else text


# --- schemas --------------------------------------------------------------------------------

SPECIALTY = validate.Regexp(r"^[0-9]{2}([0-9]{2})?$",
                            error=_l("A category code has 2 or 4 digits."))
LANGUAGE = validate.Regexp(r"^[a-z]{2,3}$", error=_l(
    "A language is a code of 2 or 3 lower-case letters, such as zh or mn."))
CAPACITY = validate.Range(1, 100, error=_l(
    "The maximum number of active cases must be between 1 and 100."))


class MediatorUnit(Schema):
    id = fields.Integer()
    code = fields.String(metadata={"example": "150521100000"})
    name = fields.String(metadata={"example": "保康镇"})


class MediatorOut(Schema):
    user_id = fields.Integer(metadata={"example": 7})
    username = fields.String(metadata={"example": "baokang.mediator"})
    display_name = fields.String(metadata={"example": "保康镇调解员 孙丽"})
    role = fields.Enum(Role, by_value=True)
    unit = fields.Nested(MediatorUnit)
    specialties = fields.List(fields.String(), metadata={"example": ["02", "03", "0401"]})
    legal_training = fields.Boolean()
    languages = fields.List(fields.String(), metadata={"example": ["zh", "mn"]})
    max_active_cases = fields.Integer(metadata={"example": 10})
    active_cases = fields.Integer(metadata={
        "example": 3, "description": "Active cases across the whole county."})
    full = fields.Boolean(metadata={"description": "At or over max_active_cases."})
    is_available = fields.Boolean()
    lon = fields.Float(allow_none=True, metadata={"example": 122.71})
    lat = fields.Float(allow_none=True, metadata={"example": 43.97})

    @pre_dump
    def flatten(self, entry: dispatch.MediatorEntry, **kwargs: Any) -> dict[str, Any]:
        values = dict(vars(entry))
        values["unit"] = {"id": entry.unit_id, "code": entry.unit_code, "name": entry.unit_name}
        values["full"] = entry.active_cases >= entry.max_active_cases
        return values


class PartOut(Schema):
    name = fields.String(metadata={"example": "specialty"})
    label = fields.String(metadata={"example": "专长"})
    weight = fields.Float(metadata={"example": 35})
    value = fields.Float(metadata={"example": 1.0, "description": "Between 0 and 1."})
    contribution = fields.Float(metadata={
        "example": 35.0, "description": "weight × value, less any penalty; the parts add up "
                                        "to the total."})
    reason = fields.String(metadata={"example": "specialty_exact"})
    explanation = fields.String(metadata={"example": "擅长此类纠纷（0201）。"})


class SuggestionOut(Schema):
    rank = fields.Integer(metadata={"example": 1})
    total = fields.Float(metadata={"example": 87.4, "description": "Points out of 100."})
    flags = fields.List(fields.String(), metadata={
        "example": [], "description": "full: at capacity (ranked after all others); "
                                     "untrained: no legal training for a major or graver case."})
    mediator = fields.Nested(MediatorOut)
    distance_km = fields.Float(allow_none=True, metadata={"example": 4.2})
    parts = fields.List(fields.Nested(PartOut))


class SuggestionsQuery(Schema):
    limit = fields.Integer(load_default=10, validate=validate.Range(1, 50),
                           metadata={"example": 5})


class MediatorsQuery(Schema):
    available = fields.Boolean(metadata={"example": True})
    specialty = fields.String(validate=SPECIALTY, metadata={
        "description": "Mediators who handle this category (a 4-digit code also finds its "
                       "group's generalists).", "example": "0201"})
    unit = fields.String(validate=CODE12, metadata={
        "description": "Mediators under it.", "example": "150521100000"})


class ProfileIn(Schema):
    specialties = fields.List(fields.String(validate=SPECIALTY), required=True,
                              validate=validate.Length(max=30),
                              metadata={"example": ["02", "03", "0401"]})
    legal_training = fields.Boolean(load_default=False, metadata={"example": True})
    languages = fields.List(fields.String(validate=LANGUAGE), load_default=lambda: ["zh"],
                            validate=validate.Length(max=5), metadata={"example": ["zh", "mn"]})
    max_active_cases = fields.Integer(load_default=10, validate=CAPACITY,
                                      metadata={"example": 10})
    lon = fields.Float(load_default=None, validate=LON, metadata={"example": 122.71})
    lat = fields.Float(load_default=None, validate=LAT, metadata={"example": 43.97})
    is_available = fields.Boolean(load_default=True)

    @validates_schema
    def both_or_neither(self, data: dict[str, Any], **kwargs: Any) -> None:
        if (data.get("lon") is None) != (data.get("lat") is None):
            raise ValidationError(_l("Give both lon and lat, or neither."), field_name="lat")


# --- endpoints ------------------------------------------------------------------------------

def _suggestion(position: int, ranked: dispatch.Ranked) -> dict[str, Any]:
    suggestion = ranked.suggestion
    return {
        "rank": position, "total": suggestion.total, "flags": sorted(suggestion.flags),
        "mediator": ranked.mediator,
        "distance_km": None if ranked.mediator.distance_km is None
        else round(ranked.mediator.distance_km, 1),
        "parts": [{"name": p.name, "label": str(PART_LABELS[p.name]), "weight": p.weight,
                   "value": p.value, "contribution": p.contribution, "reason": p.reason.value,
                   "explanation": explain(p)} for p in suggestion.parts],
    }


@bp.route("/cases/<uuid:case_id>/mediator-suggestions")
class MediatorSuggestions(MethodView):
    @bp.arguments(SuggestionsQuery, **QUERY)
    @bp.response(200, SuggestionOut(many=True))
    @bp.alt_response(404, description="No such case within your jurisdiction.")
    def get(self, args: dict[str, Any], case_id: uuid.UUID) -> list[dict[str, Any]]:
        """Mediators for a case, best first, each score part explained

        Candidates are the available mediators and department liaisons in the registry
        within your jurisdiction. Score out of 100 = specialty (exact category 1.0, same
        group 0.6) + legal training (expected for 较大 and graver cases: a penalty without
        it; a small bonus otherwise) + caseload (1 − active / maximum) + distance
        (exp(−km / 15), measured on the spheroid; unknown counts 0.5) + unit (the holding
        unit 1.0, a unit above it 0.5). Mediators at capacity are flagged `full` and listed
        after all others; equal scores are ordered by user id.
        """
        ranked = dispatch.suggest(current_principal(), case_id, args["limit"])
        return [_suggestion(i, r) for i, r in enumerate(ranked, start=1)]


@bp.route("/mediators")
class Mediators(MethodView):
    @bp.arguments(MediatorsQuery, **QUERY)
    @bp.response(200, MediatorOut(many=True))
    @bp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[Any]:
        """The mediator registry within my jurisdiction, with each one's active caseload"""
        rows, total = dispatch.list_mediators(current_principal(), args,
                                              pagination_parameters.page,
                                              pagination_parameters.page_size)
        pagination_parameters.item_count = total
        return rows


@bp.route("/mediators/<int:user_id>")
class MediatorResource(MethodView):
    @bp.arguments(ProfileIn, examples={
        "full": {
            "summary": "A township mediator with legal training, speaking Chinese and "
                       "Mongolian, seated in 保康镇",
            "value": {"specialties": ["02", "03", "0401"], "legal_training": True,
                      "languages": ["zh", "mn"], "max_active_cases": 10,
                      "lon": 122.71, "lat": 43.97, "is_available": True}},
        "minimal": {
            "summary": "Only the specialties (相邻通行纠纷 and all 婚姻家庭纠纷); the rest "
                       "takes its defaults",
            "value": {"specialties": ["0201", "01"]}},
    })
    @bp.response(200, MediatorOut)
    @bp.alt_response(201, schema=MediatorOut, description="The registry entry was created.")
    @bp.alt_response(403, description="Your role may not manage the mediator registry.")
    @bp.alt_response(404, description="No such user within your jurisdiction.")
    @bp.alt_response(409, description="Someone else created the entry at the same time.")
    @bp.alt_response(422, description="Invalid fields, a user who is neither a mediator nor "
                                      "a department liaison, unknown category codes, or a "
                                      "location outside the county.")
    def put(self, args: dict[str, Any], user_id: int) -> Any:
        """Create or replace a mediator's registry entry (dispatchers, county staff, admins)

        The user must be a mediator or department liaison within your jurisdiction;
        specialties are case category codes (2-digit groups or 4-digit categories) and the
        location, if given, must lie in the county.
        """
        entry, created = dispatch.upsert_profile(current_principal(), user_id,
                                                 dispatch.ProfileInput(**args))
        return entry, 201 if created else 200
