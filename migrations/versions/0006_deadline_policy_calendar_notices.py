"""deadline policy, calendar, sla notices, extension requests, supervision orders

Cases get the rest of their stage clock (started, 将到期 from); existing clocks are backfilled
with the default 将到期 share (the last 20 %) from the moment their stage started.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sla_calendar_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('is_workday', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_sla_calendar_days_county_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_calendar_days')),
    sa.UniqueConstraint('county_id', 'day', name=op.f('uq_sla_calendar_days_county_id'))
    )
    op.create_index(op.f('ix_sla_calendar_days_county_id'), 'sla_calendar_days', ['county_id'], unique=False)
    op.create_table('sla_policies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_sla_policies_county_id_units')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_sla_policies_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_policies')),
    sa.UniqueConstraint('county_id', name=op.f('uq_sla_policies_county_id'))
    )
    op.create_table('case_extension_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=False),
    sa.Column('requesting_unit_id', sa.Integer(), nullable=False),
    sa.Column('approver_unit_id', sa.Integer(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('pending', 'approved', 'rejected', 'withdrawn', name='request_state'), nullable=False),
    sa.Column('due_before', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_after', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['approver_unit_id'], ['units.id'], name=op.f('fk_case_extension_requests_approver_unit_id_units')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_extension_requests_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_case_extension_requests_county_id_units')),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_case_extension_requests_decided_by_users')),
    sa.ForeignKeyConstraint(['requested_by'], ['users.id'], name=op.f('fk_case_extension_requests_requested_by_users')),
    sa.ForeignKeyConstraint(['requesting_unit_id'], ['units.id'], name=op.f('fk_case_extension_requests_requesting_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_extension_requests'))
    )
    op.create_index(op.f('ix_case_extension_requests_approver_unit_id'), 'case_extension_requests', ['approver_unit_id'], unique=False)
    op.create_index(op.f('ix_case_extension_requests_case_id'), 'case_extension_requests', ['case_id'], unique=False)
    op.create_index(op.f('ix_case_extension_requests_county_id'), 'case_extension_requests', ['county_id'], unique=False)
    op.create_index('uq_extension_request_pending', 'case_extension_requests', ['case_id'], unique=True, postgresql_where=sa.text("state = 'pending'"))
    op.create_table('sla_notices',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=True),
    sa.Column('recipients', postgresql.ARRAY(sa.Integer()), nullable=False),
    sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_sla_notices_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_sla_notices_county_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_notices')),
    sa.UniqueConstraint('key', name=op.f('uq_sla_notices_key'))
    )
    op.create_index(op.f('ix_sla_notices_case_id'), 'sla_notices', ['case_id'], unique=False)
    op.create_index(op.f('ix_sla_notices_county_id'), 'sla_notices', ['county_id'], unique=False)
    op.create_table('supervision_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('issuing_unit_id', sa.Integer(), nullable=False),
    sa.Column('target_unit_id', sa.Integer(), nullable=False),
    sa.Column('issued_by', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('overdue_days', sa.Integer(), nullable=True),
    sa.Column('reply_due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('replied_by', sa.Integer(), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_supervision_orders_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_supervision_orders_county_id_units')),
    sa.ForeignKeyConstraint(['issued_by'], ['users.id'], name=op.f('fk_supervision_orders_issued_by_users')),
    sa.ForeignKeyConstraint(['issuing_unit_id'], ['units.id'], name=op.f('fk_supervision_orders_issuing_unit_id_units')),
    sa.ForeignKeyConstraint(['replied_by'], ['users.id'], name=op.f('fk_supervision_orders_replied_by_users')),
    sa.ForeignKeyConstraint(['target_unit_id'], ['units.id'], name=op.f('fk_supervision_orders_target_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_orders'))
    )
    op.create_index(op.f('ix_supervision_orders_case_id'), 'supervision_orders', ['case_id'], unique=False)
    op.create_index(op.f('ix_supervision_orders_county_id'), 'supervision_orders', ['county_id'], unique=False)
    op.create_index(op.f('ix_supervision_orders_target_unit_id'), 'supervision_orders', ['target_unit_id'], unique=False)
    op.add_column('cases', sa.Column('due_started_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('cases', sa.Column('due_soon_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('users', sa.Column('is_unit_head', sa.Boolean(), server_default='false', nullable=False))
    op.create_index(op.f('ix_cases_due_soon_at'), 'cases', ['due_soon_at'], unique=False)
    op.execute("""
        UPDATE cases SET
          due_started_at = CASE WHEN state = 'resolved' THEN coalesce(resolved_at, reported_at)
                                WHEN state = 'reported' THEN reported_at
                                ELSE coalesce(accepted_at, reported_at) END
        WHERE due_at IS NOT NULL
    """)
    op.execute("""
        UPDATE cases SET due_soon_at = due_at - (due_at - due_started_at) * 0.2
        WHERE due_at IS NOT NULL AND due_started_at IS NOT NULL AND due_started_at <= due_at
    """)
    op.execute("UPDATE cases SET due_soon_at = due_at WHERE due_at IS NOT NULL AND due_soon_at IS NULL")


def downgrade():
    op.drop_index(op.f('ix_cases_due_soon_at'), table_name='cases')
    op.drop_column('users', 'is_unit_head')
    op.drop_column('cases', 'due_soon_at')
    op.drop_column('cases', 'due_started_at')
    op.drop_index(op.f('ix_supervision_orders_target_unit_id'), table_name='supervision_orders')
    op.drop_index(op.f('ix_supervision_orders_county_id'), table_name='supervision_orders')
    op.drop_index(op.f('ix_supervision_orders_case_id'), table_name='supervision_orders')
    op.drop_table('supervision_orders')
    op.drop_index(op.f('ix_sla_notices_county_id'), table_name='sla_notices')
    op.drop_index(op.f('ix_sla_notices_case_id'), table_name='sla_notices')
    op.drop_table('sla_notices')
    op.drop_index('uq_extension_request_pending', table_name='case_extension_requests', postgresql_where=sa.text("state = 'pending'"))
    op.drop_index(op.f('ix_case_extension_requests_county_id'), table_name='case_extension_requests')
    op.drop_index(op.f('ix_case_extension_requests_case_id'), table_name='case_extension_requests')
    op.drop_index(op.f('ix_case_extension_requests_approver_unit_id'), table_name='case_extension_requests')
    op.drop_table('case_extension_requests')
    op.drop_table('sla_policies')
    op.drop_index(op.f('ix_sla_calendar_days_county_id'), table_name='sla_calendar_days')
    op.drop_table('sla_calendar_days')
    sa.Enum(name='request_state').drop(op.get_bind(), checkfirst=True)
