"""Pages: my notification inbox (/notifications), and the unread count in every page header.

Login is required as for every page (auth/login.py); a notification is readable only by its
recipient (the jurisdiction rule and the services' explicit user filter), so nobody's inbox
shows anyone else's notifications.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from ..auth.principal import current_principal
from ..errors import STATUS_MESSAGES, BadRequest
from ..pagination import MAX_PAGE
from ..timestamps import local
from . import services
from .labels import kind_label
from .models import Notification

log = logging.getLogger(__name__)

bp = Blueprint("notifications_pages", __name__)

PAGE_SIZE = 20
SHOWS = ("all", "unread")
# ASCII digits only: str.isdigit() accepts "²", which int() then refuses.
PAGE_NUMBER = re.compile(r"[0-9]{1,7}")


@bp.app_context_processor
def header_context() -> dict[str, Any]:
    # A function, not a number: the query runs only if a page's header asks for it (pages
    # extending base.html, for logged-in users), never for JSON or for pages without it.
    return {"unread_notifications": _unread_for_header}


def _unread_for_header() -> int | None:
    """My unread count, counted once per request (the inbox page shows it twice: in the
    header and on its filter tab)."""
    principal = current_principal()
    if principal.user_id is None:
        return None
    if "unread_notifications" in g:
        return g.unread_notifications
    try:
        g.unread_notifications = services.unread_count(principal)
        return g.unread_notifications
    except SQLAlchemyError:
        # The error page of a failed transaction renders this header too: no badge then,
        # rather than a second error hiding the first.
        log.warning("unread count for the page header failed", exc_info=True)
        return None


def _show(value: str | None) -> str:
    if value is None or value == "":
        return "all"
    if value not in SHOWS:
        raise BadRequest(STATUS_MESSAGES[400])
    return value


def _page(value: str | None) -> int:
    """1 when absent; a 400 for anything but a page number within pagination.py's bound
    (past it, OFFSET would overflow: a 500)."""
    if value is None or value == "":
        return 1
    if not PAGE_NUMBER.fullmatch(value) or not 1 <= int(value) <= MAX_PAGE:
        raise BadRequest(STATUS_MESSAGES[400])
    return int(value)


def _item(notification: Notification) -> dict[str, Any]:
    shown = local(notification.created_at)
    return {
        "id": notification.id,
        "kind": notification.kind,
        "kind_label": kind_label(notification.kind),
        "title": notification.title,
        "body": notification.body,
        "time": shown.strftime("%Y-%m-%d %H:%M") if shown else "",
        "iso_time": notification.created_at.isoformat() if notification.created_at else "",
        "read": notification.read_at is not None,
        # The case page is /cases/<id> (cases/views.py); a plain path, so this page does not
        # depend on that blueprint's endpoint names.
        "case_url": f"/cases/{notification.case_id}" if notification.case_id else None,
    }


@bp.get("/notifications")
def inbox() -> str | Response:
    show = _show(request.args.get("show"))
    page = _page(request.args.get("page"))
    principal = current_principal()
    rows, total = services.inbox(principal, show == "unread", page, PAGE_SIZE)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if page > pages:
        # Past the end (the last unread item of a page was just marked read): the last page.
        return redirect(inbox_url(show, pages))  # type: ignore[return-value]
    return render_template(
        "notifications/inbox.html", items=[_item(n) for n in rows], total=total,
        unread=_unread_for_header(), show=show, page=page, pages=pages,
        inbox_url=inbox_url)


def inbox_url(show: str, page: int) -> str:
    """The inbox URL, without the default filter and page (the header's link is just
    /notifications)."""
    return url_for("notifications_pages.inbox", show=None if show == "all" else show,
                   page=None if page == 1 else page)


def _back() -> Response:
    """The inbox as the form was sent from (filter and page travel as form fields, never as
    a URL: no open redirect)."""
    show = _show(request.form.get("show"))
    page = _page(request.form.get("page"))
    return redirect(inbox_url(show, page))  # type: ignore[return-value]


@bp.post("/notifications/<int:notification_id>/read")
def mark_read(notification_id: int) -> Response:
    services.mark_read(current_principal(), notification_id)
    return _back()


@bp.post("/notifications/read-all")
def mark_all_read() -> Response:
    marked = services.mark_all_read(current_principal())
    flash(_("%(n)s notifications marked as read.", n=marked))
    return _back()
