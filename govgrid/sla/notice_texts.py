"""What a sweep notice says, in the deployment's language (the outbox handler renders it
inside `force_locale`). Times are shown in Asia/Shanghai."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..timestamps import local
from .notices import Kind

STAGES = {"accept": _l("acceptance"), "resolve": _l("handling"),
          "follow_up": _l("follow-up visit")}
CLOCKS = {"county": _l("report to the county"), "upper": _l("report to the level above"),
          "general": _l("report of a general emergency")}


def _when(value: Any) -> str:
    if not value:
        return ""
    moment = local(dt.datetime.fromisoformat(str(value)))
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def title(kind: str, payload: dict[str, Any], case_title: str) -> str:
    stage = str(STAGES.get(payload.get("stage", ""), ""))
    clock = str(CLOCKS.get(payload.get("clock", ""), ""))
    texts = {
        Kind.due_soon: lambda: _("Due soon (%(stage)s): %(case)s", stage=stage,
                                 case=case_title),
        Kind.urge: lambda: _("Overdue, please act (催办): %(case)s", case=case_title),
        Kind.supervision: lambda: _("Supervision order (督办): %(case)s", case=case_title),
        Kind.supervision_reply: lambda: _("Supervision order answered: %(case)s",
                                          case=case_title),
        Kind.escalated: lambda: _("Escalated automatically for being overdue: %(case)s",
                                  case=case_title),
        Kind.extension_request: lambda: _("Extension requested: %(case)s", case=case_title),
        Kind.extension_decided: lambda: (
            _("Extension approved: %(case)s", case=case_title) if payload.get("approved")
            else _("Extension refused: %(case)s", case=case_title)),
        Kind.urgent_alarm: lambda: _("Urgent incident, %(clock)s due soon: %(case)s",
                                     clock=clock, case=case_title),
        Kind.urgent_late: lambda: _("Late report (迟报), %(clock)s: %(case)s", clock=clock,
                                    case=case_title),
    }
    render = texts.get(kind)
    return render() if render else case_title


def body(kind: str, payload: dict[str, Any], place: str) -> str:
    parts = [place] if place else []
    if payload.get("due_at"):
        parts.append(_("Due %(when)s", when=_when(payload["due_at"])))
    if payload.get("overdue_days"):
        parts.append(_("%(days)s day(s) overdue", days=payload["overdue_days"]))
    if payload.get("reply_due_at"):
        parts.append(_("Reply by %(when)s", when=_when(payload["reply_due_at"])))
    if payload.get("days") and kind == Kind.extension_request:
        parts.append(_("%(days)s more day(s) asked", days=payload["days"]))
    if payload.get("note"):
        parts.append(str(payload["note"]))
    return "；".join(parts)
