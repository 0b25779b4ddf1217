"""`flask --app govgrid audit verify`: check the audit trail's hash chain."""

from __future__ import annotations

import click
from flask.cli import AppGroup

audit_cli = AppGroup("audit", help="The tamper-evident audit trail.")


@audit_cli.command("verify")
@click.option("--batch-size", default=5000, show_default=True, type=click.IntRange(min=1),
              help="Entries read per query.")
def verify_command(batch_size: int) -> None:
    """Walk the whole chain; report the first broken link and exit 1 if there is one."""
    from ..extensions import db
    from .verify import REASONS, check_chain

    result = check_chain(db.session(), batch_size)
    if result.broken is None:
        click.echo(f"audit chain intact: {result.checked} entries")
        return
    link = result.broken
    click.echo(f"audit chain broken at entry {link.entry_id} ({link.reason}): "
               f"{REASONS[link.reason]}", err=True)
    raise SystemExit(1)
