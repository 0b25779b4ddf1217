"""Creating, editing, deactivating and resetting users (admins of a county).

Edits are optimistic: the caller names the version it read, and the conditional
`UPDATE ... WHERE version = :v RETURNING` either wins or reports 409, so two admins never
overwrite each other silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..audit.recorder import record
from ..errors import Conflict, NotFound, StaleVersion, Unprocessable
from ..extensions import db
from ..geo.models import GridCell, Unit
from ..unit_of_work import committing
from .labels import LEVEL_LABELS, ROLE_LABELS
from .models import User, UserGridCell
from .passwords import hash_password, temporary_password
from .permissions import Permission, require
from .principal import Principal
from .roles import Department, Role, may_bind, needs_department
from .services import check_policy


@dataclass
class UserInput:
    username: str
    display_name: str
    role: Role
    unit_code: str
    department: Department | None = None
    phone: str | None = None
    cell_codes: list[str] = field(default_factory=list)
    password: str | None = None  # None: a temporary password is generated


def _unit(code: str) -> Unit:
    # Scoped: an admin can only bind users to units of their own county.
    unit = db.session.execute(select(Unit).where(Unit.code == code)).scalar_one_or_none()
    if unit is None:
        raise Unprocessable(_l("No unit with code %(code)s.", code=code), field="unit_code")
    return unit


def _validate(role: Role, unit: Unit, department: Department | None,
              cell_codes: list[str]) -> list[int]:
    """Role fits the unit's level, department iff liaison, cells inside a grid worker's
    village. Returns the cell ids."""
    if not may_bind(role, unit.level.value):
        raise Unprocessable(
            _l("A %(role)s cannot belong to a %(level)s.", role=ROLE_LABELS[role],
               level=LEVEL_LABELS[unit.level.value]), field="unit_code")
    if needs_department(role) != (department is not None):
        raise Unprocessable(_l("A department is required for department liaisons only."),
                            field="department")
    if role is not Role.grid_worker:
        if cell_codes:
            raise Unprocessable(_l("Only grid workers are assigned grid cells."), field="cells")
        return []
    if not cell_codes:
        raise Unprocessable(_l("A grid worker needs at least one grid cell."), field="cells")
    cells = dict(db.session.execute(
        select(GridCell.code, GridCell.id)
        .where(GridCell.code.in_(cell_codes), GridCell.village_id == unit.id)
    ).all())
    unknown = sorted(set(cell_codes) - set(cells))
    if unknown:
        raise Unprocessable(
            _l("These grid cells are not in %(unit)s: %(codes)s", unit=unit.name,
               codes=", ".join(unknown)), field="cells")
    return sorted(cells.values())


def _set_cells(user_id: int, county_id: int, cell_ids: list[int]) -> None:
    db.session.execute(delete(UserGridCell).where(UserGridCell.user_id == user_id))
    if cell_ids:
        db.session.execute(insert(UserGridCell), [
            {"user_id": user_id, "grid_cell_id": c, "county_id": county_id} for c in cell_ids
        ])


def get_user(user_id: int) -> User:
    user = db.session.execute(select(User).where(User.id == user_id)).scalar_one_or_none()
    if user is None:
        raise NotFound(_l("No such user."))
    return user


def create_user(principal: Principal, data: UserInput) -> tuple[User, str | None]:
    """The new user and, when none was given, the temporary password to hand over."""
    require(principal, Permission.manage_users)
    username = data.username.strip().lower()
    unit = _unit(data.unit_code)
    cell_ids = _validate(data.role, unit, data.department, data.cell_codes)
    temporary = None if data.password else temporary_password()
    if data.password:
        check_policy(data.password, username)
    user = User(
        county_id=unit.county_id, unit_id=unit.id, username=username,
        display_name=data.display_name.strip(), phone=data.phone, role=data.role,
        department=data.department, password_hash=hash_password(data.password or temporary),
        must_change_password=temporary is not None,
    )
    try:
        db.session.add(user)
        db.session.flush()
        _set_cells(user.id, user.county_id, cell_ids)
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        # psycopg2 names the violated constraint: only the username's means "taken".
        if getattr(getattr(error.orig, "diag", None), "constraint_name", "") != "uq_users_username":
            raise
        raise Conflict(_l("The username %(name)s is taken.", name=username),
                       field="username") from error
    except Exception:
        db.session.rollback()
        raise
    return user, temporary


def update_user(principal: Principal, user_id: int, version: int,
                changes: dict[str, Any]) -> User:
    """Apply `changes` (display_name, phone, role, unit_code, department, cell_codes,
    is_active) if the user is still at `version`."""
    require(principal, Permission.manage_users)
    user = get_user(user_id)
    if user_id == principal.user_id and (
        changes.get("is_active") is False or "role" in changes or "unit_code" in changes
    ):
        # An admin who deactivates or demotes themselves can lock the county out.
        raise Unprocessable(_l("You cannot deactivate yourself or change your own role or unit."))
    role = changes.get("role", user.role)
    unit = _unit(changes["unit_code"]) if "unit_code" in changes else user.unit
    department = changes.get("department", user.department)
    current_cells = [c.code for c in user.cells]
    cell_codes = changes.get("cell_codes", current_cells if role is Role.grid_worker else [])
    cell_ids = _validate(role, unit, department, cell_codes)
    values: dict[str, Any] = {"role": role, "unit_id": unit.id, "department": department,
                              "version": User.version + 1}
    for key in ("display_name", "phone", "is_active"):
        if key in changes:
            values[key] = changes[key]
    if changes.get("is_active") is False or "role" in changes or "unit_code" in changes:
        values["auth_epoch"] = User.auth_epoch + 1  # new powers or none: sign in again
    with committing():
        won = db.session.execute(
            update(User).where(User.id == user_id, User.version == version)
            .values(**values).returning(User.id)
        ).scalar_one_or_none()
        if won is None:
            raise StaleVersion()
        _set_cells(user_id, user.county_id, cell_ids)
        record("users.update", object_type="users", object_id=user_id, summary={
            "changes": {k: (v.value if hasattr(v, "value") else v)
                        for k, v in changes.items()}, "version": version + 1})
    db.session.expire_all()
    return get_user(user_id)


def reset_password(principal: Principal, user_id: int) -> str:
    """A new temporary password (shown once); the user must change it at next login."""
    require(principal, Permission.manage_users)
    user = get_user(user_id)
    temporary = temporary_password()
    with committing():
        db.session.execute(
            update(User).where(User.id == user.id).values(
                password_hash=hash_password(temporary), must_change_password=True,
                auth_epoch=User.auth_epoch + 1, version=User.version + 1)
        )
        record("users.password_reset", object_type="users", object_id=user.id)
    return temporary
