"""Case categories API: the two-level dictionary a reporting form picks from.

Reference data, the same for everyone in a county and rarely changed, so it may be kept in
the client's private cache for a few minutes; the names follow the request's language.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import get_locale
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from ..auth.principal import current_principal
from .categories import CategoryEntry, active_categories
from .vocabulary import Severity

bp = Blueprint("categories_api", __name__, description="Case categories 案件类别")

CACHE_HEADERS = {"Cache-Control": "private, max-age=300",
                 # The names depend on the language, chosen by ?lang=, cookie or header.
                 "Vary": "Accept-Language, Cookie"}


class CategoryOut(Schema):
    code = fields.String(metadata={"example": "0201", "description": "2 digits: a top-level "
                                   "group; 4 digits: a category cases are reported in."})
    name = fields.Method("_name", metadata={
        "example": "宅基地纠纷", "description": "In the request's language (Chinese by default, "
                                             "English with lang=en or Accept-Language: en)."})
    parent_code = fields.String(allow_none=True, metadata={
        "example": "02", "description": "The top-level group; null for a group itself."})
    default_severity = fields.Enum(Severity, by_value=True, allow_none=True, metadata={
        "description": "Severity a report takes when it names none; null for groups."})
    urgent_clock = fields.Boolean(metadata={
        "description": "Whether a report in it at serious (重大) or especially serious "
                       "(特别重大) severity starts the urgent reporting clocks (1 h / 3 h) "
                       "even when not marked urgent, under the county's policy."})

    def _name(self, entry: CategoryEntry) -> str:
        locale = get_locale()
        return entry.name if locale is None or locale.language == "zh" else entry.name_en


@bp.route("/categories")
class Categories(MethodView):
    @bp.response(200, CategoryOut(many=True), headers={
        "Cache-Control": {"description": "private, max-age=300", "schema": {"type": "string"}}})
    def get(self) -> Any:
        """The active case categories, both levels, ordered by code (a flat list)"""
        entries = active_categories(current_principal().county_id)
        return entries, 200, CACHE_HEADERS
