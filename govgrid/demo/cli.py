"""`flask demo ...`: the demo county."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import click
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo county 科尔沁左翼中旗 (synthetic boundaries).")


def _last_midnight() -> dt.datetime:
    """The most recent midnight in China Standard Time: the history ends 'today'."""
    from .history_plans import CST

    return dt.datetime.now(CST).replace(hour=0, minute=0, second=0, microsecond=0)


@demo_cli.command("load")
@click.option("--seed", default=150521, show_default=True,
              help="Seed of the synthetic geometry and of the case history.")
@click.option("--cases", default=15000, show_default=True, type=click.IntRange(min=0),
              help="Demo cases to generate over the last 12 months (0: no history).")
@click.option("--end", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Last day (exclusive, China Standard Time) of the history; default today.")
def load_command(seed: int, cases: int, end: dt.datetime | None) -> None:
    """Load the demo county (codes and names real, boundaries synthetic), the demo users and
    a year of demo cases, each unless present."""
    from .assessment import load_demo_assessment
    from .boundaries import generate
    from .history_loader import load_history
    from .history_plans import CST
    from .loader import load_county
    from .mediators import load_demo_mediators
    from .users import DEMO_PASSWORD, load_demo_users

    started = time.perf_counter()
    county = generate(seed=seed)
    result = load_county(county)
    if result.loaded:
        click.echo(
            f"loaded {result.units} units and {result.cells} grid cells "
            f"in {time.perf_counter() - started:.1f} s"
        )
    else:
        click.echo("demo county already loaded")
    created = load_demo_users()
    if created:
        click.echo(f"created {created} demo users (password: {DEMO_PASSWORD})")
    else:
        click.echo("demo users already present; nothing to do")
    accounts, profiles = load_demo_mediators()
    click.echo(f"mediator registry: {accounts} new demo mediators, {profiles} new profiles")
    if cases == 0:
        return
    started = time.perf_counter()
    until = end.replace(tzinfo=CST) if end is not None else _last_midnight()
    history = load_history(county.units[0].code, n=cases, seed=seed, end=until)
    if history.loaded:
        _say_history(history.summary, until, time.perf_counter() - started)
    else:
        click.echo(f"demo history not loaded: {history.reason}")
    started = time.perf_counter()
    year = load_demo_assessment(county.units[0].code, until, seed)
    if year.loaded:
        click.echo(
            f"assessment: {year.events} major events registered; the ladder played month by "
            f"month: {year.proposed} steps proposed, {year.confirmed} confirmed, "
            f"{year.dismissed} dismissed, {year.rectified} rectified; on the ladder now: "
            + (", ".join(f"{k} ({v})" for k, v in year.on_ladder.items()) or "none")
            + f" in {time.perf_counter() - started:.1f} s")


def _say_history(s: dict[str, Any], until: dt.datetime, seconds: float) -> None:
    click.echo(
        f"loaded {s['cases']} demo cases ({s['events']} timeline entries, {s['parties']} "
        f"parties, {s['sessions']} mediation sessions) up to {until:%Y-%m-%d} "
        f"in {seconds:.1f} s"
    )
    click.echo("  states: " + ", ".join(f"{k} {v}" for k, v in s["states"].items()))
    click.echo(f"  resolved in the village {s['resolved_in_village']} (on the spot "
               f"{s['on_spot']}), escalated {s['escalated']} (to the county {s['to_county']}), "
               f"rebound {s['rebound']}, urgent {s['urgent']}, partial {s['partial']}")
    click.echo(f"  accepted late {s['accepted_late']}, resolved late {s['resolved_overdue']}, "
               f"open and overdue {s['open_overdue']}")
