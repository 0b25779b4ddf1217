"""`flask --app govgrid sla sweep|calendar`: time limits, for operators."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask.cli import AppGroup

sla_cli = AppGroup("sla", help="Time limits: the deadline sweep and the holiday calendar.")


@sla_cli.command("sweep")
def sweep_command() -> None:
    """Run the deadline sweep once now (what rq cron does every minute; safe to repeat)."""
    from .sweeps import sweep_deadlines

    counts = sweep_deadlines()
    click.echo(" ".join(f"{kind}={n}" for kind, n in counts.items()))


@sla_cli.group("calendar")
def calendar_group() -> None:
    """The working-day calendar: what the package knows, and the county's own days."""


@calendar_group.command("status")
def calendar_status() -> None:
    """Say how far the installed holiday calendar reaches; exit 1 if next year is unknown
    (then upgrade chinesecalendar or import the State Council notice)."""
    from .calendar import known_until

    until = known_until()
    next_year = dt.date.today().year + 1
    click.echo(f"the chinesecalendar package knows holidays up to {until.isoformat()}")
    if until.year < next_year:
        click.echo(f"{next_year} is not known: `pip install -U chinesecalendar`, or import the "
                   f"State Council notice with `flask sla calendar import`", err=True)
        raise SystemExit(1)


@calendar_group.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--county", "county_code", required=True, help="The county's 12-digit code.")
def calendar_import(csv_file: Path, county_code: str) -> None:
    """Import a county's own days from CSV rows `date,type,note` (type 休 or 班), e.g. next
    year's holidays and 调休 working days before the package has them. All or nothing."""
    from sqlalchemy import select

    from ..auth.principal import Principal
    from ..auth.roles import Role
    from ..extensions import db
    from ..geo.models import Unit, UnitLevel
    from .policy_admin import parse_csv, set_days

    county_id = db.session.execute(select(Unit.id).where(
        Unit.code == county_code, Unit.level == UnitLevel.county)).scalar_one_or_none()
    if county_id is None:
        raise click.BadParameter(f"no county with code {county_code}", param_hint="--county")
    entries = parse_csv(csv_file.read_text(encoding="utf-8-sig"))
    operator = Principal(username="cli", is_system=True, county_id=county_id, role=Role.admin)
    click.echo(f"{set_days(operator, entries)} day(s) set for county {county_code}")
