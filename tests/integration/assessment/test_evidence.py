"""Evidence of rectification reports on real PostgreSQL: uploaded by who may report (the
sanctioned unit's centre, county staff), checked by content and size, stored by SHA-256;
a report naming a digest the store does not hold is refused; downloaded only through a
report the reader can see."""

from __future__ import annotations

import io

import pytest

from tests.integration.assessment.helpers import BAOKANG, confirm, raise_step

PNG = b"\x89PNG\r\n\x1a\n" + b"evidence-photo"
PDF = b"%PDF-1.4\n" + b"minutes of the meeting"


@pytest.fixture
def files_dir(app, tmp_path):
    saved = app.config["FILES_DIR"]
    app.config["FILES_DIR"] = str(tmp_path / "files")
    yield tmp_path / "files"
    app.config["FILES_DIR"] = saved


def upload(client, sanction_id, data=PNG, name="整改现场.png"):
    return client.post(f"/api/v1/assessment/sanctions/{sanction_id}/evidence",
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


@pytest.fixture
def in_force(api_client_for):
    staff = api_client_for("county.staff")
    return confirm(staff, raise_step(staff, BAOKANG)).json


def test_the_township_uploads_reports_and_readers_download(api_client_for, files_dir,
                                                           in_force):
    township = api_client_for("baokang.dispatcher")
    photo = upload(township, in_force["id"])
    assert photo.status_code == 201, photo.json
    assert photo.json["media_type"] == "image/png" and photo.json["size"] == len(PNG)
    assert photo.json["name"] == "整改现场.png"
    stored = files_dir / photo.json["sha256"][:2] / photo.json["sha256"][2:4]
    assert (stored / photo.json["sha256"]).read_bytes() == PNG
    minutes = upload(township, in_force["id"], PDF, "会议纪要.pdf")
    assert minutes.status_code == 201 and minutes.json["media_type"] == "application/pdf"

    digests = [photo.json["sha256"], minutes.json["sha256"]]
    report = township.post(f"/api/v1/assessment/sanctions/{in_force['id']}/rectifications",
                           json={"text": "已整改。", "attachments": digests})
    assert report.status_code == 201, report.json
    base = f"/api/v1/assessment/rectifications/{report.json['id']}/evidence"
    for reader in ("county.staff", "county.leader", "assessor", "baokang.dispatcher"):
        got = api_client_for(reader).get(f"{base}/{digests[0]}")
        assert got.status_code == 200, reader
        assert got.data == PNG and got.mimetype == "image/png"
        assert got.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in got.headers["Content-Security-Policy"]
        assert "no-store" in got.headers["Cache-Control"]
    document = township.get(f"{base}/{digests[1]}")
    assert document.status_code == 200 and document.mimetype == "application/pdf"
    assert document.headers["Content-Disposition"].startswith("attachment;")
    # A sibling township does not see the report; nobody fetches a digest it does not name.
    assert api_client_for("menda.dispatcher").get(f"{base}/{digests[0]}").status_code == 404
    assert township.get(f"{base}/{'b' * 64}").status_code == 404
    assert township.get(f"{base}/not-a-digest").status_code == 404


def test_who_may_upload(api_client_for, files_dir, in_force):
    assert upload(api_client_for("county.staff"), in_force["id"]).status_code == 201
    assert upload(api_client_for("menda.dispatcher"), in_force["id"]).status_code == 404
    for refused in ("baokang.mediator", "county.leader", "assessor", "baonan.staff"):
        response = upload(api_client_for(refused), in_force["id"])
        assert response.status_code in (403, 404), refused
    staff = api_client_for("county.staff")
    proposed = raise_step(staff, BAOKANG, "interview")
    assert upload(staff, proposed["id"]).status_code == 409  # nothing in force to rectify
    assert upload(staff, 2**31 - 1).status_code == 404


def test_content_and_size_are_checked(api_client_for, files_dir, in_force, app):
    township = api_client_for("baokang.dispatcher")
    script = upload(township, in_force["id"], b"<script>alert(1)</script>", "photo.png")
    assert script.status_code == 415 and script.json["message"]
    saved = app.config["MAX_ATTACHMENT_BYTES"]
    app.config["MAX_ATTACHMENT_BYTES"] = 100
    try:
        big = upload(township, in_force["id"], PNG + b"x" * 200)
    finally:
        app.config["MAX_ATTACHMENT_BYTES"] = saved
    assert big.status_code == 413
    assert not any(p.is_file() and not p.name.startswith(".") for p in files_dir.rglob("*"))
    missing = township.post(f"/api/v1/assessment/sanctions/{in_force['id']}/rectifications",
                            json={"text": "已整改。", "attachments": ["c" * 64]})
    assert missing.status_code == 422 and missing.json["details"]["missing"] == ["c" * 64]
