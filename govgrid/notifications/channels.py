"""Delivery channels: how a notification leaves the platform besides the in-app inbox.

The inbox row is the record of a notification and is written in the handler's transaction;
channels run only after that transaction has committed, once per newly created row. They
are best effort (at most once): a channel that raises is logged and skipped, the inbox row
stays and the other channels still run; a worker that dies between the commit and the
sends loses those sends, never the inbox row. Nothing is sent for a redelivered message,
because only rows new in this transaction are sent.

`GOVGRID_NOTIFY_CHANNELS` (comma-separated, default "log") chooses the channels; each entry
is a name in the registry below or "package.module:factory". An unknown name stops the app
at start-up, so a typo cannot silently leave people uninformed.

Plugging in an SMS gateway or WeCom (企业微信):

    class SmsChannel:
        name = "sms"

        def __init__(self, config):  # the Flask config: gateway URL, key, sign name...
            self.gateway = config["SMS_GATEWAY_URL"]

        def send(self, notification, user):
            # Look up the recipient's phone from your own directory (users hold none
            # today), send `notification.title` only (bodies may name parties) and raise on
            # failure: the failure is logged with the channel's name and the send skipped.
            ...

then either `register("sms", SmsChannel)` at import time of a module the app imports, or set
GOVGRID_NOTIFY_CHANNELS=log,acme_gov.sms:SmsChannel without touching this package. A WeCom
adapter is the same with the user's WeCom user id and the application message API. A slow
gateway delays the worker's next job, so an adapter should use short timeouts (or hand the
send to its own RQ job).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from flask import Flask, current_app
from sqlalchemy import select

from ..auth.models import User
from ..auth.principal import SYSTEM, acting_as
from ..extensions import db
from .models import Notification
from .services import collecting_delivered

log = logging.getLogger(__name__)

EXTENSION_KEY = "govgrid.notify_channels"


class Channel(Protocol):
    name: str

    def send(self, notification: Notification, user: User) -> None:
        """Send one notification to its recipient; raise when it could not be sent."""


ChannelFactory = Callable[[Mapping[str, Any]], Channel]


class LogChannel:
    """One log line per notification: who (user id), what kind, the title. Never the body or
    anything personal (bodies name places and, through case titles, sometimes people)."""

    name = "log"

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        self.log = logging.getLogger("govgrid.notifications.sent")

    def send(self, notification: Notification, user: User) -> None:
        self.log.info("notification %s to user %s: %s %r", notification.id, user.id,
                      notification.kind, notification.title)


_REGISTRY: dict[str, ChannelFactory] = {"log": LogChannel}


class ChannelConfigError(RuntimeError):
    """GOVGRID_NOTIFY_CHANNELS names a channel that does not exist."""


def register(name: str, factory: ChannelFactory) -> None:
    """Make a channel choosable by name in GOVGRID_NOTIFY_CHANNELS."""
    _REGISTRY[name] = factory


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def _factory(entry: str) -> ChannelFactory:
    if entry in _REGISTRY:
        return _REGISTRY[entry]
    if ":" in entry:
        module_name, _, attribute = entry.partition(":")
        try:
            return getattr(importlib.import_module(module_name), attribute)  # type: ignore[no-any-return]
        except (ImportError, AttributeError) as error:
            raise ChannelConfigError(
                f"GOVGRID_NOTIFY_CHANNELS: cannot load channel {entry!r}: {error}") from error
    raise ChannelConfigError(
        f"GOVGRID_NOTIFY_CHANNELS: unknown channel {entry!r}; known: "
        f"{', '.join(sorted(_REGISTRY))} (or give package.module:factory)")


def build(names: str, config: Mapping[str, Any]) -> tuple[Channel, ...]:
    """The channels named in a comma-separated list (blank entries ignored; empty = none)."""
    entries = [entry.strip() for entry in names.split(",") if entry.strip()]
    return tuple(_factory(entry)(config) for entry in entries)


def init_app(app: Flask) -> None:
    """Build the configured channels once, at start-up: a wrong name fails here, loudly."""
    app.extensions[EXTENSION_KEY] = build(app.config["NOTIFY_CHANNELS"], app.config)


def configured() -> tuple[Channel, ...]:
    return current_app.extensions.get(EXTENSION_KEY, ())  # type: ignore[no-any-return]


def send(notification_ids: Sequence[int]) -> int:
    """Send these (committed) notifications through every configured channel; returns how
    many sends succeeded. A failing send is logged and does not stop the others."""
    channels = configured()
    if not notification_ids or not channels:
        return 0
    # As SYSTEM: the recipients' rows are not the caller's to read (a notification is
    # readable by its recipient only), whoever delivered them.
    with acting_as(SYSTEM):
        rows = db.session.execute(
            select(Notification, User).join(User, User.id == Notification.user_id)
            .where(Notification.id.in_(list(notification_ids))).order_by(Notification.id)
        ).all()
    sent = 0
    for channel in channels:
        for notification, user in rows:
            try:
                channel.send(notification, user)
                sent += 1
            except Exception:
                log.exception("channel %s could not send notification %s to user %s",
                              channel.name, notification.id, user.id)
    return sent


@contextmanager
def send_after_commit() -> Iterator[list[int]]:
    """Wrap a transaction that delivers notifications: when the block ends normally (the
    transaction inside it committed), the notifications it created are sent. A block that
    raises sends nothing: its rows were rolled back.

        with send_after_commit(), committing():
            deliver(...)
    """
    with collecting_delivered() as delivered:
        yield delivered
    send(delivered)
