"""urgent report clocks (重大紧急事件 1 h / 3 h / 6 h) and the reports that meet them

Existing cases get no clocks: the clocks start when a case is reported, and cases reported
before this revision are history, not incidents still waiting to be reported.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('urgent_clocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('county', 'upper', 'general', name='urgent_clock_kind'), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('alarm_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('met_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('late', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_urgent_clocks_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_urgent_clocks_county_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_urgent_clocks')),
    sa.UniqueConstraint('case_id', 'kind', name='uq_urgent_clocks_case_kind')
    )
    op.create_index(op.f('ix_urgent_clocks_case_id'), 'urgent_clocks', ['case_id'], unique=False)
    op.create_index(op.f('ix_urgent_clocks_county_id'), 'urgent_clocks', ['county_id'], unique=False)
    op.create_index(op.f('ix_urgent_clocks_due_at'), 'urgent_clocks', ['due_at'], unique=False)
    op.create_index('ix_urgent_clocks_open_alarm', 'urgent_clocks', ['alarm_at'], unique=False, postgresql_where=sa.text('met_at IS NULL AND NOT late'))
    op.create_table('urgent_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('clock', sa.Enum('county', 'upper', 'general', name='urgent_clock_kind'), nullable=False),
    sa.Column('reported_by', sa.Integer(), nullable=True),
    sa.Column('reported_by_unit_id', sa.Integer(), nullable=True),
    sa.Column('reported_to', sa.String(length=100), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('channel', sa.Enum('phone', 'platform', 'document', 'in_person', name='urgent_report_channel'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_urgent_reports_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_urgent_reports_county_id_units')),
    sa.ForeignKeyConstraint(['reported_by'], ['users.id'], name=op.f('fk_urgent_reports_reported_by_users')),
    sa.ForeignKeyConstraint(['reported_by_unit_id'], ['units.id'], name=op.f('fk_urgent_reports_reported_by_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_urgent_reports'))
    )
    op.create_index(op.f('ix_urgent_reports_case_id'), 'urgent_reports', ['case_id'], unique=False)
    op.create_index(op.f('ix_urgent_reports_county_id'), 'urgent_reports', ['county_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_urgent_reports_county_id'), table_name='urgent_reports')
    op.drop_index(op.f('ix_urgent_reports_case_id'), table_name='urgent_reports')
    op.drop_table('urgent_reports')
    op.drop_index('ix_urgent_clocks_open_alarm', table_name='urgent_clocks', postgresql_where=sa.text('met_at IS NULL AND NOT late'))
    op.drop_index(op.f('ix_urgent_clocks_due_at'), table_name='urgent_clocks')
    op.drop_index(op.f('ix_urgent_clocks_county_id'), table_name='urgent_clocks')
    op.drop_index(op.f('ix_urgent_clocks_case_id'), table_name='urgent_clocks')
    op.drop_table('urgent_clocks')
    sa.Enum(name='urgent_report_channel').drop(op.get_bind(), checkfirst=True)
    sa.Enum(name='urgent_clock_kind').drop(op.get_bind(), checkfirst=True)
