"""`flask --app govgrid ...` commands: each domain package contributes its own group."""

from __future__ import annotations

import click
from flask import Flask, current_app


@click.command("init-db")
def init_db_command() -> None:
    """Create the database if missing and apply all migrations (safe to repeat)."""
    from flask_migrate import upgrade

    from .database_setup import ensure_database

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if ensure_database(url):
        click.echo("created the database")
    upgrade()
    click.echo("database schema is up to date")
    from .cases.categories import seed_categories

    click.echo(f"case categories: {seed_categories()} up to date")


def init_app(app: Flask) -> None:
    from .analysis.cli import analysis_cli
    from .audit.cli import audit_cli
    from .demo.cli import demo_cli
    from .geo.cli import geo_cli
    from .outbox.cli import outbox_cli
    from .sla.cli import sla_cli

    app.cli.add_command(init_db_command)
    app.cli.add_command(analysis_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(geo_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(sla_cli)
