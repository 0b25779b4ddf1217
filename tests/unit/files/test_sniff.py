"""Media types from magic numbers: the allowed photo and audio formats, and refusals of
everything else whatever its name would claim."""

import struct
import zlib

import pytest

from govgrid.files.sniff import ALLOWED_TYPES, EXTENSIONS, HEAD_SIZE, sniff


def png_1x1() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b""))


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return struct.pack(">I", 8 + len(body)) + b"ftyp" + body + b"\x00\x00\x00\x08free"


EBML_WEBM = bytes.fromhex("1a45dfa39f4286810142f7810142f2810442f381084282847765626d42878104")
EBML_MKV = bytes.fromhex("1a45dfa3a34286810142f7810142f2810442f3810842828" "8") + b"matroska"

ACCEPTED = [
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01", "image/jpeg"),
    (b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00", "image/jpeg"),  # phone cameras: EXIF first
    (png_1x1(), "image/png"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
    (ftyp(b"heic", b"mif1", b"heic"), "image/heic"),
    (ftyp(b"heix", b"mif1"), "image/heic"),
    (ftyp(b"mif1", b"heic"), "image/heic"),
    (b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64", "audio/mpeg"),
    (b"\xff\xfb\x90\x64" + bytes(60), "audio/mpeg"),  # MPEG-1 layer III, no tag
    (b"\xff\xf3\x48\xc4" + bytes(60), "audio/mpeg"),  # MPEG-2 layer III
    (ftyp(b"M4A ", b"M4A ", b"mp42", b"isom"), "audio/mp4"),
    (b"#!AMR\n\x3c" + bytes(31), "audio/amr"),
    (b"#!AMR-WB\n\x44" + bytes(10), "audio/amr-wb"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wav"),
    (b"OggS\x00\x02" + bytes(20), "audio/ogg"),
    (EBML_WEBM, "audio/webm"),
]

REFUSED = [
    b"",
    b"#!/bin/sh\nrm -rf / --no-preserve-root\n",  # a script renamed evil.jpg
    b"#!AMRnot-really",
    b"<?php system($_GET['c']); ?>",
    b"<html><script>alert(1)</script></html>",
    b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",  # SVG runs scripts
    b"%PDF-1.7\n",
    b"PK\x03\x04\x14\x00",  # zip, docx, apk
    b"MZ\x90\x00",  # Windows executable
    b"\x7fELF\x02\x01\x01",
    b"GIF89a\x01\x00\x01\x00",  # not among the allowed photo formats
    b"RIFF\x24\x00\x00\x00AVI LIST",
    ftyp(b"isom", b"isom", b"avc1"),  # generic MP4: may be a video
    ftyp(b"qt  "),
    ftyp(b"avif", b"mif1"),
    EBML_MKV,
    b"\xff\xf1\x50\x80",  # AAC ADTS: layer bits 00, not MPEG audio
    b"\xff\xfb\xf0\x64",  # bitrate index 1111 is invalid
    b"\xff\xe9\x90\x64",  # version 01 is reserved
    b"\xff\xd8",  # truncated JPEG marker
    b"\x89PNG\r\n",  # truncated PNG signature
]


@pytest.mark.parametrize("head,media_type", ACCEPTED, ids=[t for _, t in ACCEPTED])
def test_allowed_formats_are_recognised(head, media_type):
    assert sniff(head[:HEAD_SIZE]) == media_type


@pytest.mark.parametrize("head", REFUSED, ids=range(len(REFUSED)))
def test_everything_else_is_refused(head):
    assert sniff(head[:HEAD_SIZE]) is None


def test_every_allowed_type_has_an_extension_and_a_sample():
    assert set(EXTENSIONS) == ALLOWED_TYPES
    assert {t for _, t in ACCEPTED} == ALLOWED_TYPES


def test_only_the_leading_bytes_count():
    # A JPEG signature later in the file does not make a script a photo.
    assert sniff(b"#!/bin/sh\n" + b"\xff\xd8\xff\xe0") is None
