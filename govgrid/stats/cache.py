"""A short-lived Redis cache for dashboard answers.

Safe because the key holds the reader's scope settings (the same values the jurisdiction
hook filters by), so two readers share an entry only when they would have read the same
rows; short because the numbers move as cases move (a dashboard a minute old is fine, one an
hour old is not). If Redis is down the answer is computed, not refused."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

from flask import current_app
from redis.exceptions import RedisError

from ..auth.principal import Principal
from ..auth.scope import scope_settings
from ..extensions import redis_client

log = logging.getLogger(__name__)
PREFIX = "govgrid:stats:"


def cache_key(principal: Principal, key: dict[str, Any]) -> str:
    material = json.dumps({"scope": scope_settings(principal), **key}, sort_keys=True)
    return PREFIX + hashlib.sha256(material.encode()).hexdigest()


def remember(principal: Principal, key: dict[str, Any],
             compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    ttl = current_app.config["STATS_CACHE_SECONDS"]
    if ttl <= 0:
        return compute()
    name = cache_key(principal, key)
    try:
        hit = redis_client.connection.get(name)
    except RedisError as error:
        log.warning("stats cache unavailable: %s", error)
        return compute()
    if hit is not None:
        return json.loads(hit)
    value = compute()
    try:
        redis_client.connection.set(name, json.dumps(value, default=str), ex=ttl)
    except RedisError as error:
        log.warning("stats cache unavailable: %s", error)
    return value
