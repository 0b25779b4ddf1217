"""Notifications API: my inbox, newest first; how many are unread; mark one or all read."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from ..auth.principal import current_principal
from . import schemas, services

bp = Blueprint("notifications", __name__, description="My notifications 我的通知")


@bp.route("/notifications")
class Notifications(MethodView):
    @bp.arguments(schemas.NotificationsQuery, location="query", error_status_code=400)
    @bp.response(200, schemas.NotificationOut(many=True))
    @bp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[Any]:
        """My notifications, newest first

        `unread=true` lists only those not read yet.
        """
        rows, total = services.inbox(current_principal(), args["unread"],
                                     pagination_parameters.page,
                                     pagination_parameters.page_size)
        pagination_parameters.item_count = total
        return rows


@bp.route("/notifications/unread-count")
class UnreadCount(MethodView):
    @bp.response(200, schemas.UnreadCountOut)
    def get(self) -> dict[str, int]:
        """How many of my notifications are unread

        For the bell in the page header, which asks every minute: one cheap count.
        """
        return {"unread": services.unread_count(current_principal())}


@bp.route("/notifications/<int:notification_id>/read")
class NotificationRead(MethodView):
    @bp.response(200, schemas.NotificationOut)
    @bp.alt_response(404, description="No such notification of mine.")
    def post(self, notification_id: int) -> Any:
        """Mark one of my notifications read"""
        return services.mark_read(current_principal(), notification_id)


@bp.route("/notifications/read-all")
class NotificationsReadAll(MethodView):
    @bp.response(200, schemas.ReadAllOut)
    def post(self) -> dict[str, int]:
        """Mark all my notifications read"""
        return {"marked": services.mark_all_read(current_principal())}
