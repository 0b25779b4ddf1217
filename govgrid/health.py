"""GET /healthz: is the database, PostGIS and Redis reachable? 503 when any is not."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from sqlalchemy import text

from .extensions import db, redis_client
from .jobs.heartbeat import last_heartbeat_age

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


def _database() -> tuple[dict[str, object], dict[str, object]]:
    try:
        with db.engine.connect() as conn:
            server = conn.execute(text("SHOW server_version")).scalar_one()
            try:
                postgis = conn.execute(text("SELECT postgis_lib_version()")).scalar_one()
            except Exception as error:  # extension missing: the database is up, PostGIS is not
                return {"ok": True, "version": server}, {"ok": False, "error": _short(error)}
        return {"ok": True, "version": server}, {"ok": True, "version": postgis}
    except Exception as error:
        log.warning("health: database unreachable: %s", error)
        down = {"ok": False, "error": _short(error)}
        return down, dict(down)


def _redis() -> dict[str, object]:
    try:
        info = redis_client.connection.info("server")
        # Informational: background jobs lag when no worker runs, but pages still work.
        age = last_heartbeat_age()
        return {
            "ok": True,
            "version": info.get("redis_version"),
            "worker_heartbeat_age_s": None if age is None else round(age, 1),
        }
    except Exception as error:
        log.warning("health: redis unreachable: %s", error)
        return {"ok": False, "error": _short(error)}


def _short(error: Exception) -> str:
    return str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    database, postgis = _database()
    redis_status = _redis()
    healthy = database["ok"] and postgis["ok"] and redis_status["ok"]
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": database,
        "postgis": postgis,
        "redis": redis_status,
    }
    return jsonify(body), 200 if healthy else 503
