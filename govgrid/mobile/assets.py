"""The files the service worker keeps for offline use, and the version that names its cache.

The version is a hash of those files' bytes and of the shell's words, so any change to the
app (a script, the styles, Leaflet, a translation) installs a new service worker and drops
the old cache, while an unchanged deployment keeps what phones already hold.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

# Under static/: the app's modules and styles, the icons and the vendored map library.
APP_FILES = (
    "mobile/mobile.css",
    "mobile/app.js", "mobile/api.js", "mobile/store.js", "mobile/sync.js", "mobile/ui.js",
    "mobile/photos.js", "mobile/places.js", "mobile/map.js", "mobile/session.js",
    "mobile/screens/login.js", "mobile/screens/grid.js", "mobile/screens/report.js",
    "mobile/screens/category-picker.js", "mobile/screens/reports.js",
    "mobile/screens/report-detail.js", "mobile/screens/notices.js", "mobile/screens/me.js",
    "mobile/icons/icon-192.png", "mobile/icons/icon-512.png",
    "vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css",
    "vendor/leaflet/images/marker-icon.png", "vendor/leaflet/images/marker-icon-2x.png",
    "vendor/leaflet/images/marker-shadow.png",
)

# The modules app.js imports, directly or not: announced in the shell (modulepreload) so a
# slow connection fetches them side by side instead of one import level after another.
MODULES = tuple(name for name in APP_FILES
                if name.startswith("mobile/") and name.endswith(".js") and name != "mobile/app.js")


@lru_cache(maxsize=8)
def version(static_folder: str, salt: str) -> str:
    """12 hex digits naming this build of the app; `salt` covers what is rendered (words)."""
    digest = hashlib.sha256(salt.encode())
    root = Path(static_folder)
    for name in APP_FILES:
        digest.update(name.encode())
        digest.update((root / name).read_bytes())
    return digest.hexdigest()[:12]
