"""`flask --app govgrid outbox relay|redeliver`: the outbox, for operators."""

from __future__ import annotations

import click
from flask.cli import AppGroup

outbox_cli = AppGroup("outbox", help="The transactional outbox (messages waiting for RQ).")


@outbox_cli.command("relay")
@click.option("--batch-size", default=200, show_default=True, type=click.IntRange(min=1),
              help="Rows locked and enqueued per transaction.")
def relay_command(batch_size: int) -> None:
    """Hand pending messages to RQ now (what rq cron does every 10 s); exit 1 if some are
    still waiting afterwards, with the last error."""
    from sqlalchemy import select

    from ..extensions import db
    from .models import OutboxMessage
    from .relay import pending_count, relay

    relayed = relay(batch_size)
    pending = pending_count()
    click.echo(f"relayed {relayed} message(s); {pending} still pending")
    if pending:
        oldest = db.session.execute(
            select(OutboxMessage).where(OutboxMessage.relayed_at.is_(None))
            .order_by(OutboxMessage.id).limit(1)
        ).scalar_one()
        click.echo(f"oldest pending: #{oldest.id} {oldest.topic}, {oldest.attempts} attempt(s), "
                   f"last error: {oldest.last_error or '-'}", err=True)
        raise SystemExit(1)


@outbox_cli.command("redeliver")
@click.argument("message_ids", nargs=-1, type=int, required=True)
def redeliver_command(message_ids: tuple[int, ...]) -> None:
    """Run the handler of these messages again (e.g. after a job failed). Safe: handlers
    are idempotent, so what was delivered already is not delivered twice."""
    from ..jobs.queues import queue
    from .handlers import handle

    for message_id in message_ids:
        job = queue().enqueue_call(handle, args=(message_id,))
        click.echo(f"message {message_id}: job {job.id}")
