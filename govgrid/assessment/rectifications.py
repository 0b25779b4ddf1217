"""Rectification reports (整改报告) on a sanction in force: submitted by the sanctioned unit's
centre (or by county staff on its behalf) with evidence files from the file store, one at a
time waiting for review; reviewed by those who decide sanctions. Accepting one marks the
sanction rectified in the same transaction; both writes are conditional (409 when someone
acted first) and audited."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ..audit.recorder import record
from ..auth.permissions import Forbidden, Permission, allowed, require
from ..auth.principal import Principal
from ..auth.roles import CENTRE_STAFF
from ..errors import Conflict, NotFound, StaleVersion, Unprocessable
from ..extensions import db
from ..files import store
from ..timestamps import utcnow
from ..unit_of_work import committing
from .models import RectificationReport, Sanction
from .sanctions_store import MAX_ID, get_sanction
from .vocabulary import SanctionState


def may_submit(principal: Principal, sanction: Sanction) -> bool:
    own_centre = principal.unit_id == sanction.unit_id and principal.role in CENTRE_STAFF
    return own_centre or allowed(principal, Permission.manage_assessment)


def submit(principal: Principal, sanction_id: int, text: str,
           attachments: Sequence[str] = ()) -> RectificationReport:
    sanction = get_sanction(sanction_id)  # scoped: out of reach is not found
    if not may_submit(principal, sanction):
        raise Forbidden(_l("Only the sanctioned unit's centre, or county staff, report on "
                           "its rectification."))
    if sanction.state != SanctionState.confirmed:
        raise Conflict(_l("Only a sanction in force is rectified."))
    if sanction.deadline is None:
        raise Unprocessable(_l("This step has no rectification: it runs its term."))
    text = (text or "").strip()
    if not text:
        raise Unprocessable(_l("Describe what was rectified."))
    digests = list(dict.fromkeys(attachments))
    _check_stored(digests)
    with committing():
        report_id = db.session.execute(
            pg_insert(RectificationReport).values(
                county_id=sanction.county_id, sanction_id=sanction.id,
                submitted_by=principal.user_id, submitted_at=utcnow(), text=text,
                attachments=digests, version=1)
            .on_conflict_do_nothing(index_elements=["sanction_id"],
                                    index_where=RectificationReport.accepted.is_(None))
            .returning(RectificationReport.id)).scalar_one_or_none()
        if report_id is None:
            raise Conflict(_l("A rectification report on this sanction is waiting for "
                              "review."))
        record("assessment.rectification_submitted", object_type="rectification_reports",
               object_id=report_id, county_id=sanction.county_id,
               summary={"sanction_id": sanction.id, "attachments": digests})
    return get_report(report_id)


def _check_stored(digests: Sequence[str]) -> None:
    """Evidence is named by the digest its upload answered: one the file store does not
    hold was never uploaded (or mistyped), and is refused."""
    root = Path(current_app.config["FILES_DIR"])
    missing = []
    for digest in digests:
        try:
            stored = store.blob_path(root, digest).is_file()
        except ValueError:
            stored = False
        if not stored:
            missing.append(digest)
    if missing:
        raise Unprocessable(_l("These evidence files were not uploaded: %(files)s. Upload "
                               "them first.", files=", ".join(d[:12] for d in missing)),
                            missing=missing)


def get_report(report_id: int) -> RectificationReport:
    row = None
    if 0 < report_id <= MAX_ID:
        row = db.session.execute(select(RectificationReport).where(
            RectificationReport.id == report_id)).scalar_one_or_none()
    if row is None:
        raise NotFound(_l("No such rectification report in your jurisdiction."))
    return row


def reports_of(sanction_id: int) -> list[RectificationReport]:
    return list(db.session.execute(
        select(RectificationReport).where(RectificationReport.sanction_id == sanction_id)
        .order_by(RectificationReport.submitted_at, RectificationReport.id)).scalars())


def review(principal: Principal, report_id: int, version: int, accept: bool,
           note: str | None = None) -> RectificationReport:
    """Accept (the sanction is rectified) or reject (the unit may report again) a report."""
    require(principal, Permission.decide_sanctions)
    report = get_report(report_id)
    if report.accepted is not None:
        raise Conflict(_l("This report has been reviewed already."))
    note = (note or "").strip() or None
    if not accept and note is None:
        raise Unprocessable(_l("Say why the rectification is not accepted."))
    now = utcnow()
    with committing():
        won = db.session.execute(
            update(RectificationReport)
            .where(RectificationReport.id == report.id, RectificationReport.version == version,
                   RectificationReport.accepted.is_(None))
            .values(accepted=accept, reviewed_by=principal.user_id, reviewed_at=now,
                    review_note=note, version=RectificationReport.version + 1)
            .returning(RectificationReport.id)).scalar_one_or_none()
        if won is None:
            raise StaleVersion()
        if accept:
            rectified = db.session.execute(
                update(Sanction).where(Sanction.id == report.sanction_id,
                                       Sanction.state == SanctionState.confirmed)
                .values(state=SanctionState.rectified, rectified_at=now,
                        version=Sanction.version + 1, updated_at=now)
                .returning(Sanction.id)).scalar_one_or_none()
            if rectified is None:
                raise Conflict(_l("The sanction is no longer in force."))
        record("assessment.rectification_reviewed", object_type="rectification_reports",
               object_id=report.id, county_id=report.county_id,
               summary={"sanction_id": report.sanction_id, "accepted": accept, "note": note})
    db.session.expire_all()
    return get_report(report_id)
