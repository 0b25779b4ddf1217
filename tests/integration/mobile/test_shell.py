"""The mobile app's server side: the shell, manifest and service worker load without a login
(the phone opens them from its cache before logging in), carry no personal data, keep the
page to our own scripts, list every file the app needs for offline use, and are sent
compressed."""

from __future__ import annotations

import json
import re
from pathlib import Path

from govgrid.mobile import assets


def boot_of(html: str) -> dict:
    match = re.search(r'<script id="boot" type="application/json">(.*?)</script>', html, re.S)
    assert match, html[:500]
    return json.loads(match.group(1))


def test_the_shell_is_public_and_speaks_both_languages(anon_client) -> None:
    response = anon_client.get("/m/")
    assert response.status_code == 200
    boot = boot_of(response.get_data(as_text=True))
    assert boot["labels"]["zh-CN"]["tab.report"] == "上报"
    assert boot["labels"]["en"]["tab.report"] == "Report"
    assert boot["labels"]["zh-CN"]["state.reported"] == "已上报"
    assert boot["labels"]["zh-CN"]["local.pending"] == "待同步"
    # Both languages carry the same words.
    assert set(boot["labels"]["zh-CN"]) == set(boot["labels"]["en"])
    assert re.fullmatch(r"[0-9a-f]{12}", boot["config"]["version"])
    assert response.headers["Cache-Control"] == "no-cache"


def test_the_shell_runs_only_our_own_scripts(anon_client) -> None:
    policy = anon_client.get("/m/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_the_shell_holds_no_personal_data_even_when_logged_in(client) -> None:
    """The service worker caches the shell for everyone on the phone: nothing of the user."""
    html = client.get("/m/").get_data(as_text=True)
    assert "county.staff" not in html and "csrf" not in html.lower()


def test_the_manifest_makes_the_app_installable(anon_client) -> None:
    response = anon_client.get("/m/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["display"] == "standalone"
    assert manifest["scope"] == "/m/" and manifest["start_url"].startswith("/m/")
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert anon_client.get(icon["src"]).status_code == 200


def test_the_service_worker_precaches_every_file_of_the_app(app, anon_client) -> None:
    response = anon_client.get("/m/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/m/"
    body = response.get_data(as_text=True)
    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", body).group(1))
    assert precache[0] == "/m/"
    for url in precache:
        assert anon_client.get(url).status_code == 200, url
    # Every module the app imports is cached, or the app would break offline.
    static = app.static_folder
    imported = set()
    for name in assets.APP_FILES:
        if name.endswith(".js"):
            source = Path(static, name).read_text(encoding="utf-8")
            base = name.rsplit("/", 1)[0]
            for module in re.findall(r'from "(\.{1,2}/[^"]+)"', source):
                parts = base.split("/")
                for piece in module.split("/"):
                    if piece == "..":
                        parts.pop()
                    elif piece != ".":
                        parts.append(piece)
                imported.add("/".join(parts))
    assert imported <= set(assets.APP_FILES)
    # ... and announced in the shell, so a slow connection fetches them side by side.
    shell = anon_client.get("/m/").get_data(as_text=True)
    preloaded = set(re.findall(r'<link rel="modulepreload" href="/static/([^"]+)"', shell))
    assert preloaded == {name for name in imported if name != "mobile/app.js"}
    # The build's name follows the files: the cache is replaced when any of them changes.
    version = boot_of(anon_client.get("/m/").get_data(as_text=True))["config"]["version"]
    assert f"govgrid-mobile-{version}" in body


def test_the_version_changes_with_any_file(tmp_path) -> None:
    for name in assets.APP_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"v1")
    first = assets.version(str(tmp_path), "words")
    assert assets.version(str(tmp_path), "other words") != first
    (tmp_path / assets.APP_FILES[3]).write_bytes(b"v2")
    assets.version.cache_clear()
    assert assets.version(str(tmp_path), "words") != first


def test_scripts_and_pages_are_sent_compressed(anon_client) -> None:
    # Static files stream from disk; Flask-Compress streams them with brotli or zstd (every
    # Chromium since 2016 takes brotli), pages and JSON with gzip too.
    for url, encoding in (("/m/", "gzip"), ("/static/vendor/leaflet/leaflet.js", "br"),
                          ("/static/mobile/mobile.css", "br"), ("/m/sw.js", "gzip")):
        response = anon_client.get(url, headers={"Accept-Encoding": encoding})
        assert response.headers.get("Content-Encoding") == encoding, url
        assert "Accept-Encoding" in response.headers.get("Vary", "")


def test_photos_are_not_recompressed(anon_client) -> None:
    response = anon_client.get("/static/mobile/icons/icon-192.png",
                               headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers
