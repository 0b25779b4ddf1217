"""The vendored front-end files are present, complete and match frontend/package-lock.json.

They are committed because deployments have no npm and no CDN; `npm run vendor` in frontend/
regenerates them (see frontend/README.md).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "govgrid" / "static" / "vendor"
LOCKFILE = ROOT / "frontend" / "package-lock.json"
PACKAGE_JSON = ROOT / "frontend" / "package.json"

# What the templates load: the home map, the console's and the dashboard's maps (clusters,
# heat) and flask-smorest's swagger_ui.html.
REQUIRED = [
    "leaflet/leaflet.js",
    "leaflet/leaflet.css",
    "leaflet/images/layers.png",
    "leaflet/images/marker-icon.png",
    "leaflet.markercluster/leaflet.markercluster.js",
    "leaflet.markercluster/MarkerCluster.css",
    "leaflet.markercluster/MarkerCluster.Default.css",
    "leaflet.heat/leaflet-heat.js",
    "swagger-ui/swagger-ui.css",
    "swagger-ui/swagger-ui-bundle.js",
    "swagger-ui/swagger-ui-standalone-preset.js",
]


@pytest.fixture(scope="module")
def versions() -> dict:
    return json.loads((VENDOR / "VERSIONS.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def lock() -> dict:
    return json.loads(LOCKFILE.read_text(encoding="utf-8"))


def test_every_direct_dependency_is_vendored(versions: dict) -> None:
    declared = json.loads(PACKAGE_JSON.read_text(encoding="utf-8"))["dependencies"]
    assert set(versions["packages"]) == set(declared)


def test_versions_match_the_lockfile(versions: dict, lock: dict) -> None:
    for name, info in versions["packages"].items():
        locked = lock["packages"][f"node_modules/{name}"]
        assert info["version"] == locked["version"], name
        assert info["integrity"] == locked["integrity"], name


def test_pinned_major_versions(versions: dict) -> None:
    assert versions["packages"]["leaflet"]["version"].startswith("1.9.")
    assert versions["packages"]["swagger-ui-dist"]["version"].startswith("5.")


@pytest.mark.parametrize("relative", REQUIRED)
def test_required_file_exists_and_is_not_empty(relative: str) -> None:
    path = VENDOR / relative
    assert path.is_file(), f"{relative} is missing: run `npm ci && npm run vendor` in frontend/"
    assert path.stat().st_size > 0, relative


def test_vendored_files_are_unmodified(versions: dict) -> None:
    """Each recorded file exists with the recorded hash, and nothing unrecorded is lying around."""
    recorded: set[str] = set()
    for info in versions["packages"].values():
        for relative, digest in info["files"].items():
            path = VENDOR / relative
            assert path.is_file() and path.stat().st_size > 0, relative
            assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, relative
            recorded.add(relative)
        on_disk = {
            p.relative_to(VENDOR).as_posix()
            for p in (VENDOR / info["directory"]).rglob("*")
            if p.is_file()
        }
        assert on_disk <= recorded, f"unrecorded files: {sorted(on_disk - recorded)}"
    assert set(REQUIRED) <= recorded
