"""Draw the mobile app's icons (a grid with a pin, on blue) as PNGs, with no image library.

Run once after changing the design: python scripts/make_mobile_icons.py
The icons are maskable: everything that matters sits inside the middle 80 %.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

BLUE = (29, 78, 216)
WHITE = (255, 255, 255)
RED = (239, 68, 68)
OUT = Path(__file__).resolve().parent.parent / "govgrid" / "static" / "mobile" / "icons"


def pixel(x: float, y: float) -> tuple[int, int, int]:
    """Colour at (x, y) in unit coordinates (0..1)."""
    # The pin: a red disc above the centre with a point below it.
    dx, dy = x - 0.5, y - 0.44
    if dx * dx + dy * dy < 0.11**2 and not (dx * dx + dy * dy < 0.045**2):
        return RED
    if 0.44 <= y <= 0.62 and abs(dx) < 0.11 * (0.62 - y) / 0.18 and dy > 0.05:
        return RED
    # The grid: a 3 x 3 frame of white lines inside the safe zone.
    inside = 0.2 <= x <= 0.8 and 0.2 <= y <= 0.8
    on_line = any(abs(x - v) < 0.018 for v in (0.2, 0.4, 0.6, 0.8)) or any(
        abs(y - v) < 0.018 for v in (0.2, 0.4, 0.6, 0.8))
    if inside and on_line:
        return WHITE
    return BLUE


def png(size: int) -> bytes:
    rows = bytearray()
    for j in range(size):
        rows.append(0)  # filter: none
        for i in range(size):
            rows.extend(pixel((i + 0.5) / size, (j + 0.5) / size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        (OUT / f"icon-{size}.png").write_bytes(png(size))
        print(f"wrote {OUT / f'icon-{size}.png'}")
