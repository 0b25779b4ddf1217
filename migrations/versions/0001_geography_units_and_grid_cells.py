"""geography: units and grid cells

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 03:01:30.460158

"""
from alembic import op
import sqlalchemy as sa
from geoalchemy2 import Geometry

import govgrid.geo.ltree

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    # PostGIS for geometry, ltree for materialised unit paths. Needs a superuser once; on
    # managed databases an administrator creates them beforehand and these are no-ops.
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute("CREATE EXTENSION IF NOT EXISTS ltree")
    op.create_geospatial_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.Enum('county', 'township', 'village', name='unit_level'), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('path', govgrid.geo.ltree.LTree(), nullable=False),
    sa.Column('boundary', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.CheckConstraint("(level = 'county') = (parent_id IS NULL)", name=op.f('ck_units_only_county_is_root')),
    sa.CheckConstraint("code ~ '^[0-9]{12}$'", name=op.f('ck_units_code_12_digits')),
    sa.CheckConstraint('ST_IsValid(boundary)', name=op.f('ck_units_boundary_valid')),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_units_county_id_units'), deferrable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['units.id'], name=op.f('fk_units_parent_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units')),
    sa.UniqueConstraint('code', name=op.f('uq_units_code')),
    sa.UniqueConstraint('path', name=op.f('uq_units_path'))
    )
    op.create_geospatial_index('idx_units_boundary', 'units', ['boundary'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_units_county_id'), 'units', ['county_id'], unique=False)
    op.create_index('ix_units_county_level', 'units', ['county_id', 'level'], unique=False)
    op.create_index(op.f('ix_units_parent_id'), 'units', ['parent_id'], unique=False)
    op.create_index('ix_units_path_gist', 'units', ['path'], unique=False, postgresql_using='gist')
    op.create_geospatial_table('grid_cells',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=15), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.Enum('comprehensive', 'dedicated', name='cell_kind'), nullable=False),
    sa.Column('path', govgrid.geo.ltree.LTree(), nullable=False),
    sa.Column('boundary', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.CheckConstraint("code ~ '^[0-9]{15}$'", name=op.f('ck_grid_cells_code_15_digits')),
    sa.CheckConstraint('ST_IsValid(boundary)', name=op.f('ck_grid_cells_boundary_valid')),
    sa.ForeignKeyConstraint(['county_id'], ['units.id'], name=op.f('fk_grid_cells_county_id_units')),
    sa.ForeignKeyConstraint(['village_id'], ['units.id'], name=op.f('fk_grid_cells_village_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_cells')),
    sa.UniqueConstraint('code', name=op.f('uq_grid_cells_code')),
    sa.UniqueConstraint('path', name=op.f('uq_grid_cells_path'))
    )
    op.create_geospatial_index('idx_grid_cells_boundary', 'grid_cells', ['boundary'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_grid_cells_county_id'), 'grid_cells', ['county_id'], unique=False)
    op.create_index('ix_grid_cells_path_gist', 'grid_cells', ['path'], unique=False, postgresql_using='gist')
    op.create_index(op.f('ix_grid_cells_village_id'), 'grid_cells', ['village_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_grid_cells_village_id'), table_name='grid_cells')
    op.drop_index('ix_grid_cells_path_gist', table_name='grid_cells', postgresql_using='gist')
    op.drop_index(op.f('ix_grid_cells_county_id'), table_name='grid_cells')
    op.drop_geospatial_index('idx_grid_cells_boundary', table_name='grid_cells', postgresql_using='gist', column_name='boundary')
    op.drop_geospatial_table('grid_cells')
    op.drop_index('ix_units_path_gist', table_name='units', postgresql_using='gist')
    op.drop_index(op.f('ix_units_parent_id'), table_name='units')
    op.drop_index('ix_units_county_level', table_name='units')
    op.drop_index(op.f('ix_units_county_id'), table_name='units')
    op.drop_geospatial_index('idx_units_boundary', table_name='units', postgresql_using='gist', column_name='boundary')
    op.drop_geospatial_table('units')
    op.execute("DROP TYPE IF EXISTS cell_kind")
    op.execute("DROP TYPE IF EXISTS unit_level")
