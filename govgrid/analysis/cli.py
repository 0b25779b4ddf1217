"""`flask analysis ...`: ask for analysis runs from the command line (a worker does them)."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup
from sqlalchemy import select

analysis_cli = AppGroup("analysis", help="Hot spots, trends and risk grades (研判).")


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise click.BadParameter("a month is written YYYY-MM") from None


def _county(code: str | None) -> int:
    from ..extensions import db
    from ..geo.models import Unit, UnitLevel

    query = select(Unit.id).where(Unit.level == UnitLevel.county)
    if code:
        query = query.where(Unit.code == code)
    found = db.session.execute(query.order_by(Unit.id).limit(1)).scalar_one_or_none()
    if found is None:
        raise click.BadParameter(f"no county {code or ''}".strip())
    return found


@analysis_cli.command("run")
@click.option("--county", "code", help="County code (default: the first county).")
@click.option("--month", default=None, help="YYYY-MM (default: this month so far).")
@click.option("--backtest", is_flag=True, help="The predictive check instead of hot spots.")
def run_command(code: str | None, month: str | None, backtest: bool) -> None:
    """Queue one run; the RQ worker carries it out."""
    from .models import RunKind
    from .runs import queue_run, this_month

    kind = RunKind.backtest if backtest else RunKind.hotspots
    run = queue_run(_county(code), kind, _month(month) if month else this_month())
    click.echo(f"queued {kind.value} run {run.id} of {run.month:%Y-%m}")


@analysis_cli.command("backfill")
@click.option("--county", "code", help="County code (default: the first county).")
@click.option("--months", default=12, show_default=True, type=click.IntRange(1, 36))
def backfill_command(code: str | None, months: int) -> None:
    """Queue hot-spot runs of the last MONTHS months that have none, and a backtest."""
    from .runs import backfill

    queued = backfill(_county(code), months)
    click.echo(f"queued {len(queued)} analysis runs")
