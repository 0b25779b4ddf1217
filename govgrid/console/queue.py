"""The console's queue: the page's filter form turned into the case list's own arguments
(so the list, its map and its exports read exactly the same cases), and the rows as the
page shows them.

The list is `cases.queries.list_cases` in the "queue" order (overdue, then new, then due
soon, then the rest by due time): jurisdiction is the scoping hook's, as everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import select

from ..auth.models import User
from ..auth.scope import unscoped
from ..cases.case_page import DEADLINE_LABELS, SEVERITY_LABELS
from ..cases.deadlines import deadline_state
from ..cases.messages import STATE_LABELS
from ..cases.models import Case
from ..cases.queries import list_cases
from ..cases.schemas import CasesQuery
from ..extensions import db
from ..geo.models import Unit
from ..pagination import MAX_PAGE
from ..stats.indicators import Count
from ..stats.labels import count_words
from ..stats.period import local_midnight
from ..timestamps import DISPLAY_TZ, local, utcnow

PAGE_SIZE = 20
SORT = "queue"
# Form fields passed to the list as they are (CasesQuery validates them).
PLAIN = ("deadline_state", "category", "severity", "level", "unit", "q", "handler", "metric")
FLAGS = ("urgent", "active")  # checkboxes and links: "true" / "false"
# Dates in the form (local days, Asia/Shanghai); the list takes moments. "to" includes its day.
# The dashboard's links give moments instead (the exact bounds it counted by): taken as they
# are, and shown in the form as the local days they bound.
DATES = ("reported_from", "reported_to", "resolved_from")
MOMENTS = ("visits_from", "visits_to")  # only ever from the dashboard's links
FIELDS = ("state",) + PLAIN + FLAGS + DATES + MOMENTS
# Bounds that end before the moment they name: shown as the day before when on a midnight.
EXCLUSIVE_ENDS = ("reported_to", "visits_to")
ALL_STATES = "all"  # the state field's choice for every case, finished ones too
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PAGE_NUMBER = re.compile(r"[0-9]{1,7}")  # ASCII digits: int() refuses "²", isdigit() not


@dataclass
class QueueRequest:
    """The form as sent (`form`, shown back in the fields), the list's arguments in the API's
    terms (`api_params`, for the map's points and the export links), the loaded arguments
    and the page, or the errors per field."""

    form: dict[str, str] = field(default_factory=dict)
    api_params: dict[str, str] = field(default_factory=dict)
    args: dict[str, Any] = field(default_factory=dict)
    page: int = 1
    errors: dict[str, list[str]] = field(default_factory=dict)


def _moment(value: str) -> dt.datetime | None:
    """An ISO moment with its offset (the dashboard's bounds), or None."""
    if DATE.fullmatch(value) or "T" not in value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _api_value(name: str, value: str) -> str:
    if name not in DATES and name not in MOMENTS:
        return value
    moment = _moment(value)
    if moment is not None:
        return moment.isoformat()
    if name in MOMENTS or not DATE.fullmatch(value):
        raise ValueError
    day = dt.date.fromisoformat(value)
    if name == "reported_to":
        day += dt.timedelta(days=1)  # up to the end of the day chosen
    return local_midnight(day).astimezone(DISPLAY_TZ).isoformat()  # links read in local time


def _form_value(name: str, value: str) -> str:
    """What the form field shows: a moment from a link as the local day it bounds (the
    visits' bounds have no field and go back as they came, in hidden inputs)."""
    moment = _moment(value) if name in DATES else None
    if moment is None:
        return value
    if name in EXCLUSIVE_ENDS:
        moment -= dt.timedelta(microseconds=1)  # "before midnight" ends on the day before
    return moment.astimezone(DISPLAY_TZ).date().isoformat()


def parse(values: Any) -> QueueRequest:
    """The query string of /console (a MultiDict or a dict of strings); empty fields are
    left out, as a browser sends every field of a GET form."""
    request = QueueRequest()
    for name in FIELDS:
        value = (values.get(name) or "").strip()
        if not value:
            continue
        request.form[name] = _form_value(name, value)
        if name == "state" and value == ALL_STATES:
            continue
        try:
            request.api_params[name] = _api_value(name, value)
        except (ValueError, OverflowError):  # not a date; the day after 9999-12-31
            request.errors[name] = [str(_l("Enter a date as YYYY-MM-DD."))]
    raw_page = (values.get("page") or "").strip()
    if raw_page:
        if not PAGE_NUMBER.fullmatch(raw_page) or not 1 <= int(raw_page) <= MAX_PAGE:
            request.errors["page"] = [str(_l("Not a valid page number."))]
        else:
            request.page = int(raw_page)
    if "state" not in request.form and "metric" not in request.form:
        # The queue is what needs action: open cases, unless a state is chosen or the cases
        # behind a dashboard number are asked for (finished ones among them).
        request.api_params["open"] = "true"
    request.api_params["sort"] = SORT
    try:
        request.args = CasesQuery().load(request.api_params)
    except ValidationError as error:
        for name, messages in error.normalized_messages().items():
            request.errors.setdefault(name, []).extend(str(m) for m in _flat(messages))
    return request


def _flat(messages: Any) -> list[Any]:
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in _flat(value)]
    return list(messages) if isinstance(messages, list) else [messages]


@dataclass(frozen=True)
class QueueRow:
    case: Case
    category: str
    severity: str
    place: str
    holder: str
    state: str
    deadline_state: str | None
    deadline_label: str | None
    reported: str


def _names(cases: list[Case]) -> dict[int, str]:
    """Names of every unit the rows mention, in one query. Unscoped because a village's
    queue names the township holding an escalated case, which lies above its jurisdiction;
    only names come out."""
    ids = {u for c in cases for u in (c.township_id, c.village_id, c.owner_unit_id) if u}
    if not ids:
        return {}
    return dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))
                                   .execution_options(**unscoped())).all())


def rows(args: dict[str, Any], page: int) -> tuple[list[QueueRow], int]:
    """One page of the queue and the number of all cases in it."""
    cases, total = list_cases(args, page, PAGE_SIZE)
    names = _names(cases)
    now = utcnow()
    shown = []
    for case in cases:
        state = deadline_state(now, case.state, case.due_soon_at, case.due_at)
        reported = local(case.reported_at)
        shown.append(QueueRow(
            case=case, category=case.category.name,
            severity=str(SEVERITY_LABELS[case.severity]),
            place=" ".join(names[u] for u in (case.township_id, case.village_id)
                           if u in names),
            holder=names.get(case.owner_unit_id, ""),
            state=str(STATE_LABELS.get(case.state, case.state.value)),
            deadline_state=state.value if state else None,
            deadline_label=str(DEADLINE_LABELS[state]) if state else None,
            reported=reported.strftime("%Y-%m-%d %H:%M") if reported else ""))
    return shown, total


def metric_words(metric: str) -> str | None:
    """What the cases behind a dashboard number are, in words (None for an unknown count,
    which the list's validation refuses anyway)."""
    try:
        return str(count_words()[Count(metric)])
    except ValueError:
        return None


def handler_name(user_id: int) -> str | None:
    """The person the queue is filtered by (scoped: someone of one's own jurisdiction)."""
    return db.session.execute(select(User.display_name).where(User.id == user_id)
                              ).scalar_one_or_none()
