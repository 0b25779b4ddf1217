"""index cases by geography(point) for distance queries

Duplicate detection asks "open cases within R metres" with ST_DWithin on geography; without
an index on the same expression that is a scan of every case.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE INDEX ix_cases_point_geography ON cases USING gist (geography(point))")


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_cases_point_geography")
