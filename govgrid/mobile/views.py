"""The mobile app's three server-side pieces: the shell page, the web app manifest and the
service worker. All three are public and carry no personal data: the app logs in through the
API for a bearer token, so the shell can be cached on the phone and opened with no signal."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, render_template, url_for
from flask_babel import gettext as _

from . import assets, labels

bp = Blueprint("mobile", __name__, url_prefix="/m")


def _words() -> dict[str, dict[str, str]]:
    # The catalogs do not change while the process runs: render them once.
    cache = current_app.extensions.setdefault("mobile_words", {})
    if "all" not in cache:
        cache["all"] = labels.all_languages(current_app)
    return cache["all"]


def _version() -> str:
    salt = json.dumps(_words(), sort_keys=True, ensure_ascii=False) + current_app.config["TILE_URL"]
    return assets.version(current_app.static_folder or "", salt)


def _content_security_policy() -> str:
    """Only our own scripts run on the shell; images may come from the configured tile host."""
    tiles = urlsplit(current_app.config["TILE_URL"].replace("{s}", "a"))
    tile_origin = f" {tiles.scheme}://{tiles.netloc}" if tiles.netloc else ""
    if "{s}" in current_app.config["TILE_URL"]:
        tile_origin = f" {tiles.scheme}://*.{tiles.netloc.split('.', 1)[-1]}"
    return ("default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src 'self' data: blob:{tile_origin}; connect-src 'self'; worker-src 'self'; "
            "manifest-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


def _no_cache(response: Response) -> Response:
    # Phones get updates through the service worker, which must always see the newest shell.
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/")
def shell() -> Response:
    """The app shell: the page every #/ route of the app runs in."""
    boot = {
        "labels": _words(),
        "config": {
            "version": _version(),
            "tileUrl": current_app.config["TILE_URL"],
            "tileAttribution": current_app.config["TILE_ATTRIBUTION"],
            "maxZoom": current_app.config["TILE_MAX_ZOOM"],
        },
    }
    response = Response(render_template("mobile/shell.html", boot=boot, modules=assets.MODULES))
    response.headers["Content-Security-Policy"] = _content_security_policy()
    return _no_cache(response)


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    """What the phone needs to install the app on its home screen."""
    body = {
        "name": _("GovGrid grid reporting"), "short_name": _("Grid reporting"),
        "lang": "zh-CN", "start_url": url_for("mobile.shell") + "#/",
        "scope": url_for("mobile.shell"), "display": "standalone",
        "orientation": "portrait", "background_color": "#f8fafc", "theme_color": "#1d4ed8",
        "icons": [
            {"src": url_for("static", filename=f"mobile/icons/icon-{size}.png"),
             "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any maskable"}
            for size in (192, 512)
        ],
    }
    response = Response(json.dumps(body, ensure_ascii=False),
                        mimetype="application/manifest+json")
    return _no_cache(response)


@bp.get("/sw.js")
def service_worker() -> Response:
    """The service worker: keeps the shell, the scripts and the map library on the phone,
    and sends waiting reports in the background where the phone allows it."""
    precache = [url_for("mobile.shell"), url_for("mobile.manifest")] + [
        url_for("static", filename=name) for name in assets.APP_FILES]
    body = render_template("mobile/sw.js", version=_version(), precache=precache,
                           sync_module=url_for("static", filename="mobile/sync.js"))
    response = Response(body, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = url_for("mobile.shell")
    return _no_cache(response)
