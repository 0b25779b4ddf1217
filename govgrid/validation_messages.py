"""marshmallow's built-in error messages in the user's language.

marshmallow copies each field class's `default_error_messages` when a field is constructed,
i.e. when a schema class is defined, so these are installed when the `govgrid` package is
imported, before any schema module. The messages are lazy: each is rendered in the locale of
the request that reads it. Messages here carry no `{placeholders}`: marshmallow only formats
plain strings.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields


def install() -> None:
    fields.Field.default_error_messages.update(
        required=_l("This field is required."),
        null=_l("This field may not be empty."),
        validator_failed=_l("Invalid value."),
    )
    fields.String.default_error_messages.update(invalid=_l("Not valid text."))
    fields.Number.default_error_messages.update(
        invalid=_l("Not a valid number."), too_large=_l("The number is too large.")
    )
    fields.Integer.default_error_messages.update(invalid=_l("Not a valid whole number."))
    fields.Float.default_error_messages.update(
        special=_l("Not-a-number and infinity are not allowed.")
    )
    fields.Boolean.default_error_messages.update(invalid=_l("Not a valid yes/no value."))
    fields.DateTime.default_error_messages.update(
        invalid=_l("Not a valid date and time."), format=_l("Not a valid date and time.")
    )
    fields.Date.default_error_messages.update(
        invalid=_l("Not a valid date."), format=_l("Not a valid date.")
    )
    fields.UUID.default_error_messages.update(invalid_uuid=_l("Not a valid UUID."))
    fields.List.default_error_messages.update(invalid=_l("Not a valid list."))
    fields.Dict.default_error_messages.update(invalid=_l("Not a valid object."))
    fields.Nested.default_error_messages.update(type=_l("Invalid input type."))
    fields.Email.default_error_messages.update(invalid=_l("Not a valid email address."))
    fields.Enum.default_error_messages.update(unknown=_l("Not one of the allowed values."))
    Schema._default_error_messages.update(
        type=_l("Invalid input type."), unknown=_l("Unknown field.")
    )


install()
