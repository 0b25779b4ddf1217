"""Case pages: the printable 人民调解协议书 (A4, Chinese, no script).

The agreement is printed in Chinese whatever the interface language: it is a legal document
the parties sign, so its wording is fixed here, not translated. Personal data are masked
unless someone who handles the case asks for them with ?unmasked=1, which is audited.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import Blueprint, Response, make_response, render_template, request
from sqlalchemy import select

from ..auth.models import User
from ..auth.principal import current_principal
from ..auth.scope import unscoped
from ..extensions import db
from ..pii.idcard import birth_date, sex
from . import agreements, queries
from .confirmation import chinese_date, chinese_number, confirmation_deadline
from .models import Party
from .parties import handles
from .vocabulary import PartyKind, PartyRole

bp = Blueprint("cases_pages", __name__)

ROLE_LABELS = {PartyRole.applicant: "申请人", PartyRole.respondent: "被申请人",
               PartyRole.other: "第三人"}
SEX_LABELS = {"male": "男", "female": "女"}


@dataclass(frozen=True)
class PrintedParty:
    """当事人的基本情况 as printed: masked, or in clear for an audited handler's print."""

    role: str
    name: str
    is_person: bool
    sex: str | None
    born: str | None  # 1990年1月1日; None when there is no ID number
    id_number: str | None
    phone: str | None
    address: str | None


def printed_party(party: Party, clear: dict[str, str | None] | None) -> PrintedParty:
    id_number = clear["id_number"] if clear else party.id_number_masked
    phone = clear["phone"] if clear else party.phone_masked
    born = None
    if id_number and len(id_number) == 18:
        # The masked number hides exactly the birth date, so only a clear one shows it; the
        # sex digit (17th) is among the four a masked number keeps.
        if clear:
            day = birth_date(id_number)
            born = f"{day.year}年{day.month}月{day.day}日"
        else:
            born = "****年**月**日"
    person = party.kind is PartyKind.person
    return PrintedParty(
        role=ROLE_LABELS.get(party.role, "当事人"), name=party.name, is_person=person,
        sex=SEX_LABELS[sex(id_number)] if person and id_number and len(id_number) == 18
        else None,
        born=born if person else None, id_number=id_number, phone=phone,
        address=party.address)


def _mediator_name(user_id: int | None) -> str | None:
    if user_id is None:
        return None
    # The mediator's name is part of the agreement everyone who reads the case may read,
    # even when the mediator's own unit is outside the reader's jurisdiction.
    return db.session.execute(select(User.display_name).where(User.id == user_id)
                              .execution_options(**unscoped())).scalar_one_or_none()


@bp.get("/cases/<uuid:case_id>/agreements/<int:agreement_id>/print")
def agreement_print(case_id: uuid.UUID, agreement_id: int) -> Response:
    """The agreement as an A4 document to print and sign."""
    principal = current_principal()
    agreement = agreements.get_agreement(case_id, agreement_id)  # 404 out of jurisdiction
    case = queries.get_case(case_id)
    unmasked = request.args.get("unmasked") == "1"
    clear = agreements.unmask_for_print(principal, case, agreement) if unmasked else {}
    parties = [printed_party(p, clear.get(p.id)) for p in case.parties]
    html = render_template(
        "cases_pages/agreement_print.html", agreement=agreement, parties=parties,
        mediator=_mediator_name(agreement.mediator_id),
        copies=chinese_number(len(parties) + 1),  # 当事人各执一份，调委会留存一份 (art. 29)
        signed=chinese_date(agreement.signed_on),
        effective=chinese_date(agreement.effective_on),
        deadline=chinese_date(confirmation_deadline(agreement)),
        unmasked=unmasked,
        can_unmask=not unmasked and handles(principal, case, queries.assignee_ids(case.id)))
    response = make_response(html)
    # Names and (perhaps) ID numbers: never kept by shared or disk caches.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/cases/<uuid:case_id>")
def case_page(case_id: uuid.UUID) -> str:
    """The case at a glance: its time limit with a live countdown, urgent reporting clocks,
    extension requests, supervision orders and timeline (acting on it: the consoles)."""
    from .case_page import case_view

    return render_template("cases_pages/case.html", **case_view(case_id))
