"""Compressed responses (zstd, brotli or gzip, as the browser accepts): pages, scripts, styles,
JSON and GeoJSON. Grid workers load the mobile app over weak mobile links, where Leaflet alone
is 147 KB raw and 43 KB compressed. A proxy in front may compress as well; a response that
already has a Content-Encoding is left alone. Photos and recordings are compressed already
and are never touched (nor are their Range requests)."""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress

compress = Compress()

TYPES = [
    "text/html", "text/css", "text/plain", "text/javascript", "application/javascript",
    "application/json", "application/geo+json", "application/manifest+json", "image/svg+xml",
]


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", TYPES)
    compress.init_app(app)
