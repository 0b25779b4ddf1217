"""Client file names, kept for display only (pure: no Flask, no I/O).

A name from a client is never part of a path: blobs are named by their SHA-256 (store.py).
It is still shown in pages and sent back in Content-Disposition, so it is cleaned here:
no directories (either separator: Windows clients send `C:\\...\\photo.jpg`), no control
or bidi-override characters (U+202E makes `photo<U+202E>gpj.exe` look like `photoexe.jpg`),
a bounded length.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

from .sniff import EXTENSIONS

MAX_NAME = 200  # Attachment.original_name is String(200)
MAX_EXTENSION = 16
FALLBACK_STEM = "attachment"

# Other spellings of each type's extension that a download may keep as they are.
_ALIASES = {
    "image/jpeg": {".jpeg", ".jpe"}, "image/heic": {".heif", ".hif"},
    "audio/ogg": {".oga", ".opus"}, "audio/webm": {".webm"}, "audio/mp4": {".mp4", ".m4b"},
}
_UNSAFE_ASCII = re.compile(r'[^A-Za-z0-9._ -]+')
# Control, surrogate, private-use and unassigned characters; line and paragraph separators.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn", "Zl", "Zp"})
_BIDI_AND_BOM = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069\ufeff")
# RFC 5987 attr-char beyond letters and digits: what may appear unescaped in filename*=.
_ATTR_CHARS = "!#$&+-.^_`|~"


def display_name(raw: str | None) -> str:
    """The last path component of `raw`, without control characters, trimmed to MAX_NAME;
    "attachment" when nothing is left."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if _keep(ch))
    # Leading dots would make hidden files of downloads; ".." alone is nothing at all.
    name = name.strip().lstrip(".").strip()
    if not name:
        return FALLBACK_STEM
    return _truncate(name, MAX_NAME)


def _keep(ch: str) -> bool:
    category = unicodedata.category(ch)
    if category == "Cf":
        # Format characters: bidi controls and the BOM go; joiners and the Mongolian vowel
        # separator stay, since names in Mongolian script need them to be spelt right.
        return ch not in _BIDI_AND_BOM
    return category not in _DROPPED_CATEGORIES


def _truncate(name: str, limit: int) -> str:
    if len(name) <= limit:
        return name
    suffix = PurePosixPath(name).suffix
    if not suffix or len(suffix) > MAX_EXTENSION:
        return name[:limit].rstrip()
    return name[: limit - len(suffix)].rstrip() + suffix


def download_name(display: str, media_type: str) -> str:
    """The name to send: the display name, with the extension of what the file really is
    appended when it claims another ("evil.html" holding a JPEG is sent as evil.html.jpg)."""
    extension = EXTENSIONS.get(media_type, "")
    suffix = PurePosixPath(display).suffix.lower()
    if not extension or suffix == extension or suffix in _ALIASES.get(media_type, set()):
        return display
    return _truncate(display, MAX_NAME - len(extension)) + extension


def content_disposition(display: str, media_type: str, *, inline: bool = True) -> str:
    """`inline; filename="ascii fallback"; filename*=UTF-8''percent-encoded` (RFC 6266 with
    RFC 5987 encoding), so Chinese names survive and nothing can break out of the quotes."""
    name = download_name(display, media_type)
    encoded = quote(name, safe=_ATTR_CHARS)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{_ascii_fallback(name)}\"; filename*=UTF-8''{encoded}"


def _ascii_fallback(name: str) -> str:
    """For the few clients that ignore filename*: accents dropped, anything else that is not
    plainly safe inside quotes replaced; an all-Chinese stem becomes "attachment"."""
    path = PurePosixPath(name)
    suffix = path.suffix if len(path.suffix) <= MAX_EXTENSION else ""
    stem = name[: len(name) - len(suffix)] if suffix else name

    def clean(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        return _UNSAFE_ASCII.sub("_", text)

    stem = clean(stem).strip(" ._") or FALLBACK_STEM
    return stem + clean(suffix).rstrip(" ")
