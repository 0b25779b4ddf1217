"""Parties' personal data: validation, encryption, masking and audited unmasking."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from ..audit.recorder import record
from ..auth.principal import Principal
from ..auth.roles import CENTRE_STAFF
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


@dataclass
class PartyInput:
    name: str
    kind: PartyKind = PartyKind.person
    role: PartyRole = PartyRole.applicant
    id_number: str | None = None
    phone: str | None = None
    address: str | None = None


def _checked_id_number(raw: str | None, field: str) -> str | None:
    if not raw or not raw.strip():
        return None
    try:
        return validate(raw)
    except InvalidIdNumber as error:
        raise Unprocessable(ID_REASONS[error.reason], field=field) from error


def fill_party(party: Party, values: Mapping[str, Any], id_field: str = "id_number") -> list[str]:
    """Set `values` on a party, new or existing; keys absent from `values` are left alone.

    The ID number is checked (GB 11643; refused as 422 on `id_field`); ID number and phone
    are stored encrypted, blind-indexed and masked. Returns the names of the fields whose
    value changed: an ID number or phone is compared through its blind index, never in
    clear, and one that did not change is not re-encrypted."""
    changed = []
    for key in ("name", "kind", "role", "address"):
        if key in values:
            value = values[key]
            if isinstance(value, str):  # names are required; a blank address is none
                value = (value.strip() or None) if key == "address" else value.strip()
            if getattr(party, key) != value:
                setattr(party, key, value)
                changed.append(key)
    if "id_number" in values:
        number = _checked_id_number(values["id_number"], id_field)
        if _set_secret(party, "id_number", number, ID_CONTEXT, mask_id_number):
            changed.append("id_number")
    if "phone" in values:
        phone = (values["phone"] or "").strip() or None
        if _set_secret(party, "phone", phone, PHONE_CONTEXT, mask_phone):
            changed.append("phone")
    return changed


def _set_secret(party: Party, name: str, value: str | None, context: str,
                mask: Callable[[str | None], str | None]) -> bool:
    """Store `value` in the party's <name>_enc, _index and _masked columns unless its blind
    index shows it is the value already there; whether it changed."""
    pii = cipher()
    index = pii.blind_index(value, context)
    if index == getattr(party, f"{name}_index"):
        return False
    setattr(party, f"{name}_enc", pii.encrypt(value, context))
    setattr(party, f"{name}_index", index)
    setattr(party, f"{name}_masked", mask(value))
    return True


def build_party(case: Case, data: PartyInput, id_field: str = "id_number") -> Party:
    """A new party of the case (personal data encrypted and masked by `fill_party`)."""
    party = Party(county_id=case.county_id, case=case)
    fill_party(party, asdict(data), id_field)
    return party


def handles(principal: Principal, case: Case, assignee_ids: set[int]) -> bool:
    """Does this person handle the case (and so may unmask its parties' data)?"""
    if principal.user_id is None:
        return False
    if principal.user_id in assignee_ids or principal.user_id in {case.handler_id,
                                                                  case.reporter_id}:
        return True
    return principal.role in CENTRE_STAFF and principal.unit_id == case.owner_unit_id


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
