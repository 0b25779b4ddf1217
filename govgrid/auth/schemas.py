"""Request and response schemas of the accounts API."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from .roles import Department, Role

USERNAME = validate.Regexp(
    r"^[A-Za-z0-9_.-]{3,64}$",
    error=_l("A username has 3 to 64 letters, digits, dots, dashes or underscores."),
)
CODE12 = validate.Regexp(r"^[0-9]{12}$", error=_l("A unit code has 12 digits."))
CODE15 = validate.Regexp(r"^[0-9]{15}$", error=_l("A grid cell code has 15 digits."))
NAME = validate.Length(1, 64, error=_l("A name has 1 to 64 characters."))
PHONE = validate.Regexp(r"^[0-9+\- ]{5,20}$", error=_l("Not a valid phone number."))


class LoginRequest(Schema):
    username = fields.String(required=True, validate=validate.Length(1, 64))
    password = fields.String(required=True, validate=validate.Length(1, 256), load_only=True)
    token_name = fields.String(load_default="api", validate=validate.Length(1, 100))


class UnitBrief(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    level = fields.String(attribute="level.value")


class UserOut(Schema):
    id = fields.Integer()
    username = fields.String()
    display_name = fields.String()
    phone = fields.String(allow_none=True)
    role = fields.Enum(Role, by_value=True)
    department = fields.Enum(Department, by_value=True, allow_none=True)
    unit = fields.Nested(UnitBrief)
    cells = fields.Function(lambda user: [c.code for c in user.cells])
    is_active = fields.Boolean()
    must_change_password = fields.Boolean()
    version = fields.Integer()
    created_at = fields.DateTime()
    last_login_at = fields.DateTime(allow_none=True)


class SessionOut(Schema):
    token = fields.String(metadata={"description": "Bearer token; shown only this once."})
    expires_at = fields.DateTime(allow_none=True)
    user = fields.Nested(UserOut)


class TokenOut(Schema):
    id = fields.Integer()
    name = fields.String()
    prefix = fields.String()
    created_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True)
    last_used_at = fields.DateTime(allow_none=True)


class TokenCreate(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 100))
    days = fields.Integer(load_default=None, validate=validate.Range(1, 366))


class TokenCreated(TokenOut):
    token = fields.String(metadata={"description": "Bearer token; shown only this once."})


class PasswordChange(Schema):
    old_password = fields.String(required=True, load_only=True)
    new_password = fields.String(required=True, load_only=True,
                                 validate=validate.Length(1, 256))


class UserCreate(Schema):
    username = fields.String(required=True, validate=USERNAME)
    display_name = fields.String(required=True, validate=NAME)
    role = fields.Enum(Role, by_value=True, required=True)
    unit_code = fields.String(required=True, validate=CODE12)
    department = fields.Enum(Department, by_value=True, load_default=None)
    phone = fields.String(load_default=None, validate=PHONE)
    cell_codes = fields.List(fields.String(validate=CODE15), load_default=list)
    password = fields.String(load_default=None, load_only=True)


class UserCreated(UserOut):
    temporary_password = fields.String(
        allow_none=True, metadata={"description": "Shown once when no password was given."})


class UserUpdate(Schema):
    version = fields.Integer(required=True, metadata={"description": "The version you read."})
    display_name = fields.String(validate=NAME)
    role = fields.Enum(Role, by_value=True)
    unit_code = fields.String(validate=CODE12)
    department = fields.Enum(Department, by_value=True, allow_none=True)
    phone = fields.String(allow_none=True, validate=PHONE)
    cell_codes = fields.List(fields.String(validate=CODE15))
    is_active = fields.Boolean()


class UsersQuery(Schema):
    role = fields.Enum(Role, by_value=True, metadata={"example": "grid_worker"})
    unit = fields.String(validate=CODE12, metadata={
        "description": "Users of this unit only.", "example": "150521100201"})
    active = fields.Boolean(metadata={"example": True})


class PasswordReset(Schema):
    temporary_password = fields.String()
