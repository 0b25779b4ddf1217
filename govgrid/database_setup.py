"""Create the database if it is missing, then bring its schema to the newest migration.

Used by `flask init-db`, which both scripts/quickstart and the Docker web service run: the
same path sets up a laptop and a server.
"""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url


def ensure_database(url: str | URL) -> bool:
    """Create the database named in `url` unless it exists; True when it was created."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
            ).first()
            if exists:
                return False
            # The name cannot be a bound parameter in CREATE DATABASE; quote it as an identifier.
            quoted = conn.dialect.identifier_preparer.quote(target.database)
            conn.execute(text(f"CREATE DATABASE {quoted}"))
            return True
    finally:
        admin.dispose()
