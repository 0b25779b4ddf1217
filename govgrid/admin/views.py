"""Admin pages: the users of the county (list, create, edit, deactivate, reset password).

Every page checks `manage_users`; which users an admin sees and may touch is the
jurisdiction scope of every query (admins are bound to the county). The user_admin service
does the work and owns the transactions; these views only translate forms to calls and
errors back to the form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import (
    Blueprint,
    Response,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..auth import user_admin
from ..auth.labels import DEPARTMENT_LABELS, ROLE_LABELS
from ..auth.models import User
from ..auth.permissions import Permission, require
from ..auth.principal import current_principal
from ..auth.roles import Department, Role
from ..errors import Conflict, DomainError
from ..extensions import db
from ..geo.models import Unit, UnitLevel
from ..timestamps import local
from .forms import UserForm, field_of

bp = Blueprint("admin", __name__, url_prefix="/admin")

PAGE_SIZE = 50

Page = str | Response | tuple[str | Response, int]


@bp.before_request
def only_user_managers() -> None:
    # One check for every page here, GET and POST alike; Forbidden renders the 403 page.
    require(current_principal(), Permission.manage_users)


@bp.context_processor
def labels() -> dict[str, Any]:
    return {"roles": list(Role), "departments": list(Department), "role_labels": ROLE_LABELS,
            "department_labels": DEPARTMENT_LABELS, "local_time": _local_time}


def _local_time(moment: dt.datetime | None) -> str:
    shown = local(moment)
    return shown.strftime("%Y-%m-%d %H:%M") if shown else ""


def _no_store(page: str, status: int = 200) -> Response:
    """Pages showing a temporary password must not stay in a cache or the back button."""
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _unit_choices() -> list[tuple[str, str]]:
    """(code, label) of the county and its townships and villages, for the unit <datalist>;
    villages are labelled "township village" because village names repeat across townships."""
    rows = db.session.execute(
        select(Unit.id, Unit.parent_id, Unit.level, Unit.code, Unit.name).order_by(Unit.code)
    ).all()
    names = {row.id: row.name for row in rows}
    return [(row.code, f"{names.get(row.parent_id, '')} {row.name}".strip()
             if row.level is UnitLevel.village else row.name) for row in rows]


@bp.get("/users")
def users() -> str:
    role = request.args.get("role", "")
    unit_code = request.args.get("unit", "")
    state = request.args.get("state", "")
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    query = select(User, Unit).join(Unit, Unit.id == User.unit_id)
    if role in Role.__members__:
        query = query.where(User.role == Role(role))
    if unit_code:
        # A township's users include those of its villages: the filter is a subtree.
        root = aliased(Unit)
        query = query.where(Unit.path.descendant_of(
            select(root.path).where(root.code == unit_code).scalar_subquery()))
    if state in ("active", "inactive"):
        query = query.where(User.is_active.is_(state == "active"))
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(
        query.order_by(Unit.path, User.username).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    filter_units = db.session.execute(
        select(Unit.code, Unit.name).where(Unit.level != UnitLevel.village).order_by(Unit.code)
    ).all()
    return render_template(
        "admin/users.html", rows=rows, total=total, page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1), filter_units=filter_units,
        filters={"role": role, "unit": unit_code, "state": state},
    )


def _render_form(form: UserForm, user: User | None = None, error: str | None = None,
                 status: int = 200) -> tuple[str, int]:
    page = render_template("admin/user_form.html", form=form, user=user, error=error,
                           units=_unit_choices())
    return page, status


def _refused(form: UserForm, error: DomainError, user: User | None = None) -> tuple[str, int]:
    message = str(error.message)
    name = field_of(error.details)
    if name:
        form.errors.setdefault(name, []).append(message)
    return _render_form(form, user, message, error.status)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user() -> Page:
    if request.method == "GET":
        return _render_form(UserForm())
    form = UserForm.from_request(request.form)
    data = form.to_input(request.form.get("password", ""))
    if data is None:
        return _render_form(form, error=_("Please correct the marked fields."), status=422)
    try:
        user, temporary = user_admin.create_user(current_principal(), data)
    except DomainError as error:
        return _refused(form, error)
    page = render_template("admin/user_password.html", user=user, temporary=temporary,
                           created=True)
    return _no_store(page, 201)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int) -> Page:
    user = user_admin.get_user(user_id)
    if request.method == "GET":
        return _render_form(UserForm.from_user(user), user)
    form = UserForm.from_request(request.form)
    form.username = user.username  # not editable; shown from the record
    parsed = form.to_changes(user)
    if parsed is None:
        return _render_form(form, user, _("Please correct the marked fields."), 422)
    version, changes = parsed
    if not changes and version == user.version:
        flash(_("Nothing was changed."))
        return redirect(url_for(".edit_user", user_id=user_id))
    return _save(user, form, version, changes, _("Saved %(name)s.", name=user.display_name))


def _save(user: User, form: UserForm, version: int, changes: dict[str, Any],
          done: str) -> Page:
    try:
        # No changes but a stale version still goes through: the service then reports the
        # conflict, rather than this page pretending the stale form was saved.
        user_admin.update_user(current_principal(), user.id, version, changes)
    except Conflict as error:
        # Someone saved first: show what is stored now, with its version, so that the
        # admin decides again on current facts instead of overwriting them.
        db.session.expire_all()
        fresh = user_admin.get_user(user.id)
        return _render_form(UserForm.from_user(fresh), fresh, str(error.message), error.status)
    except DomainError as error:
        return _refused(form, error, user)
    flash(done)
    return redirect(url_for(".edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/active")
def set_active(user_id: int) -> Page:
    user = user_admin.get_user(user_id)
    active = request.form.get("active") == "1"
    form = UserForm.from_user(user)
    version = request.form.get("version", "")
    if not version.isdigit():
        return _render_form(form, user, _("Please correct the marked fields."), 422)
    done = (_("%(name)s can log in again.", name=user.display_name) if active
            else _("%(name)s was deactivated and can no longer log in.", name=user.display_name))
    return _save(user, form, int(version), {"is_active": active}, done)


@bp.post("/users/<int:user_id>/password-reset")
def reset_password(user_id: int) -> Response:
    temporary = user_admin.reset_password(current_principal(), user_id)
    user = user_admin.get_user(user_id)
    page = render_template("admin/user_password.html", user=user, temporary=temporary,
                           created=False)
    return _no_store(page)
