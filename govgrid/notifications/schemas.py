"""Request and response schemas of the notifications API."""

from __future__ import annotations

from marshmallow import Schema, fields


class NotificationsQuery(Schema):
    unread = fields.Boolean(load_default=False, metadata={
        "description": "Only notifications not read yet.", "example": True})


class NotificationOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={
        "description": "linkage (联动), new_case (新上报), due_soon, urge, supervision...; "
                       "labels in notifications/labels.py"})
    title = fields.String()
    body = fields.String()
    case_id = fields.UUID(allow_none=True)
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)
    read = fields.Function(lambda n: n.read_at is not None)


class ReadAllOut(Schema):
    marked = fields.Integer(metadata={"description": "How many notifications were unread."})


class UnreadCountOut(Schema):
    unread = fields.Integer(metadata={"description": "How many of my notifications are unread.",
                                      "example": 3})
