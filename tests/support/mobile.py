"""Driving the mobile app in a browser test as a grid worker would: log in, wait until it
works offline, fill a report, and a camera-sized photo to take."""

from __future__ import annotations

import os
import struct
import zlib
from typing import Any

WORKER = "baonan.grid"  # grid worker of 保南村, cell 150521100201001


def big_photo(width: int = 2400, height: int = 1800) -> dict[str, Any]:
    """A camera-sized picture: random pixels (which compress badly) as a ~13 MB PNG."""
    raw = b"".join(b"\x00" + os.urandom(width * 3) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    png = (b"\x89PNG\r\n\x1a\n"
           + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b""))
    return {"name": "IMG_20261201_101500.png", "mimeType": "image/png", "buffer": png}


def log_in(page: Any, username: str = WORKER) -> None:
    page.goto("/m/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "govgrid2026")
    page.click("form.login button[type=submit]")
    page.wait_for_selector("#grid-map")


def wait_until_offline_ready(page: Any) -> None:
    """The service worker controls the page (the shell is cached) and the grid and the
    categories are saved on the phone."""
    # Predicates are functions: the app's CSP forbids eval, which a bare expression needs.
    page.wait_for_function("() => Boolean(navigator.serviceWorker?.controller)")
    page.wait_for_function("""async () => {
        const db = await new Promise((ok) => { const r = indexedDB.open('govgrid-mobile');
                                               r.onsuccess = () => ok(r.result); });
        const get = (k) => new Promise((ok) => { const r = db.transaction('kv')
            .objectStore('kv').get(k); r.onsuccess = () => ok(r.result); });
        return Boolean(await get('grid:cells')) && Boolean(await get('categories'));
    }""")


def fill_report(page: Any, *, search: str, description: str, photo: bool = False,
                place: str | None = "网格") -> None:
    """On the report screen: wait until the place names `place` (None: don't wait), pick a
    category by search, describe, optionally a photo."""
    if place is not None:
        page.wait_for_selector(f"#place:has-text('{place}')")
    page.click("#category")
    page.fill(".overlay input[type=search]", search)
    page.locator(".overlay button.category").first.click()
    page.fill("textarea[name=description]", description)
    if photo:
        page.set_input_files("#photo-input", big_photo())
        page.wait_for_selector(".thumbs figure.thumb img")
