"""The zh_CN catalog is complete, consistent with the code, and compiled."""

import io
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "govgrid"
CATALOG_DIR = PACKAGE / "translations" / "zh_Hans_CN" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)s")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def _msgids_in_code():
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _po():
    with open(CATALOG_DIR / "messages.po", "rb") as f:
        return read_po(f, locale="zh_Hans_CN")


def test_every_message_in_the_code_is_translated():
    catalog = _po()
    untranslated = sorted(
        msgid for msgid in _msgids_in_code()
        if msgid not in catalog or not catalog[msgid].string or catalog[msgid].fuzzy
    )
    assert untranslated == [], "run scripts/i18n update and translate: " + repr(untranslated)


def test_placeholders_survive_translation():
    for message in _po():
        if message.id:
            assert sorted(PLACEHOLDER.findall(message.id)) == sorted(
                PLACEHOLDER.findall(message.string)
            ), message.id


def test_compiled_catalog_matches_the_po_file():
    with open(CATALOG_DIR / "messages.mo", "rb") as f:
        compiled = {m.id: m.string for m in read_mo(io.BytesIO(f.read())) if m.id}
    source = {m.id: m.string for m in _po() if m.id and m.string}
    assert compiled == source, "run scripts/i18n compile"
