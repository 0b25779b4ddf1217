"""The media type of a file, read from its first bytes (pure: no Flask, no I/O).

The client's file name and Content-Type are never consulted: a script renamed `photo.jpg`
must be refused, and a browser must never be told to render something we did not check.
Only the photo and audio formats that phones in the field produce are allowed; anything
else is `None`, which callers refuse.
"""

from __future__ import annotations

HEAD_SIZE = 64  # bytes callers must pass; enough for every signature below

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/heic"})
AUDIO_TYPES = frozenset({"audio/mpeg", "audio/mp4", "audio/amr", "audio/amr-wb", "audio/wav",
                         "audio/ogg", "audio/webm"})
ALLOWED_TYPES = IMAGE_TYPES | AUDIO_TYPES

# File extension for each type, so a download is named after what it really is.
EXTENSIONS = {
    "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/heic": ".heic",
    "audio/mpeg": ".mp3", "audio/mp4": ".m4a", "audio/amr": ".amr", "audio/amr-wb": ".awb",
    "audio/wav": ".wav", "audio/ogg": ".ogg", "audio/webm": ".weba",
}

# ISO base media (ftyp box) brands. HEIF stills from phones; "M4A " is audio-only MP4.
# Generic brands (isom, mp41, mp42) are refused: they may just as well hold video.
HEIF_BRANDS = frozenset({b"heic", b"heix", b"mif1"})
M4A_BRANDS = frozenset({b"M4A "})

# MPEG audio frame header fields that are reserved (invalid) values.
_MPEG_RESERVED_VERSION = 0b01
_MPEG_RESERVED_LAYER = 0b00  # also what AAC ADTS headers carry: not MPEG audio
_MPEG_BAD_BITRATE = 0b1111
_MPEG_RESERVED_RATE = 0b11


def sniff(head: bytes) -> str | None:
    """The allowed media type these leading bytes announce, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    if head[4:8] == b"ftyp":
        return _iso_media(head)
    if head.startswith(b"ID3") or _mpeg_frame(head):
        return "audio/mpeg"
    if head.startswith(b"#!AMR-WB\n"):
        return "audio/amr-wb"
    if head.startswith(b"#!AMR\n"):
        return "audio/amr"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[4:HEAD_SIZE]:
        # EBML header whose DocType is "webm" (a Matroska .mkv says "matroska": refused).
        return "audio/webm"
    return None


def _iso_media(head: bytes) -> str | None:
    """ftyp box: size (4), "ftyp", then the major brand, which says what the file is."""
    major = head[8:12]
    if major in HEIF_BRANDS:
        return "image/heic"
    if major in M4A_BRANDS:
        return "audio/mp4"
    return None


def _mpeg_frame(head: bytes) -> bool:
    """An MPEG audio frame header (an MP3 without ID3 tag): 11 sync bits, then version,
    layer, bitrate and sample rate that are not reserved values."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version = (head[1] >> 3) & 0b11
    layer = (head[1] >> 1) & 0b11
    bitrate = head[2] >> 4
    rate = (head[2] >> 2) & 0b11
    return (version != _MPEG_RESERVED_VERSION and layer != _MPEG_RESERVED_LAYER
            and bitrate != _MPEG_BAD_BITRATE and rate != _MPEG_RESERVED_RATE)
