"""Editing a case after intake: its descriptive fields and its parties.

Who: those who handle the case (parties.handles: its handler, assignees, reporter, and the
centre staff of the unit holding it); others who read it get 403, those who do not read it
404 (the jurisdiction hook). When: while the case is not finished — a closed, archived,
rejected or merged case is refused with 409, like a workflow action in the wrong state.
How: every change is conditional on the case version the editor read
(`UPDATE cases ... WHERE version = :v RETURNING`, 409 when someone else changed the case
first) and bumps it, adds a timeline entry naming the fields changed (never their values)
and an audit entry, all in one transaction owned here. The state never changes: that is
the workflow's (transitions.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select, update

from ..audit.recorder import record
from ..auth.principal import Principal
from ..errors import Conflict, StaleVersion, Unprocessable
from ..extensions import db
from ..sla.urgent_service import CLOCK_FACTS, reevaluate_clocks
from ..timestamps import utcnow
from ..unit_of_work import committing
from . import queries
from .messages import STATE_LABELS
from .models import Case, CaseEvent, Party
from .parties import NotHandler, PartyInput, build_party, fill_party, handles
from .records import Agreement
from .workflow import CaseState

EDITABLE_FIELDS = ("title", "description", "address", "people_involved", "amount_involved",
                   "occurred_at")
FINISHED_STATES = frozenset({CaseState.closed, CaseState.archived, CaseState.rejected,
                             CaseState.merged})
MAX_PARTIES = 50  # as at reporting

NOTHING = _l("Nothing to change: send at least one field with a new value.")


def may_edit(principal: Principal, case: Case, assignee_ids: set[int]) -> bool:
    """For the UI: would an edit by this person be accepted now (version aside)?"""
    return case.state not in FINISHED_STATES and handles(principal, case, assignee_ids)


def _editable(principal: Principal, case_id: uuid.UUID, version: int) -> Case:
    """The case, if this person may edit it now at this version: 404, 403, 409 otherwise."""
    case = queries.get_case(case_id)
    if not handles(principal, case, queries.assignee_ids(case.id)):
        raise NotHandler(_l("Only those who handle this case may edit it."))
    if case.state in FINISHED_STATES:
        raise Conflict(_l("The case is %(state)s; it can no longer be edited.",
                          state=STATE_LABELS[case.state]), state=case.state.value)
    if case.version != version:  # early and clear; the conditional UPDATE is the guarantee
        raise StaleVersion()
    return case


def _parties_editable(principal: Principal, case_id: uuid.UUID, version: int) -> Case:
    """As `_editable`, and the parties not yet named in a 调解协议书: the printed agreement
    reads them, so a change afterwards would silently alter a signed document (409)."""
    case = _editable(principal, case_id, version)
    if db.session.scalar(select(exists().where(Agreement.case_id == case.id))):
        raise Conflict(_l("A mediation agreement names these parties; they can no longer be "
                          "changed. Record a new agreement if the parties change."))
    return case


def _record_change(principal: Principal, case: Case, version: int, action: str,
                   fields: list[str], values: Mapping[str, Any] | None = None,
                   **memo: Any) -> int:
    """Bump the case version (setting `values`) if it is still `version`, and add the
    timeline entry; returns the new version. The caller records the audit entry and commits."""
    now = utcnow()
    won = db.session.execute(
        update(Case).where(Case.id == case.id, Case.version == version)
        .values(**(values or {}), version=Case.version + 1, updated_at=now)
        .returning(Case.id)
    ).scalar_one_or_none()
    if won is None:
        raise StaleVersion()
    db.session.add(CaseEvent(
        county_id=case.county_id, case_id=case.id, action=action,
        from_state=case.state.value, to_state=case.state.value, actor_id=principal.user_id,
        actor_unit_id=principal.unit_id, at=now, note=", ".join(fields) or None,
        payload={"fields": fields, **memo}))
    return version + 1


def edit_case(principal: Principal, case_id: uuid.UUID, version: int,
              changes: Mapping[str, Any]) -> Case:
    """Change the case's descriptive fields; 422 when nothing would change."""
    case = _editable(principal, case_id, version)
    values = {}
    for key in EDITABLE_FIELDS:
        if key not in changes:
            continue
        value = changes[key]
        if key == "title":
            value = value.strip()
        elif key == "address" and value is not None:
            value = value.strip() or None  # a blank address is none
        if getattr(case, key) != value:
            values[key] = value
    if not values:
        raise Unprocessable(NOTHING)
    audit = {key: [getattr(case, key), value] for key, value in values.items()}
    fields = list(values)
    with committing():
        new_version = _record_change(principal, case, version, "edit", fields, values)
        if CLOCK_FACTS & values.keys():  # urgent reporting clocks move with the occurrence
            reevaluate_clocks(case.id)
        record("cases.edit", object_type="cases", object_id=case.id, county_id=case.county_id,
               summary={"version": new_version, "changes": audit})
    db.session.expire_all()
    return queries.get_case(case_id)


def add_party(principal: Principal, case_id: uuid.UUID, version: int,
              data: PartyInput) -> tuple[Party, int]:
    """A new party of the case, and the case's new version."""
    case = _parties_editable(principal, case_id, version)
    if len(case.parties) >= MAX_PARTIES:
        raise Unprocessable(_l("A case can have at most %(count)s parties.", count=MAX_PARTIES))
    with committing():
        party = build_party(case, data)
        db.session.add(party)
        db.session.flush()  # its id, for the timeline
        new_version = _record_change(principal, case, version, "party_added", [],
                                     party_id=party.id)
        _audit_party(case, "party_added", party.id, new_version, [])
    return party, new_version


def edit_party(principal: Principal, case_id: uuid.UUID, party_id: int, version: int,
               changes: Mapping[str, Any]) -> tuple[Party, int]:
    """Change one party (ID number and phone re-encrypted and re-masked); 422 when nothing
    would change."""
    case = _parties_editable(principal, case_id, version)
    party = queries.get_party(case, party_id)
    with committing():
        fields = fill_party(party, changes)
        if not fields:
            raise Unprocessable(NOTHING)
        new_version = _record_change(principal, case, version, "party_edited", fields,
                                     party_id=party.id)
        _audit_party(case, "party_edited", party.id, new_version, fields)
    return party, new_version


def remove_party(principal: Principal, case_id: uuid.UUID, party_id: int, version: int) -> int:
    """Remove one party from the case; returns the case's new version."""
    case = _parties_editable(principal, case_id, version)
    party = queries.get_party(case, party_id)
    with committing():
        db.session.delete(party)
        new_version = _record_change(principal, case, version, "party_removed", [],
                                     party_id=party_id)
        _audit_party(case, "party_removed", party_id, new_version, [])
    return new_version


def _audit_party(case: Case, action: str, party_id: int, version: int,
                 fields: list[str]) -> None:
    # The party row's own change is captured automatically (case_parties.*, personal data
    # redacted); this entry ties it to the case and its new version.
    record(f"cases.{action}", object_type="cases", object_id=case.id, county_id=case.county_id,
           summary={"version": version, "party_id": party_id, "fields": fields})
