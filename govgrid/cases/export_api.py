"""Case list export API: GET /cases/export?format=xlsx|csv with the filters of GET /cases."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from marshmallow import fields, validate

from ..auth.principal import current_principal
from ..exports.responses import FORMATS, XLSX_TYPE, table_response
from .case_export import ASCII_STEM, FILENAME_STEM, export_cases
from .schemas import CasesQuery

bp = Blueprint("case_exports", __name__, description="Case list export 案件清单导出")

BINARY = {"type": "string", "format": "binary"}


class CasesExportQuery(CasesQuery):
    """The case list's filters and order, and the file format."""

    format = fields.String(required=True, validate=validate.OneOf(
        FORMATS, error=_l("The format is xlsx or csv.")), metadata={
        "description": "xlsx (Excel workbook) or csv (UTF-8 with BOM, for Excel).",
        "example": "xlsx"})


@bp.route("/cases/export")
class CasesExport(MethodView):
    @bp.arguments(CasesExportQuery, location="query", error_status_code=400)
    @bp.response(200, BINARY, content_type=XLSX_TYPE, description=(
        "The workbook (format=xlsx), or text/csv; charset=utf-8 (format=csv), as an "
        "attachment named like 案件清单-20261202.xlsx."))
    @bp.alt_response(400, description="An unknown format or a malformed filter.")
    @bp.alt_response(422, description="More cases than an export may hold "
                                      "(GOVGRID_EXPORT_MAX_ROWS): narrow the filters.")
    def get(self, args: dict[str, Any]) -> Response:
        """Export the cases within my jurisdiction, filtered as the list, to xlsx or CSV

        Takes every filter and the order of GET /cases. Headers and labels are in the
        reader's language; times are China Standard Time. The xlsx sheet starts with the
        filters applied, the number of cases, the time of the export and who made it. No
        personal data of the parties (names, ID numbers, phones, addresses) and no free-text
        description are exported. Each export is recorded in the audit trail.
        """
        fmt = args.pop("format")
        table = export_cases(current_principal(), args, fmt,
                             current_app.config["EXPORT_MAX_ROWS"])
        return table_response([table], fmt, str(FILENAME_STEM), ascii_stem=ASCII_STEM)
