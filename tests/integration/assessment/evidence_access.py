"""Jurisdiction checks of the rectification evidence API for the access-matrix test
(tests/integration/auth/test_access_matrix.py), registered there with
`ROUTES.update(EVIDENCE_ROUTES)`: uploading is for who may report on the sanction (its
unit's centre, or those who keep the assessment) within reach; downloading follows the
report, read like its sanction's unit. Blobs go to a temporary FILES_DIR."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import insert

from govgrid.assessment.models import RectificationReport
from govgrid.auth.permissions import GRANTS, Permission
from govgrid.auth.roles import CENTRE_STAFF
from govgrid.files import store
from tests.integration.assessment.access_entries import WHEN, _sanction_in, _unit

PNG = b"\x89PNG\r\n\x1a\n" + b"matrix-evidence"


def _in_files_dir(check: Callable[[str], None]) -> None:
    saved = current_app.config["FILES_DIR"]
    with tempfile.TemporaryDirectory(prefix="govgrid-evidence-") as files_dir:
        current_app.config["FILES_DIR"] = files_dir
        try:
            check(files_dir)
        finally:
            current_app.config["FILES_DIR"] = saved


def _upload(ctx: Any, db: Any, visible: bool) -> None:
    def check(files_dir: str) -> None:
        sanction_id = _sanction_in(db, ctx.target, "confirmed")
        response = ctx.client.post(f"/api/v1/assessment/sanctions/{sanction_id}/evidence",
                                   data={"file": (io.BytesIO(PNG), "整改.png")},
                                   content_type="multipart/form-data")
        own_centre = ctx.target == ctx.own and ctx.role in CENTRE_STAFF
        if not visible:
            expected = 404
        elif own_centre or ctx.role in GRANTS[Permission.manage_assessment]:
            expected = 201
        else:
            expected = 403
        assert response.status_code == expected, (ctx.username, ctx.target, response.json)
    _in_files_dir(check)


def _download(ctx: Any, db: Any, visible: bool) -> None:
    def check(files_dir: str) -> None:
        from pathlib import Path

        blob = store.put(Path(files_dir), [PNG], 1000)
        sanction_id = _sanction_in(db, ctx.target, "confirmed")
        report_id = db.execute(insert(RectificationReport).values(
            county_id=_unit(db, ctx.target).county_id, sanction_id=sanction_id,
            submitted_at=WHEN, text="整改", attachments=[blob.sha256], version=1)
            .returning(RectificationReport.id)).scalar_one()
        response = ctx.client.get(
            f"/api/v1/assessment/rectifications/{report_id}/evidence/{blob.sha256}")
        body = response.get_data()
        assert response.status_code == (200 if visible else 404), (ctx.username, ctx.target)
        if visible:
            assert body == PNG and response.mimetype == "image/png"
    _in_files_dir(check)


PREFIX = "/api/v1/assessment"
EVIDENCE_ROUTES = {
    ("POST", f"{PREFIX}/sanctions/<int:sanction_id>/evidence"): _upload,
    ("GET", f"{PREFIX}/rectifications/<int:rectification_id>/evidence/<sha256>"): _download,
}
