"""An upper bound on page numbers in every paginated list.

flask-smorest's pagination schema takes any page >= 1; page 10**30 then overflows
PostgreSQL's OFFSET (a bigint) and would answer 500. flask-smorest builds that schema in a
module function with no setting for it, so `install()` wraps the function once to add the
bound; the bound shows in the OpenAPI document as the parameter's maximum.
"""

from __future__ import annotations

from typing import Any

import flask_smorest.pagination as smorest_pagination
import marshmallow as ma

MAX_PAGE = 1_000_000


def install() -> None:
    original = smorest_pagination._pagination_parameters_schema_factory
    if getattr(original, "govgrid_bounded", False):
        return

    def bounded(def_page: int, def_page_size: int, def_max_page_size: int) -> Any:
        base = original(def_page, def_page_size, def_max_page_size)

        class PaginationParametersSchema(base):  # type: ignore[misc, valid-type]
            page = ma.fields.Integer(load_default=def_page,
                                     validate=ma.validate.Range(min=1, max=MAX_PAGE))

        return PaginationParametersSchema

    bounded.govgrid_bounded = True  # type: ignore[attr-defined]
    smorest_pagination._pagination_parameters_schema_factory = bounded
