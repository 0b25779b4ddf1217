"""mediation sessions, agreements, attachments, mediator registry

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 04:05:03.149235

"""
from alembic import op
import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_geospatial_table('mediator_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('specialties', postgresql.ARRAY(sa.String(length=8)), nullable=False),
    sa.Column('legal_training', sa.Boolean(), nullable=False),
    sa.Column('languages', postgresql.ARRAY(sa.String(length=16)), nullable=False),
    sa.Column('max_active_cases', sa.Integer(), nullable=False),
    sa.Column('location', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('is_available', sa.Boolean(), nullable=False),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_mediator_profiles_county_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mediator_profiles_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediator_profiles')),
    sa.UniqueConstraint('user_id', name=op.f('uq_mediator_profiles_user_id'))
    )
    op.create_geospatial_index('idx_mediator_profiles_location', 'mediator_profiles', ['location'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_mediator_profiles_county_id'), 'mediator_profiles', ['county_id'], unique=False)
    op.create_table('agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('committee', sa.String(length=100), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.Column('performance', sa.Text(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('mediator_id', sa.Integer(), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('confirmation_status', sa.Enum('not_applied', 'applied', 'confirmed', 'rejected', name='confirmation_status'), nullable=False),
    sa.Column('confirmation_court', sa.String(length=100), nullable=True),
    sa.Column('confirmation_applied_on', sa.Date(), nullable=True),
    sa.Column('confirmation_decided_on', sa.Date(), nullable=True),
    sa.Column('confirmation_note', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_agreements_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_agreements_county_id_units')),
    sa.ForeignKeyConstraint(['mediator_id'], ['users.id'], name=op.f('fk_agreements_mediator_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreements')),
    sa.UniqueConstraint('case_id', 'number', name=op.f('uq_agreements_case_id'))
    )
    op.create_index(op.f('ix_agreements_case_id'), 'agreements', ['case_id'], unique=False)
    op.create_index(op.f('ix_agreements_county_id'), 'agreements', ['county_id'], unique=False)
    op.create_table('attachments',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_attachments_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_attachments_county_id_units')),
    sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_attachments_uploaded_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    op.create_index(op.f('ix_attachments_case_id'), 'attachments', ['case_id'], unique=False)
    op.create_index(op.f('ix_attachments_county_id'), 'attachments', ['county_id'], unique=False)
    op.create_index(op.f('ix_attachments_sha256'), 'attachments', ['sha256'], unique=False)
    op.create_table('mediation_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('mediator_id', sa.Integer(), nullable=True),
    sa.Column('held_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('participants', postgresql.ARRAY(sa.String(length=100)), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_mediation_sessions_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_mediation_sessions_county_id_units')),
    sa.ForeignKeyConstraint(['mediator_id'], ['users.id'], name=op.f('fk_mediation_sessions_mediator_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_sessions'))
    )
    op.create_index(op.f('ix_mediation_sessions_case_id'), 'mediation_sessions', ['case_id'], unique=False)
    op.create_index(op.f('ix_mediation_sessions_county_id'), 'mediation_sessions', ['county_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_mediation_sessions_county_id'), table_name='mediation_sessions')
    op.drop_index(op.f('ix_mediation_sessions_case_id'), table_name='mediation_sessions')
    op.drop_table('mediation_sessions')
    op.drop_index(op.f('ix_attachments_sha256'), table_name='attachments')
    op.drop_index(op.f('ix_attachments_county_id'), table_name='attachments')
    op.drop_index(op.f('ix_attachments_case_id'), table_name='attachments')
    op.drop_table('attachments')
    op.drop_index(op.f('ix_agreements_county_id'), table_name='agreements')
    op.drop_index(op.f('ix_agreements_case_id'), table_name='agreements')
    op.drop_table('agreements')
    op.drop_index(op.f('ix_mediator_profiles_county_id'), table_name='mediator_profiles')
    op.drop_geospatial_index('idx_mediator_profiles_location', table_name='mediator_profiles', postgresql_using='gist', column_name='location')
    op.drop_geospatial_table('mediator_profiles')
    op.execute("DROP TYPE IF EXISTS confirmation_status")
