"""cases, parties, timeline, assignments, outbox, notifications

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 03:55:59.745501

"""
from alembic import op
import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

import govgrid.geo.ltree

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('default_severity', sa.Enum('general', 'major', 'serious', 'especially_serious', name='severity'), nullable=True),
    sa.Column('time_limit_days', sa.Integer(), nullable=True),
    sa.Column('departments', postgresql.ARRAY(sa.String(length=16)), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('dedup_radius_m', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_case_categories_county_id_units')),
    sa.ForeignKeyConstraint(['parent_id'], ['case_categories.id'], name=op.f('fk_case_categories_parent_id_case_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_categories')),
    sa.UniqueConstraint('code', name=op.f('uq_case_categories_code'))
    )
    op.create_index(op.f('ix_case_categories_county_id'), 'case_categories', ['county_id'], unique=False)
    op.create_table('outbox',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('topic', sa.String(length=64), nullable=False),
    sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('relayed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_outbox_county_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox'))
    )
    op.create_index(op.f('ix_outbox_county_id'), 'outbox', ['county_id'], unique=False)
    op.create_index('ix_outbox_pending', 'outbox', ['id'], unique=False, postgresql_where='relayed_at IS NULL')
    op.create_geospatial_table('cases',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('grid_cell_id', sa.Integer(), nullable=True),
    sa.Column('location_path', govgrid.geo.ltree.LTree(), nullable=False),
    sa.Column('owner_unit_id', sa.Integer(), nullable=False),
    sa.Column('owner_level', sa.Enum('village', 'township', 'county', name='case_level'), nullable=False),
    sa.Column('point', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('accuracy_m', sa.Float(), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('severity', sa.Enum('general', 'major', 'serious', 'especially_serious', name='severity'), nullable=False),
    sa.Column('is_urgent', sa.Boolean(), nullable=False),
    sa.Column('source', sa.Enum('grid_worker', 'walk_in', 'hotline_12345', 'police_110', 'court_referral', 'petition', 'department', name='case_source'), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('people_involved', sa.Integer(), nullable=False),
    sa.Column('amount_involved', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('state', sa.Enum('draft', 'reported', 'accepted', 'mediating', 'suspended', 'resolved', 'closed', 'archived', 'rejected', 'merged', 'referred', name='case_state'), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('handler_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Enum('written_agreement', 'oral_agreement', 'partial', 'withdrawn', 'terminated', name='case_outcome'), nullable=True),
    sa.Column('referral_route', sa.Enum('litigation', 'arbitration', 'administrative_review', 'petition', 'department', name='legal_route'), nullable=True),
    sa.Column('referral_receiver', sa.String(length=200), nullable=True),
    sa.Column('duplicate_of_id', sa.Uuid(), nullable=True),
    sa.Column('extended', sa.Boolean(), nullable=False),
    sa.Column('rebound_count', sa.Integer(), nullable=False),
    sa.Column('escalation_count', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('amount_involved IS NULL OR amount_involved >= 0', name=op.f('ck_cases_amount_not_negative')),
    sa.CheckConstraint('people_involved >= 0', name=op.f('ck_cases_people_not_negative')),
    sa.ForeignKeyConstraint(['category_id'], ['case_categories.id'], name=op.f('fk_cases_category_id_case_categories')),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_cases_county_id_units')),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['cases.id'], name=op.f('fk_cases_duplicate_of_id_cases')),
    sa.ForeignKeyConstraint(['grid_cell_id'], ['grid_cells.id'], name=op.f('fk_cases_grid_cell_id_grid_cells')),
    sa.ForeignKeyConstraint(['handler_id'], ['users.id'], name=op.f('fk_cases_handler_id_users')),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_cases_owner_unit_id_units')),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_cases_reporter_id_users')),
    sa.ForeignKeyConstraint(['township_id'], ['units.id'], name=op.f('fk_cases_township_id_units')),
    sa.ForeignKeyConstraint(['village_id'], ['units.id'], name=op.f('fk_cases_village_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases'))
    )
    op.create_index(op.f('ix_cases_category_id'), 'cases', ['category_id'], unique=False)
    op.create_index(op.f('ix_cases_county_id'), 'cases', ['county_id'], unique=False)
    op.create_index('ix_cases_county_state', 'cases', ['county_id', 'state'], unique=False)
    op.create_index(op.f('ix_cases_due_at'), 'cases', ['due_at'], unique=False)
    op.create_index(op.f('ix_cases_grid_cell_id'), 'cases', ['grid_cell_id'], unique=False)
    op.create_index(op.f('ix_cases_handler_id'), 'cases', ['handler_id'], unique=False)
    op.create_index('ix_cases_location_path_gist', 'cases', ['location_path'], unique=False, postgresql_using='gist')
    op.create_index(op.f('ix_cases_owner_unit_id'), 'cases', ['owner_unit_id'], unique=False)
    op.create_geospatial_index('ix_cases_point_gist', 'cases', ['point'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_cases_reported_at'), 'cases', ['reported_at'], unique=False)
    op.create_index(op.f('ix_cases_reporter_id'), 'cases', ['reporter_id'], unique=False)
    op.create_index(op.f('ix_cases_state'), 'cases', ['state'], unique=False)
    op.create_index(op.f('ix_cases_township_id'), 'cases', ['township_id'], unique=False)
    op.create_index(op.f('ix_cases_village_id'), 'cases', ['village_id'], unique=False)
    op.create_table('case_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('task', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_assignments_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_case_assignments_county_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_case_assignments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_assignments'))
    )
    op.create_index(op.f('ix_case_assignments_case_id'), 'case_assignments', ['case_id'], unique=False)
    op.create_index(op.f('ix_case_assignments_county_id'), 'case_assignments', ['county_id'], unique=False)
    op.create_index(op.f('ix_case_assignments_user_id'), 'case_assignments', ['user_id'], unique=False)
    op.create_table('case_events',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=True),
    sa.Column('to_state', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_unit_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_case_events_actor_id_users')),
    sa.ForeignKeyConstraint(['actor_unit_id'], ['units.id'], name=op.f('fk_case_events_actor_unit_id_units')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_events_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_case_events_county_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_events'))
    )
    op.create_index(op.f('ix_case_events_at'), 'case_events', ['at'], unique=False)
    op.create_index(op.f('ix_case_events_case_id'), 'case_events', ['case_id'], unique=False)
    op.create_index(op.f('ix_case_events_county_id'), 'case_events', ['county_id'], unique=False)
    op.create_table('case_parties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('person', 'organisation', name='party_kind'), nullable=False),
    sa.Column('role', sa.Enum('applicant', 'respondent', 'other', name='party_role'), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('id_number_enc', sa.LargeBinary(), nullable=True),
    sa.Column('id_number_index', sa.String(length=64), nullable=True),
    sa.Column('id_number_masked', sa.String(length=32), nullable=True),
    sa.Column('phone_enc', sa.LargeBinary(), nullable=True),
    sa.Column('phone_index', sa.String(length=64), nullable=True),
    sa.Column('phone_masked', sa.String(length=32), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_parties_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_case_parties_county_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_parties'))
    )
    op.create_index(op.f('ix_case_parties_case_id'), 'case_parties', ['case_id'], unique=False)
    op.create_index(op.f('ix_case_parties_county_id'), 'case_parties', ['county_id'], unique=False)
    op.create_index(op.f('ix_case_parties_id_number_index'), 'case_parties', ['id_number_index'], unique=False)
    op.create_index(op.f('ix_case_parties_phone_index'), 'case_parties', ['phone_index'], unique=False)
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('source_message_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_notifications_case_id_cases')),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_notifications_county_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('user_id', 'source_message_id', name=op.f('uq_notifications_user_id'))
    )
    op.create_index(op.f('ix_notifications_case_id'), 'notifications', ['case_id'], unique=False)
    op.create_index(op.f('ix_notifications_county_id'), 'notifications', ['county_id'], unique=False)
    op.create_index(op.f('ix_notifications_user_id'), 'notifications', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_notifications_user_id'), table_name='notifications')
    op.drop_index(op.f('ix_notifications_county_id'), table_name='notifications')
    op.drop_index(op.f('ix_notifications_case_id'), table_name='notifications')
    op.drop_table('notifications')
    op.drop_index(op.f('ix_case_parties_phone_index'), table_name='case_parties')
    op.drop_index(op.f('ix_case_parties_id_number_index'), table_name='case_parties')
    op.drop_index(op.f('ix_case_parties_county_id'), table_name='case_parties')
    op.drop_index(op.f('ix_case_parties_case_id'), table_name='case_parties')
    op.drop_table('case_parties')
    op.drop_index(op.f('ix_case_events_county_id'), table_name='case_events')
    op.drop_index(op.f('ix_case_events_case_id'), table_name='case_events')
    op.drop_index(op.f('ix_case_events_at'), table_name='case_events')
    op.drop_table('case_events')
    op.drop_index(op.f('ix_case_assignments_user_id'), table_name='case_assignments')
    op.drop_index(op.f('ix_case_assignments_county_id'), table_name='case_assignments')
    op.drop_index(op.f('ix_case_assignments_case_id'), table_name='case_assignments')
    op.drop_table('case_assignments')
    op.drop_index(op.f('ix_cases_village_id'), table_name='cases')
    op.drop_index(op.f('ix_cases_township_id'), table_name='cases')
    op.drop_index(op.f('ix_cases_state'), table_name='cases')
    op.drop_index(op.f('ix_cases_reporter_id'), table_name='cases')
    op.drop_index(op.f('ix_cases_reported_at'), table_name='cases')
    op.drop_geospatial_index('ix_cases_point_gist', table_name='cases', postgresql_using='gist', column_name='point')
    op.drop_index(op.f('ix_cases_owner_unit_id'), table_name='cases')
    op.drop_index('ix_cases_location_path_gist', table_name='cases', postgresql_using='gist')
    op.drop_index(op.f('ix_cases_handler_id'), table_name='cases')
    op.drop_index(op.f('ix_cases_grid_cell_id'), table_name='cases')
    op.drop_index(op.f('ix_cases_due_at'), table_name='cases')
    op.drop_index('ix_cases_county_state', table_name='cases')
    op.drop_index(op.f('ix_cases_county_id'), table_name='cases')
    op.drop_index(op.f('ix_cases_category_id'), table_name='cases')
    op.drop_geospatial_table('cases')
    op.drop_index('ix_outbox_pending', table_name='outbox', postgresql_where='relayed_at IS NULL')
    op.drop_index(op.f('ix_outbox_county_id'), table_name='outbox')
    op.drop_table('outbox')
    op.drop_index(op.f('ix_case_categories_county_id'), table_name='case_categories')
    op.drop_table('case_categories')
    op.execute("DROP TYPE IF EXISTS severity")
    op.execute("DROP TYPE IF EXISTS case_level")
    op.execute("DROP TYPE IF EXISTS case_source")
    op.execute("DROP TYPE IF EXISTS case_state")
    op.execute("DROP TYPE IF EXISTS case_outcome")
    op.execute("DROP TYPE IF EXISTS legal_route")
    op.execute("DROP TYPE IF EXISTS party_kind")
    op.execute("DROP TYPE IF EXISTS party_role")
