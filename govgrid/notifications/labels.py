"""Names of notification kinds in the user's language (the inbox page).

Kinds are written by outbox handlers and SLA sweeps; a kind added there without a label
here shows as its identifier rather than failing the page.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "new_case": _l("New case reported"),
    "linkage": _l("Linkage notice"),
    "due_soon": _l("Due-soon reminder"),
    "urge": _l("Urging notice"),
    "supervision": _l("Supervision order"),
    "supervision_reply": _l("Supervision reply"),
    "escalated": _l("Escalated automatically"),
    "extension_request": _l("Extension request"),
    "extension_decided": _l("Extension decision"),
    "urgent_alarm": _l("Urgent report deadline warning"),
    "urgent_late": _l("Late urgent report"),
}


def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind
