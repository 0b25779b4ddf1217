"""From the admin user forms to typed values, and back.

Parsing goes through the accounts API's own schemas (auth/schemas.py), so a form and an API
call are held to the same rules and get the same (translated) messages. Browsers send every
field as a string, and hidden fields too, so this module first turns the raw form into what
the API would receive: empty strings become None, cell lists are split, and the fields that
do not apply to the chosen role (department, grid cells) are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from ..auth.models import User
from ..auth.roles import Role
from ..auth.schemas import UserCreate, UserUpdate
from ..auth.user_admin import UserInput

# Codes pasted from a spreadsheet arrive separated by commas (ASCII or Chinese), 、, spaces
# or newlines.
CELL_SEPARATORS = re.compile(r"[\s,，、;；]+")

# Field labels for error summaries; the same msgids label the form fields.
FIELD_LABELS = {
    "username": _l("Username"),
    "display_name": _l("Display name"),
    "role": _l("Role"),
    "unit_code": _l("Unit code"),
    "department": _l("Department"),
    "phone": _l("Phone"),
    "cell_codes": _l("Grid cells"),
    "cells": _l("Grid cells"),
    "password": _l("Password"),
    "new_password": _l("Password"),
    "is_active": _l("Active"),
    "version": _l("Version"),
}


@dataclass
class UserForm:
    """What the form shows: the raw text of each field, so a refused form comes back exactly
    as it was typed. The password is deliberately absent: it is never sent back to the page."""

    username: str = ""
    display_name: str = ""
    role: str = ""
    unit_code: str = ""
    department: str = ""
    phone: str = ""
    cells: str = ""
    is_active: bool = True
    version: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_request(cls, form: MultiDict[str, str]) -> UserForm:
        def text(name: str) -> str:
            return form.get(name, "").strip()

        return cls(username=text("username"), display_name=text("display_name"),
                   role=text("role"), unit_code=text("unit_code"),
                   department=text("department"), phone=text("phone"),
                   cells=form.get("cells", "").strip(), is_active="is_active" in form,
                   version=text("version"))

    @classmethod
    def from_user(cls, user: User) -> UserForm:
        return cls(username=user.username, display_name=user.display_name,
                   role=user.role.value, unit_code=user.unit.code,
                   department=user.department.value if user.department else "",
                   phone=user.phone or "", cells="\n".join(c.code for c in user.cells),
                   is_active=user.is_active, version=str(user.version))

    def messages(self) -> list[str]:
        """One line per problem, "<field label>: <message>", for the summary above the form."""
        return [_("%(field)s: %(message)s", field=FIELD_LABELS.get(name, name), message=message)
                for name, problems in self.errors.items() for message in problems]

    def _payload(self) -> dict[str, Any]:
        """The fields as the API would receive them; irrelevant ones left out."""
        role = self.role or None
        payload: dict[str, Any] = {
            "display_name": self.display_name, "role": role, "unit_code": self.unit_code,
            "phone": self.phone or None,
        }
        # Department and cells are hidden for roles that do not use them, but the browser
        # still submits whatever they held before the role was changed: ignore them then.
        if role == Role.department_liaison.value:
            payload["department"] = self.department or None
        if role == Role.grid_worker.value:
            payload["cell_codes"] = split_cells(self.cells)
        return payload

    def _load(self, schema: Any, payload: dict[str, Any]) -> dict[str, Any] | None:
        try:
            return dict(schema.load(payload))
        except ValidationError as error:
            self.errors = {_form_field(name): texts
                           for name, texts in _flatten(error.messages).items()}
            return None

    def to_input(self, password: str) -> UserInput | None:
        """The new user, or None with `errors` filled in."""
        payload = self._payload() | {"username": self.username, "password": password or None}
        # Left out rather than None: UserCreate supplies the defaults and refuses explicit nulls
        # (an empty role then reads "This field is required.").
        data = self._load(UserCreate(), {k: v for k, v in payload.items() if v is not None})
        return UserInput(**data) if data is not None else None

    def to_changes(self, user: User) -> tuple[int, dict[str, Any]] | None:
        """(version read, the fields that differ from `user`), or None with `errors` set.

        Only changed fields are sent: update_user ends the user's sessions whenever `role` or
        `unit_code` is present, and saving a new phone number must not log anyone out."""
        payload = self._payload() | {"version": self.version or None,
                                     "is_active": self.is_active}
        # A role without department or cells clears them (a liaison made mediator).
        payload.setdefault("department", None)
        payload.setdefault("cell_codes", [])
        data = self._load(UserUpdate(), payload)
        if data is None:
            return None
        version = data.pop("version")
        data["cell_codes"] = sorted(set(data["cell_codes"]))
        current: dict[str, Any] = {
            "display_name": user.display_name, "role": user.role, "unit_code": user.unit.code,
            "department": user.department, "phone": user.phone,
            "cell_codes": sorted(c.code for c in user.cells), "is_active": user.is_active,
        }
        return version, {key: value for key, value in data.items() if current[key] != value}


def split_cells(text: str) -> list[str]:
    return [code for code in CELL_SEPARATORS.split(text) if code]


def _form_field(name: str) -> str:
    """The form's name for a field named by the API schema or a service."""
    return {"cell_codes": "cells", "new_password": "password"}.get(name, name)


def _flatten(messages: Any, name: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages ({"cell_codes": {0: [...]}}) as {field: [texts]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            # Below a field, keys are list indexes: their messages belong to the field.
            for field_name, texts in _flatten(value, name or str(key)).items():
                known = flat.setdefault(field_name, [])
                known.extend(t for t in texts if t not in known)
    elif isinstance(messages, list | tuple):
        for item in messages:
            for field_name, texts in _flatten(item, name).items():
                flat.setdefault(field_name, []).extend(texts)
    else:
        flat[name] = [str(messages)]
    return flat


def field_of(error_details: dict[str, object]) -> str | None:
    """The form field a service error names (services say `cells`, the API `cell_codes`)."""
    name = error_details.get("field")
    return _form_field(str(name)) if name else None
