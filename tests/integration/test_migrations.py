"""The models and the migrations describe the same schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext


def test_models_match_migrations(app, db_session):
    from govgrid.extensions import db

    context = MigrationContext.configure(
        db_session.connection(),
        opts={"include_object": _ours},
    )
    assert compare_metadata(context, db.metadata) == []


def _ours(obj, name, type_, reflected, compare_to):
    from geoalchemy2 import alembic_helpers

    if type_ == "table" and name in {"spatial_ref_sys", "layer", "topology"}:
        return False
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)

