"""Evidence files of rectification reports (整改证据): uploaded before the report is sent,
then named in it by SHA-256; downloaded only through a report the reader can see.

- POST /assessment/sanctions/<id>/evidence (multipart, field `file`): for those who may
  report on that sanction's rectification (its unit's centre, or county staff), while it is
  in force. The type is read from the content (photos, recordings, and PDF documents such as
  meeting minutes), the size is limited like case attachments, and the bytes go to the
  content-addressed file store. The answer is the digest to put in the report.
- GET /assessment/rectifications/<id>/evidence/<sha256>: the bytes, if the report (read
  like its sanction's unit) names that digest; with the sniffed type, `nosniff`, a sandbox
  and no caching. A digest no visible report names is 404, whatever the store holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from flask import Response, current_app, send_file
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from marshmallow import Schema, fields

from ..audit.recorder import record
from ..auth.permissions import Forbidden
from ..auth.principal import current_principal
from ..errors import Conflict, NotFound
from ..files import store
from ..files.names import content_disposition, display_name
from ..files.sniff import HEAD_SIZE, sniff
from ..files.upload import store_upload
from ..unit_of_work import committing
from .rectifications import get_report, may_submit
from .sanctions_store import get_sanction
from .vocabulary import SanctionState

bp = Blueprint("assessment_evidence", __name__,
               description="Evidence of rectification reports 整改证据材料")
PDF = "application/pdf"
BINARY = {"type": "string", "format": "binary"}


def evidence_type(head: bytes) -> str | None:
    """What case attachments accept (photos, recordings), and PDF documents."""
    return PDF if head.startswith(b"%PDF-") else sniff(head)


def files_dir() -> Path:
    return Path(current_app.config["FILES_DIR"])


class EvidenceFileIn(Schema):
    file = Upload(required=True, metadata={
        "description": "A photo (JPEG, PNG, WebP, HEIC), a recording (MP3, M4A, AMR, WAV, "
                       "Ogg, WebM) or a PDF document. The type is read from the content."})


class EvidenceOut(Schema):
    sha256 = fields.String(metadata={"description": "Name it in the report's attachments."})
    size = fields.Integer(metadata={"description": "Bytes"})
    name = fields.String(metadata={"description": "The file's name, for display only."})
    media_type = fields.String(metadata={"description": "Sniffed from the content"})


def store_evidence(sanction_id: int, stream: IO[bytes], filename: str | None
                   ) -> dict[str, Any]:
    principal = current_principal()
    sanction = get_sanction(sanction_id)  # scoped: out of reach is not found
    if not may_submit(principal, sanction):
        raise Forbidden(_l("Only the sanctioned unit's centre, or county staff, report on "
                           "its rectification."))
    if sanction.state != SanctionState.confirmed or sanction.deadline is None:
        raise Conflict(_l("Only a sanction in force is rectified."))
    blob, media_type = store_upload(stream, evidence_type, _l(
        "This file type is not accepted as evidence. Upload a photo (JPEG, PNG, WebP, "
        "HEIC), a recording (MP3, M4A, AMR, WAV, Ogg, WebM) or a PDF document."))
    name = display_name(filename)
    with committing():
        record("assessment.evidence_uploaded", object_type="sanctions", object_id=sanction.id,
               county_id=sanction.county_id,
               summary={"sha256": blob.sha256, "size": blob.size, "name": name,
                        "media_type": media_type})
    return {"sha256": blob.sha256, "size": blob.size, "name": name, "media_type": media_type}


@bp.route("/assessment/sanctions/<int:sanction_id>/evidence")
class Evidence(MethodView):
    @bp.arguments(EvidenceFileIn, location="files", description=(
        "multipart/form-data with one part, `file`, of at most MAX_ATTACHMENT_BYTES (20 MiB "
        "by default). Example: `curl -H 'Authorization: Bearer …' -F 'file=@会议纪要.pdf' "
        "…/api/v1/assessment/sanctions/{sanction_id}/evidence`."))
    @bp.response(201, EvidenceOut)
    @bp.alt_response(403, description="Only the sanctioned unit's centre, or county staff.")
    @bp.alt_response(404, description="No such sanction within your jurisdiction.")
    @bp.alt_response(409, description="The sanction is not in force (nothing to rectify).")
    @bp.alt_response(413, description="Larger than the per-file limit.")
    @bp.alt_response(415, description="Not a photo, recording or PDF document.")
    def post(self, args: dict[str, Any], sanction_id: int) -> Any:
        """Upload an evidence file for a rectification report; name its sha256 in the report"""
        upload = args["file"]
        return store_evidence(sanction_id, upload.stream, upload.filename), 201


def download_name(report_id: int, index: int) -> str:
    """整改证据-12-1 (the extension of what the file is follows, from its type)."""
    return f"整改证据-{report_id}-{index}"


@bp.route("/assessment/rectifications/<int:rectification_id>/evidence/<sha256>")
class EvidenceContent(MethodView):
    @bp.response(200, BINARY, content_type="application/octet-stream",
                 description="The bytes, with the sniffed type as Content-Type.")
    @bp.alt_response(404, description="No such report within your jurisdiction, or it names "
                                      "no such file.")
    def get(self, rectification_id: int, sha256: str) -> Response:
        """One evidence file of a rectification report"""
        report = get_report(rectification_id)  # scoped like its sanction's unit
        missing = NotFound(_l("This report has no such evidence file."))
        if sha256 not in (report.attachments or []):
            raise missing
        try:
            path = store.blob_path(files_dir(), sha256)
            with path.open("rb") as blob:
                media_type = evidence_type(blob.read(HEAD_SIZE))
        except (ValueError, OSError):
            raise missing from None
        media_type = media_type or "application/octet-stream"
        index = report.attachments.index(sha256) + 1
        response = send_file(path, mimetype=media_type, etag=sha256, conditional=True,
                             max_age=None)
        response.headers["Content-Disposition"] = content_disposition(
            download_name(report.id, index), media_type,
            inline=media_type != PDF)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["Content-Security-Policy"] = "sandbox"
        return response
