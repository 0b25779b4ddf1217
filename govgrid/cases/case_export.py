"""Exporting a case list (导出): count first and refuse beyond the cap, record who exported
what in the audit trail, and say in the file which filters made it, when and by whom.

The audit entry is committed before the rows are read: a CSV is streamed after the endpoint
returns, and an export must be on record whether or not the download completes. Its row
count is the count taken before the cap check (a case reported meanwhile may add one row).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..audit.recorder import record
from ..auth.labels import LEVEL_LABELS
from ..auth.models import User
from ..auth.principal import Principal
from ..errors import DomainError
from ..exports.table import Table
from ..extensions import db
from ..geo.models import GridCell, Unit
from ..geo.services import BBox
from ..stats.labels import count_words
from ..stats.places import CELL_CODE_LENGTH
from ..timestamps import local, utcnow
from ..unit_of_work import committing
from . import queries
from .case_page import DEADLINE_LABELS, SEVERITY_LABELS
from .case_table import case_table, in_english
from .messages import SOURCE_LABELS, STATE_LABELS
from .models import Category

FILENAME_STEM = _l("Case list")
ASCII_STEM = "cases"

# How each filter of GET /cases is named in the file; a filter missing here (one added to
# CasesQuery later) is still shown, by its parameter name.
FILTER_LABELS: dict[str, Any] = {
    "state": _l("State"), "level": _l("Level"), "severity": _l("Severity level"),
    "source": _l("Source"), "urgent": _l("Major urgent incident"),
    "mine": _l("Reported by me"), "overdue": _l("Overdue"),
    "deadline_state": _l("Deadline status"), "category": _l("Category"), "unit": _l("Unit"),
    "reported_from": _l("Reported from"), "reported_to": _l("Reported before"),
    "bbox": _l("Map area"), "q": _l("Text contains"), "handler": _l("Handled by"),
    "open": _l("Still open"), "active": _l("In hand"), "resolved_from": _l("Resolved from"),
    "metric": _l("Cases behind the indicator count"),
    "visits_from": _l("Follow-up visits from"), "visits_to": _l("Follow-up visits before"),
}


VALUE_LABELS: dict[str, Mapping[Any, Any]] = {
    "state": STATE_LABELS, "severity": SEVERITY_LABELS, "source": SOURCE_LABELS,
    "deadline_state": DEADLINE_LABELS, "level": LEVEL_LABELS, "metric": count_words(),
}
NOT_FILTERS = frozenset({"sort"})  # the order changes no row


class TooManyRows(DomainError):
    status = 422


def export_cases(principal: Principal, args: Mapping[str, Any], fmt: str,
                 max_rows: int) -> Table:
    """The table of the cases `args` select within the principal's jurisdiction, after
    refusing more than `max_rows` of them and recording the export (committed)."""
    now = utcnow()
    count = db.session.execute(
        select(func.count()).select_from(queries.filtered(dict(args)).subquery())
    ).scalar_one()
    if count > max_rows:
        raise TooManyRows(_l(
            "This export would hold %(count)s cases, more than the %(limit)s an export may "
            "hold. Narrow the filters (a shorter period, a smaller unit, a state) and try "
            "again.", count=count, limit=max_rows))
    notes = [
        str(_l("Filters: %(filters)s", filters=describe_filters(args))),
        str(_l("Cases: %(count)s", count=count)),
        str(_l("Exported at %(time)s (China Standard Time) by %(who)s",
               time=_when(now), who=_exporter(principal))),
    ]
    with committing():
        record("cases.export", object_type="cases", summary={
            "format": fmt, "rows": count, "filters": filter_values(args)})
    return case_table(args, now, notes)


def filter_values(args: Mapping[str, Any]) -> dict[str, Any]:
    """The filters as the query string gave them (for the audit trail): plain values."""
    return {key: _plain(value) for key, value in sorted(args.items())}


def describe_filters(args: Mapping[str, Any]) -> str:
    """The filters in the reader's language: "状态：已上报；类别：离婚纠纷"."""
    names = _names(args)
    parts = []
    for key, value in args.items():
        if key in NOT_FILTERS or (key == "mine" and not value):  # mine=false filters nothing
            continue
        label = str(FILTER_LABELS.get(key, key))
        parts.append(str(_l("%(name)s: %(value)s", name=label,
                            value=_shown(key, value, names))))
    return str(_l("; ")).join(parts) if parts else str(_l("none (every case you may read)"))


def _shown(key: str, value: Any, names: Mapping[str, str]) -> str:
    if key in names:
        return names[key]
    labels = VALUE_LABELS.get(key)
    if labels is not None:
        text = labels.get(value, labels.get(getattr(value, "value", value)))
        if text is not None:
            return str(text)
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if isinstance(value, dt.datetime):
        return _when(value)
    return str(_plain(value))


def _names(args: Mapping[str, Any]) -> dict[str, str]:
    """Names for the filters that take a code or an id (which mean little to a reader). Unit,
    cell and person are read under jurisdiction: one out of reach keeps its code or id."""
    names = {}
    if "category" in args:
        row = db.session.execute(select(Category.name, Category.name_en).where(
            Category.code == args["category"])).one_or_none()
        if row is not None:
            names["category"] = _named(row.name_en if in_english() else row.name,
                                       args["category"])
    if "unit" in args:
        code = args["unit"]
        place = GridCell if len(code) == CELL_CODE_LENGTH else Unit
        name = db.session.execute(select(place.name).where(place.code == code)
                                  ).scalar_one_or_none()
        if name is not None:
            names["unit"] = _named(name, code)
    if "handler" in args:
        name = db.session.execute(select(User.display_name).where(User.id == args["handler"])
                                  ).scalar_one_or_none()
        if name is not None:
            names["handler"] = name
    return names


def _named(name: str, code: str) -> str:
    return str(_l("%(name)s (%(code)s)", name=name, code=code))


def _exporter(principal: Principal) -> str:
    row = db.session.execute(
        select(User.display_name, Unit.name).join(Unit, Unit.id == User.unit_id)
        .where(User.id == principal.user_id)
    ).one_or_none()
    if row is None:  # the platform itself (a script), which has no account
        return principal.username
    return str(_l("%(name)s, %(unit)s", name=row.display_name, unit=row.name))


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, BBox):
        return f"{value.min_lon},{value.min_lat},{value.max_lon},{value.max_lat}"
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


def _when(moment: dt.datetime) -> str:
    shown = local(moment)
    assert shown is not None
    return shown.strftime("%Y-%m-%d %H:%M")
