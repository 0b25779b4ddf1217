"""Case attachments (photos and recordings): checked by content, stored by SHA-256 outside
the web root, recorded as `Attachment` rows, read within jurisdiction.

The ORM insert is audited automatically (`Attachment.__audited__`). Blobs are written before
the row commits; if the commit fails the blob stays unreferenced, which is harmless (the
same bytes uploaded again reuse it) and is left to a later sweep rather than deleted here,
where another row may just have started to refer to it.

Uploading is idempotent per case and content: the same bytes sent again to the same case (a
phone retrying after a lost response) return the attachment made the first time. Two such
uploads at once are serialised by a transaction-scoped advisory lock on the case (there is
no unique key on (case_id, sha256)), so only one of them inserts.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..auth.principal import Principal
from ..errors import NotFound, Unprocessable
from ..extensions import db
from ..files import store
from ..files.names import display_name
from ..files.sniff import sniff
from ..files.upload import store_upload
from ..unit_of_work import committing
from . import queries
from .records import Attachment
from .workflow import CaseState

# Terminal states: the record is closed (archived) or lives on in another case (merged), or
# was never taken up (rejected); evidence belongs on the case that is being worked.
CLOSED_TO_ATTACHMENTS = frozenset({CaseState.archived, CaseState.merged, CaseState.rejected})


def files_dir() -> Path:
    return Path(current_app.config["FILES_DIR"])


def add_attachment(principal: Principal, case_id: uuid.UUID, stream: BinaryIO,
                   filename: str | None) -> tuple[Attachment, bool]:
    """Attach the stream's bytes to a case the principal can read; `filename` is kept for
    display only. Returns the attachment and whether it was created now (False: these bytes
    were attached to the case already, and that attachment, with its first name, is
    returned)."""
    case = queries.get_case(case_id)  # out of jurisdiction: 404, as if it did not exist
    if case.state in CLOSED_TO_ATTACHMENTS:
        raise Unprocessable(_l("Files cannot be added to a case that is archived, rejected "
                               "or merged."), state=case.state.value)
    blob, media_type = store_upload(stream, sniff, _l(
        "This file type is not accepted. Upload a photo (JPEG, PNG, WebP, HEIC) or a "
        "recording (MP3, M4A, AMR, WAV, Ogg, WebM)."))
    with committing():
        # Under READ COMMITTED the look-up after the lock sees every attachment committed
        # before it was granted: of two uploads of the same bytes, the second finds the first.
        db.session.execute(select(func.pg_advisory_xact_lock(
            func.hashtextextended(f"govgrid.attachment:{case.id}", 0))))
        existing = db.session.execute(
            select(Attachment).where(Attachment.case_id == case.id,
                                     Attachment.sha256 == blob.sha256)
            .order_by(Attachment.id).limit(1)
        ).scalar_one_or_none()
        if existing is not None:
            return existing, False
        attachment = Attachment(
            county_id=case.county_id, case_id=case.id, sha256=blob.sha256,
            media_type=media_type, size=blob.size, original_name=display_name(filename),
            uploaded_by=principal.user_id)
        db.session.add(attachment)
    return attachment, True


def list_attachments(case_id: uuid.UUID) -> list[Attachment]:
    """A case's attachments, oldest first; 404 for a case out of jurisdiction (not an empty
    list, which would confirm that the case exists)."""
    queries.get_case(case_id)
    return list(db.session.execute(
        select(Attachment).where(Attachment.case_id == case_id).order_by(Attachment.id)
    ).scalars())


def get_attachment(case_id: uuid.UUID, attachment_id: int) -> Attachment:
    """One attachment of one case; the jurisdiction rule of attachments (their case's) is
    applied by the scoping hook, so out of scope reads as not found."""
    attachment = db.session.execute(
        select(Attachment).where(Attachment.id == attachment_id,
                                 Attachment.case_id == case_id)
    ).scalar_one_or_none()
    if attachment is None:
        raise NotFound(_l("No such attachment."))
    return attachment


def blob_path(attachment: Attachment) -> Path:
    return store.blob_path(files_dir(), attachment.sha256)
