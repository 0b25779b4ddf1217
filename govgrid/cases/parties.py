"""Parties' personal data: validation, encryption, masking and audited unmasking."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..audit.recorder import record
from ..auth.principal import Principal
from ..auth.roles import Role
from ..errors import DomainError, Unprocessable
from ..pii.idcard import InvalidIdNumber, validate
from ..pii.keys import cipher
from ..pii.masking import mask_id_number, mask_phone
from .models import Case, Party
from .vocabulary import PartyKind, PartyRole

ID_REASONS = {
    "shape": _l("An ID number has 17 digits and a final digit or X."),
    "region": _l("The ID number's region code is not a Chinese province."),
    "birth_date": _l("The ID number's birth date is not a valid date."),
    "check_digit": _l("The ID number's check digit is wrong; please check the number."),
}
ID_CONTEXT = "case_parties.id_number"
PHONE_CONTEXT = "case_parties.phone"

# Roles that work cases at the owning centre; with the case's handler, assignees and
# reporter they are the people who "handle" it and may ask to see personal data.
CENTRE_ROLES = frozenset({Role.village_staff, Role.township_dispatcher, Role.county_staff})


@dataclass
class PartyInput:
    name: str
    kind: PartyKind = PartyKind.person
    role: PartyRole = PartyRole.applicant
    id_number: str | None = None
    phone: str | None = None
    address: str | None = None


def build_party(case: Case, data: PartyInput, index: int) -> Party:
    id_number = None
    if data.id_number:
        try:
            id_number = validate(data.id_number)
        except InvalidIdNumber as error:
            raise Unprocessable(ID_REASONS[error.reason],
                                field=f"parties.{index}.id_number") from error
    phone = data.phone.strip() if data.phone else None
    pii = cipher()
    return Party(
        county_id=case.county_id, case=case, kind=data.kind, role=data.role,
        name=data.name.strip(), address=data.address,
        id_number_enc=pii.encrypt(id_number, ID_CONTEXT),
        id_number_index=pii.blind_index(id_number, ID_CONTEXT),
        id_number_masked=mask_id_number(id_number),
        phone_enc=pii.encrypt(phone, PHONE_CONTEXT),
        phone_index=pii.blind_index(phone, PHONE_CONTEXT),
        phone_masked=mask_phone(phone),
    )


def handles(principal: Principal, case: Case, assignee_ids: set[int]) -> bool:
    """Does this person handle the case (and so may unmask its parties' data)?"""
    if principal.user_id is None:
        return False
    if principal.user_id in assignee_ids or principal.user_id in {case.handler_id,
                                                                  case.reporter_id}:
        return True
    return principal.role in CENTRE_ROLES and principal.unit_id == case.owner_unit_id


class NotHandler(DomainError):
    status = 403


def unmask(principal: Principal, case: Case, party: Party, assignee_ids: set[int],
           reason: str) -> dict[str, str | None]:
    """The party's ID number and phone in clear, for someone who handles the case; the read
    is audited (who, when, why). The caller commits, so the audit entry is written."""
    if not handles(principal, case, assignee_ids):
        raise NotHandler(_l("Only those who handle this case may see personal data unmasked."))
    pii = cipher()
    record("case_parties.unmask", object_type="case_parties", object_id=party.id,
           county_id=case.county_id, summary={"case_id": str(case.id), "reason": reason[:200]})
    return {
        "id_number": pii.decrypt(party.id_number_enc, ID_CONTEXT),
        "phone": pii.decrypt(party.phone_enc, PHONE_CONTEXT),
    }
