"""Extension objects, created unbound and attached to the app by `init_app` (flaskr style)."""

from __future__ import annotations

import redis
from flask import Flask, current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData

from . import pagination

# Before any blueprint declares @bp.paginate (their modules import this one).
pagination.install()

# Deterministic constraint names, so Alembic migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
api = Api()
babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()
# Limits are declared where they apply (login); storage is Redis, so every gunicorn worker
# counts together. If Redis is down the limiter steps aside rather than lock everyone out.
limiter = Limiter(key_func=get_remote_address, swallow_errors=True)


class RedisClient:
    """One Redis connection pool per app, reachable as `redis_client.connection`."""

    def init_app(self, app: Flask) -> None:
        # Short timeouts: a stopped Redis must make /healthz answer 503 quickly, not hang.
        app.extensions["govgrid_redis"] = redis.Redis.from_url(
            app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5
        )

    @property
    def connection(self) -> redis.Redis:
        return current_app.extensions["govgrid_redis"]


redis_client = RedisClient()
