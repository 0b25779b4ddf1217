"""cases.resolved_late (按期办结率) and an index of follow-up visits (回访满意率)

Resolving replaces a case's handling clock with the follow-up clock, so whether it was
resolved in time has to be kept when it happens. Cases resolved before this revision keep
NULL (unknown): the on-time rate leaves them out rather than guess.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('cases', sa.Column('resolved_late', sa.Boolean(), nullable=True))
    op.create_index('ix_case_events_follow_up_at', 'case_events', ['at'], unique=False,
                    postgresql_where=sa.text("action = 'follow_up'"))


def downgrade():
    op.drop_index('ix_case_events_follow_up_at', table_name='case_events',
                  postgresql_where=sa.text("action = 'follow_up'"))
    op.drop_column('cases', 'resolved_late')
