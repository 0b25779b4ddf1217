"""Delivery channels: what an outbox handler delivers is sent through every configured
channel once, after the commit; a failing channel loses no inbox row; a redelivered message
sends nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from govgrid import create_app
from govgrid.auth.scope import unscoped
from govgrid.extensions import db
from govgrid.notifications import channels
from govgrid.notifications.channels import ChannelConfigError, LogChannel
from govgrid.notifications.models import Notification
from govgrid.notifications.services import Delivery, deliver
from govgrid.outbox.handlers import handle
from govgrid.outbox.models import OutboxMessage
from govgrid.unit_of_work import committing
from tests.support.cases import report, village_point


class Recording:
    """A channel that remembers what it was asked to send (shared by all its instances)."""

    name = "recording"
    sent: list[tuple[int, int, str]] = []

    def __init__(self, config: Any) -> None:
        pass

    def send(self, notification: Notification, user: Any) -> None:
        Recording.sent.append((notification.id, user.id, notification.kind))


class Failing:
    """A channel whose gateway is down: every send raises."""

    name = "failing"
    attempts = 0

    def __init__(self, config: Any) -> None:
        pass

    def send(self, notification: Notification, user: Any) -> None:
        Failing.attempts += 1
        raise ConnectionError("SMS gateway unreachable")


@pytest.fixture
def channel_app(app) -> Iterator[Any]:
    """An app configured with GOVGRID_NOTIFY_CHANNELS=failing,recording,log: the failing
    channel first, so that it is seen not to stop the ones after it."""
    channels.register("recording", Recording)
    channels.register("failing", Failing)
    Recording.sent.clear()
    Failing.attempts = 0
    made = create_app({"TESTING": True, "NOTIFY_CHANNELS": "failing, recording,log"})
    try:
        yield made
    finally:
        channels.unregister("recording")
        channels.unregister("failing")
        with made.app_context():
            db.engine.dispose()


@pytest.fixture
def channel_logs(caplog) -> Iterator[Any]:
    """caplog for the channel loggers. Alembic's fileConfig (run by the session fixture's
    migration) disables every logger that existed then, these included: enable them."""
    loggers = [logging.getLogger(name) for name in
               ("govgrid.notifications.channels", "govgrid.notifications.sent")]
    before = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = False
    caplog.set_level(logging.INFO, logger="govgrid.notifications")
    try:
        yield caplog
    finally:
        for logger, disabled in zip(loggers, before, strict=True):
            logger.disabled = disabled


def outbox_of(db_session, case_id: str) -> list[int]:
    return list(db_session.execute(
        select(OutboxMessage.id).where(OutboxMessage.payload["case_id"].astext == case_id)
        .order_by(OutboxMessage.id).execution_options(**unscoped())).scalars())


def inbox_rows(db_session, message_ids: list[int]) -> set[tuple[int, int, str]]:
    return {(r.id, r.user_id, r.kind) for r in db_session.execute(
        select(Notification).where(Notification.source_message_id.in_(message_ids))
        .execution_options(**unscoped())).scalars()}


def test_handled_message_is_sent_once_through_every_channel(
        channel_app, db_session, api_client_for, demo_county, channel_logs):
    case_id = report(api_client_for("baonan.grid"), village_point(demo_county))["id"]
    message_ids = outbox_of(db_session, case_id)
    assert message_ids  # at least case.reported

    with channel_app.app_context():
        created = sum(handle(message_id) for message_id in message_ids)
    rows = inbox_rows(db_session, message_ids)
    assert created == len(rows) >= 1  # the village station learns of the new case
    assert sorted(Recording.sent) == sorted(rows)  # each once, after the failing channel
    assert Failing.attempts == len(rows)
    failures = [r for r in channel_logs.records if "could not send" in r.getMessage()]
    assert len(failures) == len(rows) and all(r.exc_info for r in failures)
    logged = [r for r in channel_logs.records if r.name == "govgrid.notifications.sent"]
    assert len(logged) == len(rows)

    # A redelivery (operator, retried job): no new rows, nothing sent again.
    with channel_app.app_context():
        assert sum(handle(message_id) for message_id in message_ids) == 0
    assert inbox_rows(db_session, message_ids) == rows
    assert len(Recording.sent) == len(rows) and Failing.attempts == len(rows)


def test_nothing_is_sent_when_the_transaction_rolls_back(channel_app, db_session,
                                                           principal_of):
    staff = principal_of("baonan.staff")
    delivery = Delivery(source_message_id=987_654_321, county_id=staff.county_id,
                        case_id=None, kind="urge", title="催办", body="")
    with (channel_app.app_context(), pytest.raises(RuntimeError),
          channels.send_after_commit(), committing()):
        assert deliver(delivery, [staff.user_id]) == 1
        raise RuntimeError("the handler failed after delivering")
    assert Recording.sent == []
    assert db_session.execute(select(Notification).where(
        Notification.source_message_id == 987_654_321)
        .execution_options(**unscoped())).first() is None


def test_log_channel_logs_ids_kind_and_title_only(channel_logs):
    notification = Notification(id=7, user_id=42, kind="linkage", title="联动通知：打架斗殴",
                                body="当事人张三 150521199001011231 13812345678")
    user = type("U", (), {"id": 42})()
    LogChannel().send(notification, user)  # type: ignore[arg-type]
    [line] = [r.getMessage() for r in channel_logs.records]
    assert "7" in line and "42" in line and "linkage" in line and "联动通知" in line
    assert "150521199001011231" not in line and "13812345678" not in line
    assert "张三" not in line


def test_unknown_channel_stops_start_up():
    with pytest.raises(ChannelConfigError, match="'wechat'"):
        create_app({"TESTING": True, "NOTIFY_CHANNELS": "log,wechat"})
    with pytest.raises(ChannelConfigError, match="cannot load"):
        channels.build("govgrid.nowhere:Sms", {})


def test_channels_by_name_or_import_path():
    built = channels.build(" log , govgrid.notifications.channels:LogChannel,", {})
    assert [c.name for c in built] == ["log", "log"]
    assert channels.build("", {}) == ()


def test_default_is_the_log_channel(app):
    assert app.config["NOTIFY_CHANNELS"] == "log"
    assert [c.name for c in app.extensions[channels.EXTENSION_KEY]] == ["log"]
