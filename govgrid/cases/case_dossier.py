"""The case's record on the case page: its facts, parties, attachments, mediation sessions
and written agreements (read-only; every query is jurisdiction-scoped like the case).

Parties are dumped with the API's own schema (`schemas.PartyOut`), so the page shows ID
numbers and phones exactly as masked for the API; those who handle the case may unmask a
party through the audited API (`parties_api.PartyUnmask`), never here.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth.models import User
from ..auth.principal import Principal
from ..auth.scope import unscoped
from ..extensions import db
from ..timestamps import local
from .messages import PARTY_ROLE_LABELS, SOURCE_LABELS
from .models import Case
from .parties import handles
from .records import Agreement, Attachment, ConfirmationStatus, MediationSession
from .schemas import PartyOut
from .vocabulary import PartyKind, PartyRole

CONFIRMATION_LABELS = {
    ConfirmationStatus.not_applied: _l("judicial confirmation not applied for"),
    ConfirmationStatus.applied: _l("judicial confirmation applied for"),
    ConfirmationStatus.confirmed: _l("confirmed by the court"),
    ConfirmationStatus.rejected: _l("confirmation refused by the court"),
}
# Shown inline: what Chromium and the county's browsers draw (HEIC is offered as a link).
PICTURES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})


def when(moment: Any) -> str:
    """A moment as the page shows it: Beijing time, to the minute."""
    shown = local(moment)
    return shown.strftime("%Y-%m-%d %H:%M") if shown else ""


def _size(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{max(1, size // 1024)} KB"


def _names(user_ids: set[int | None]) -> dict[int, str]:
    wanted = [u for u in user_ids if u]
    if not wanted:
        return {}
    # Names only: a mediator or reporter may work in a unit outside the reader's reach, but
    # who did the work is part of the case everyone who reads it may read.
    return dict(db.session.execute(select(User.id, User.display_name).where(
        User.id.in_(wanted)).execution_options(**unscoped())).all())


def facts(case: Case, names: dict[int, str]) -> dict[str, Any]:
    return {
        "description": case.description, "address": case.address,
        "reported": when(case.reported_at), "occurred": when(case.occurred_at),
        "people_involved": case.people_involved, "amount": case.amount_involved,
        "source": SOURCE_LABELS.get(case.source, case.source),
        "reporter": names.get(case.reporter_id or 0, ""),
        "handler": names.get(case.handler_id or 0, ""),
    }


def parties(case: Case) -> list[dict[str, Any]]:
    rows = PartyOut(many=True).dump(case.parties)
    for row in rows:
        row["role_label"] = PARTY_ROLE_LABELS.get(PartyRole(row["role"]), row["role"])
        row["is_person"] = row["kind"] == PartyKind.person.value
    return rows


def attachments(case_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = db.session.execute(select(Attachment).where(Attachment.case_id == case_id)
                              .order_by(Attachment.id)).scalars()
    return [{
        "name": a.original_name, "media_type": a.media_type, "size": _size(a.size),
        "added": when(a.created_at),
        "kind": "picture" if a.media_type in PICTURES else
                "audio" if a.media_type.startswith("audio/") else "file",
        # The access-checked route of the API: the page never serves the bytes itself.
        "url": url_for("attachments_api.AttachmentContent", case_id=case_id,
                       attachment_id=a.id),
    } for a in rows]


def sessions_and_agreements(case_id: uuid.UUID) -> tuple[list[Any], list[Agreement]]:
    sessions = list(db.session.execute(
        select(MediationSession).where(MediationSession.case_id == case_id)
        .order_by(MediationSession.held_at, MediationSession.id)).scalars())
    agreements = list(db.session.execute(
        select(Agreement).where(Agreement.case_id == case_id).order_by(Agreement.id)).scalars())
    return sessions, agreements


def dossier(principal: Principal, case: Case, assignee_ids: set[int],
            sessions: list[MediationSession], agreements: list[Agreement]) -> dict[str, Any]:
    names = _names({case.reporter_id, case.handler_id}
                   | {s.mediator_id for s in sessions} | {a.mediator_id for a in agreements})
    return {
        "facts": facts(case, names),
        "parties": parties(case),
        "can_unmask": handles(principal, case, assignee_ids),
        "attachments": attachments(case.id),
        "sessions": [{"held": when(s.held_at), "place": s.place,
                      "participants": "、".join(s.participants or []), "summary": s.summary,
                      "result": s.result, "mediator": names.get(s.mediator_id or 0, "")}
                     for s in sessions],
        "agreements": [{"number": a.number, "signed": a.signed_on.isoformat(),
                        "committee": a.committee, "amount": a.amount,
                        "mediator": names.get(a.mediator_id or 0, ""),
                        "confirmation": CONFIRMATION_LABELS.get(
                            ConfirmationStatus(a.confirmation_status), ""),
                        "print_url": url_for("cases_pages.agreement_print", case_id=case.id,
                                             agreement_id=a.id)}
                       for a in agreements],
    }
