"""Client file names are cleaned for display and sent back safely encoded."""

import pytest

from govgrid.files.names import MAX_NAME, content_disposition, display_name, download_name


@pytest.mark.parametrize("raw,expected", [
    ("photo.jpg", "photo.jpg"),
    ("../../etc/passwd.jpg", "passwd.jpg"),
    ("..\\..\\boot.ini", "boot.ini"),
    ("C:\\Users\\郑红\\Pictures\\院墙.jpg", "院墙.jpg"),
    ("/var/www/../../x.png", "x.png"),
    ("..", "attachment"),
    ("../", "attachment"),
    ("", "attachment"),
    (None, "attachment"),
    ("   ", "attachment"),
    (".bashrc", "bashrc"),
    ("re\u202egpj.exe", "regpj.exe"),  # right-to-left override removed
    ("a\x00b\r\nc\x1b[31m.jpg", "abc[31m.jpg"),
    ("纠纷现场照片 2026-03-01.jpg", "纠纷现场照片 2026-03-01.jpg"),
    ("\ufeff\u2066x\u2069.png", "x.png"),  # BOM and isolates removed
    # Mongolian script keeps its vowel separator (U+180E) and joiners: they spell the word.
    ("\u1821\u180e\u1820\u200d.jpg", "\u1821\u180e\u1820\u200d.jpg"),
])
def test_display_names(raw, expected):
    assert display_name(raw) == expected


def test_long_names_are_cut_keeping_the_extension():
    name = display_name("长" * 500 + ".jpeg")
    assert len(name) == MAX_NAME and name.endswith(".jpeg")


def test_download_name_carries_the_real_type():
    assert download_name("evil.html", "image/jpeg") == "evil.html.jpg"
    assert download_name("photo.JPEG", "image/jpeg") == "photo.JPEG"
    assert download_name("录音", "audio/amr") == "录音.amr"
    assert download_name("voice.m4a", "audio/mp4") == "voice.m4a"


def test_content_disposition_is_inline_with_rfc5987_name():
    header = content_disposition("院墙 照片.jpg", "image/jpeg")
    assert header == ("inline; filename=\"attachment.jpg\"; "
                      "filename*=UTF-8''%E9%99%A2%E5%A2%99%20%E7%85%A7%E7%89%87.jpg")


def test_quotes_and_separators_cannot_break_out_of_the_header():
    header = content_disposition('a";b=c\\d.png', "image/png")
    assert header.startswith('inline; filename="a_b_c_d.png"; filename*=UTF-8\'\'')
    value = header.split("filename*=UTF-8''", 1)[1]
    assert '"' not in value and ";" not in value and "\\" not in value
