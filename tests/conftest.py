"""Shared fixtures: a fresh PostGIS test database per run, the demo county in it, and a
rolled-back transaction around every test that touches the database."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

TEST_DATABASE_URL = os.environ.get(
    "GOVGRID_TEST_DATABASE_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/govgrid_test"
)
TEST_REDIS_URL = os.environ.get("GOVGRID_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

# The app reads its configuration from the environment; point it at the test services only.
os.environ["GOVGRID_DATABASE_URL"] = TEST_DATABASE_URL
os.environ["GOVGRID_REDIS_URL"] = TEST_REDIS_URL
os.environ.setdefault("GOVGRID_SECRET_KEY", "test-secret-key")


def _recreate_database(url: str) -> None:
    """Drop and create the test database, so every run starts as CI does: from nothing."""
    parsed = make_url(url)
    if not (parsed.database or "").endswith("_test"):
        raise RuntimeError(f"refusing to recreate {parsed.database!r}: not a *_test database")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


@pytest.fixture(scope="session")
def app():
    from flask_migrate import upgrade

    from govgrid import create_app
    from govgrid.cases.categories import seed_categories
    from govgrid.demo.boundaries import generate
    from govgrid.demo.loader import load_county
    from govgrid.demo.mediators import load_demo_mediators
    from govgrid.demo.users import load_demo_users

    _recreate_database(TEST_DATABASE_URL)
    # Dashboard answers are not reused between tests (each crafts its own cases); the cache
    # has its own test, which turns it on.
    app = create_app({"TESTING": True, "STATS_CACHE_SECONDS": 0})
    with app.app_context():
        upgrade()
        load_county(generate())
        load_demo_users()
        load_demo_mediators()
        seed_categories()
    yield app


@pytest.fixture(scope="session")
def demo_county(app):
    """The generated demo county (the same object the database was loaded from)."""
    from govgrid.demo.boundaries import generate

    return generate()


@pytest.fixture
def db_session(app) -> Iterator[object]:
    """db.session bound to one connection whose outer transaction is rolled back at the end;
    service commits become savepoint releases, so tests stay isolated.

    No app context stays pushed during the test: requests made with the test client must
    each get their own, as in production (a shared one would share `g`, and with it the
    logged-in user, between requests).
    """
    from flask_sqlalchemy.session import Session as FsaSession
    from sqlalchemy.orm import scoped_session, sessionmaker

    from govgrid.extensions import db

    class BoundSession(FsaSession):
        def get_bind(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return self.bind or super().get_bind(*args, **kwargs)

    with app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    original = db.session
    db.session = scoped_session(sessionmaker(
        db=db, class_=BoundSession, bind=connection, join_transaction_mode="create_savepoint"
    ))
    try:
        yield db.session
    finally:
        db.session.remove()
        db.session = original
        outer.rollback()
        connection.close()


@pytest.fixture
def anon_client(app, db_session):
    """A client nobody has logged in with."""
    return app.test_client()


@pytest.fixture
def principal_of(app, db_session):
    """principal_of("baokang.dispatcher") -> that demo user's Principal."""
    from sqlalchemy import select

    from govgrid.auth.identity import principal_for
    from govgrid.auth.models import User
    from govgrid.auth.scope import unscoped

    def lookup(username: str):
        user = db_session.execute(
            select(User).where(User.username == username).execution_options(**unscoped())
        ).scalar_one()
        return principal_for(user)

    return lookup


@pytest.fixture
def api_client_for(app, db_session):
    """api_client_for("baonan.grid") -> a test client sending that user's bearer token."""
    from sqlalchemy import select

    from govgrid.auth.models import User
    from govgrid.auth.scope import unscoped
    from govgrid.auth.services import issue_token

    def make(username: str):
        with app.test_request_context():
            user = db_session.execute(
                select(User).where(User.username == username).execution_options(**unscoped())
            ).scalar_one()
            token, _ = issue_token(user, "tests", None)
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return client

    return make


@pytest.fixture
def client(api_client_for):
    """A client logged in as county staff, who read the whole county."""
    return api_client_for("county.staff")


@pytest.fixture
def as_county_staff(principal_of):
    """A context in which service calls act as county staff."""
    from govgrid.auth.principal import acting_as

    return acting_as(principal_of("county.staff"))


class QueryCounter:
    """Counts SQL statements sent to the database while active."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        # Savepoints belong to the test harness's transaction, not to the code under test;
        # the jurisdiction settings are sent once per transaction, not once per query.
        if not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO",
                                     "SELECT set_config('govgrid.scope_path'")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app, db_session):
    """Use as `with count_queries() as counter: ...; assert counter.count == 1`."""
    from contextlib import contextmanager

    from sqlalchemy import event

    from govgrid.extensions import db

    @contextmanager
    def counting():
        counter = QueryCounter()
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return counting


@pytest.fixture
def cell_point(demo_county):
    """A point inside 保南村's first grid cell (lon, lat)."""
    from tests.support.cases import village_point

    return village_point(demo_county)


@pytest.fixture
def test_redis(app):
    """The tests' Redis database, flushed before and after (it belongs to the tests alone)."""
    from govgrid.extensions import redis_client

    with app.app_context():
        connection = redis_client.connection
    connection.flushdb()
    yield connection
    connection.flushdb()
