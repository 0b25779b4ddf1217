"""Case attachments API: upload (multipart), list, metadata, and the bytes themselves.

The bytes are served only here, after the jurisdiction check of the attachment's case, with
the type we sniffed (never the client's) and `nosniff`, so a browser cannot be talked into
running an upload as a page or script.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, send_file, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from marshmallow import Schema, fields

from ..auth.principal import current_principal
from ..files.names import content_disposition
from . import attachments

bp = Blueprint("attachments_api", __name__,
               description="Case attachments: photos and recordings 附件（照片、录音）")


class AttachmentFileSchema(Schema):
    file = Upload(required=True, metadata={
        "description": "A photo (JPEG, PNG, WebP, HEIC) or a recording (MP3, M4A, AMR, WAV, "
                       "Ogg, WebM). The type is read from the content; the file name is kept "
                       "for display only."})


class AttachmentOut(Schema):
    id = fields.Integer()
    case_id = fields.UUID()
    name = fields.String(attribute="original_name")
    media_type = fields.String(metadata={"description": "Sniffed from the content"})
    size = fields.Integer(metadata={"description": "Bytes"})
    sha256 = fields.String()
    uploaded_by = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    content_url = fields.Method("_content_url")

    def _content_url(self, attachment: Any) -> str:
        return url_for("attachments_api.AttachmentContent", case_id=attachment.case_id,
                       attachment_id=attachment.id)


BINARY = {"type": "string", "format": "binary"}

UPLOAD_DESCRIPTION = (
    "multipart/form-data with one part, `file`: a photo (JPEG, PNG, WebP, HEIC) or a "
    "recording (MP3, M4A, AMR, WAV, Ogg, WebM), of at most the per-file limit "
    "(MAX_ATTACHMENT_BYTES, 20 MiB by default). The type is sniffed from the content, never "
    "taken from the part's Content-Type or the file name; the file name (e.g. 现场照片.jpg) is "
    "kept for display only. Example: `curl -H 'Authorization: Bearer …' -F 'file=@现场照片.jpg' "
    "…/api/v1/cases/{case_id}/attachments`."
)


@bp.route("/cases/<uuid:case_id>/attachments")
class Attachments(MethodView):
    @bp.response(200, AttachmentOut(many=True))
    @bp.alt_response(404, description="No such case within your jurisdiction.")
    def get(self, case_id: uuid.UUID) -> Any:
        """The attachments of a case"""
        return attachments.list_attachments(case_id)

    @bp.arguments(AttachmentFileSchema, location="files", description=UPLOAD_DESCRIPTION)
    @bp.response(201, AttachmentOut)
    @bp.alt_response(200, schema=AttachmentOut,
                     description="These bytes (same SHA-256) were attached to the case "
                                 "already: that attachment, unchanged (an idempotent retry).")
    @bp.alt_response(404, description="No such case within your jurisdiction.")
    @bp.alt_response(413, description="Larger than the per-file limit.")
    @bp.alt_response(415, description="Not an accepted photo or audio format.")
    @bp.alt_response(422, description="No `file` part, or the case is archived, rejected or "
                                      "merged.")
    def post(self, args: dict[str, Any], case_id: uuid.UUID) -> Any:
        """Attach a photo or recording to a case (multipart/form-data, field "file")

        Idempotent by content: sending the same file to the same case again (a retry after a
        lost response) returns the existing attachment with 200 instead of a second one.
        """
        upload = args["file"]
        attachment, created = attachments.add_attachment(current_principal(), case_id,
                                                         upload.stream, upload.filename)
        return attachment, 201 if created else 200


@bp.route("/cases/<uuid:case_id>/attachments/<int:attachment_id>")
class AttachmentResource(MethodView):
    @bp.response(200, AttachmentOut)
    @bp.alt_response(404, description="No such attachment of a case within your "
                                      "jurisdiction.")
    def get(self, case_id: uuid.UUID, attachment_id: int) -> Any:
        """One attachment's description"""
        return attachments.get_attachment(case_id, attachment_id)


@bp.route("/cases/<uuid:case_id>/attachments/<int:attachment_id>/content")
class AttachmentContent(MethodView):
    @bp.response(200, BINARY, content_type="application/octet-stream",
                 description="The bytes, with the sniffed type as Content-Type.")
    @bp.alt_response(404, description="No such attachment of a case within your "
                                      "jurisdiction.")
    def get(self, case_id: uuid.UUID, attachment_id: int) -> Response:
        """The attachment's bytes (shown inline: photos and recordings only)"""
        attachment = attachments.get_attachment(case_id, attachment_id)
        # Range requests work (conditional): browsers seek in recordings with them.
        response = send_file(attachments.blob_path(attachment),
                             mimetype=attachment.media_type, etag=attachment.sha256,
                             conditional=True, max_age=None)
        response.headers["Content-Disposition"] = content_disposition(
            attachment.original_name, attachment.media_type)
        response.headers["X-Content-Type-Options"] = "nosniff"
        # Personal evidence: no shared or disk caches; a sandboxed origin if opened directly.
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["Content-Security-Policy"] = "sandbox"
        return response
