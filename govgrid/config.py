"""Configuration from environment variables, with defaults that are safe on a developer machine.

Every setting a deployment may change is read here and nowhere else, so `env | grep GOVGRID_`
tells an operator the whole configuration.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable
from pathlib import Path

DEFAULT_DATABASE_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/govgrid"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def _instance_secret(instance_path: Path, env_name: str, filename: str, make: Callable[[], str]
                     ) -> str:
    """The environment variable if set, else a value generated once and kept (mode 0600) in
    the instance folder. A value made afresh per process would differ between gunicorn workers
    and change on every restart."""
    value = os.environ.get(env_name)
    if value:
        return value
    path = instance_path / filename
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    value = make()
    path.write_text(value)
    path.chmod(0o600)
    return value


def _secret_key(instance_path: Path) -> str:
    """GOVGRID_SECRET_KEY: signs session cookies."""
    return _instance_secret(instance_path, "GOVGRID_SECRET_KEY", "secret_key",
                            lambda: secrets.token_urlsafe(48))


def _pii_key(instance_path: Path) -> str:
    """GOVGRID_PII_KEY (base64 of 32 bytes): encrypts parties' ID numbers and phones.

    Losing this key loses every encrypted ID number and phone: back it up apart from the
    database, and set it explicitly in production.
    """
    return _instance_secret(
        instance_path, "GOVGRID_PII_KEY", "pii_key",
        lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii"))


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_environment(instance_path: str) -> dict[str, object]:
    """The Flask config mapping for this process."""
    return {
        "SECRET_KEY": _secret_key(Path(instance_path)),
        "PII_KEY": _pii_key(Path(instance_path)),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("GOVGRID_DATABASE_URL", DEFAULT_DATABASE_URL),
        # JIT off: PostgreSQL compiles a statement once its estimated cost is high, which for
        # our aggregates (and their poorly estimated jurisdiction filter) cost about a second
        # of compiling per statement and saved nothing (scripts/bench/dashboard.py).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True,
                                      "connect_args": {"options": "-c jit=off"}},
        "REDIS_URL": os.environ.get("GOVGRID_REDIS_URL", DEFAULT_REDIS_URL),
        # Base map: empty means no tiles; the maps then draw only our own boundaries, which is
        # what an intranet deployment without a tile server gets.
        "TILE_URL": os.environ.get("GOVGRID_TILE_URL", ""),
        "TILE_ATTRIBUTION": os.environ.get("GOVGRID_TILE_ATTRIBUTION", ""),
        "TILE_MAX_ZOOM": int(os.environ.get("GOVGRID_TILE_MAX_ZOOM", "18")),
        "DEMO_COUNTY_CODE": os.environ.get("GOVGRID_DEMO_COUNTY_CODE", "150521000000"),
        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "LANGUAGES": ["zh_CN", "en"],
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("GOVGRID_SECURE_COOKIES", False),
        "JSON_AS_ASCII": False,
        # flask-smorest / OpenAPI
        "API_TITLE": "GovGrid API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "/docs",
        # Swagger UI is served from our own static folder: deployments often have no internet.
        "OPENAPI_SWAGGER_UI_URL": "/static/vendor/swagger-ui/",
        "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
        # Attachment bytes, named by SHA-256: outside the package (and so outside the static
        # web root), served only through the access-checked attachment route. Back it up
        # with the database.
        "FILES_DIR": os.environ.get("GOVGRID_FILES_DIR",
                                    str(Path(instance_path) / "files")),
        # One photo or recording; MAX_CONTENT_LENGTH above bounds the whole request.
        "MAX_ATTACHMENT_BYTES": 20 * 1024 * 1024,
        # Accounts and login
        "PERMANENT_SESSION_LIFETIME": int(os.environ.get("GOVGRID_SESSION_HOURS", "12")) * 3600,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _flag("GOVGRID_SECURE_COOKIES", False),
        # CSRF is enforced by our own before_request (cookie-authenticated writes only), so a
        # bearer-token API client is not asked for a token it cannot have.
        "WTF_CSRF_CHECK_DEFAULT": False,
        "WTF_CSRF_TIME_LIMIT": None,  # valid for the session: mediators keep forms open long
        "RATELIMIT_KEY_PREFIX": "govgrid-limits",
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get(
            "GOVGRID_LOGIN_LIMIT_ACCOUNT", "5 per 15 minutes"),
        "LOGIN_LIMIT_PER_IP": os.environ.get("GOVGRID_LOGIN_LIMIT_IP", "30 per 15 minutes"),
        "PROXY_COUNT": int(os.environ.get("GOVGRID_PROXY_COUNT", "0")),
        "API_TOKEN_DAYS": int(os.environ.get("GOVGRID_API_TOKEN_DAYS", "90")),
        # Duplicate detection: open cases of the same category within the category's radius
        # reported in the last N days are offered for merging.
        "DEDUP_DAYS": int(os.environ.get("GOVGRID_DEDUP_DAYS", "30")),
        # Where notifications go besides the in-app inbox, after their transaction commits:
        # comma-separated channel names or package.module:factory (notifications/channels.py).
        # An unknown name stops the app at start-up.
        "NOTIFY_CHANNELS": os.environ.get("GOVGRID_NOTIFY_CHANNELS", "log"),
        # How long a dashboard answer (indicators, rankings, map layers) is reused for the same
        # jurisdiction and question; 0 turns the cache off.
        "STATS_CACHE_SECONDS": int(os.environ.get("GOVGRID_STATS_CACHE_SECONDS", "60")),
        # The most rows one export (a case list as xlsx or CSV) may hold; more is refused with
        # a request to narrow the filters. An xlsx sheet holds at most 1,048,575 rows.
        "EXPORT_MAX_ROWS": int(os.environ.get("GOVGRID_EXPORT_MAX_ROWS", "200000")),
    }
