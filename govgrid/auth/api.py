"""Accounts API: log in for a bearer token, manage one's tokens and password, and (admins)
manage the users of their county."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import func, select

from ..errors import DomainError
from ..extensions import db
from ..geo.models import Unit
from . import schemas, services, user_admin
from .identity import principal_for
from .models import User
from .principal import acting_as, current_principal
from .throttle import throttled

bp = Blueprint("auth_api", __name__, description="Accounts, sessions and tokens 账号与登录")


class LoginFailed(DomainError):
    status = 401


# Request examples for the OpenAPI document (demo county 科尔沁左翼中旗, 150521000000).
LOGIN_EXAMPLE = {"username": "baokang.dispatcher", "password": "govgrid2026",
                 "token_name": "保康镇综治中心值班电脑"}
TOKEN_EXAMPLE = {"name": "网格通手机端", "days": 90}
PASSWORD_EXAMPLE = {"old_password": "govgrid2026", "new_password": "Baokang2026zz"}
USER_CREATE_EXAMPLES = {
    "grid_worker": {
        "summary": "A grid worker of 保南村 with their grid cell (temporary password)",
        "value": {"username": "baonan.grid2", "display_name": "保南村网格员 包玉梅",
                  "role": "grid_worker", "unit_code": "150521100201",
                  "phone": "13847512345", "cell_codes": ["150521100201001"]},
    },
    "liaison": {
        "summary": "The 司法所 liaison of 保康镇, with a chosen password",
        "value": {"username": "baokang.justice", "display_name": "保康司法所 白雪",
                  "role": "department_liaison", "unit_code": "150521100000",
                  "department": "justice", "phone": "0475-5221234",
                  "password": "Sifasuo2026ok"},
    },
}
USER_UPDATE_EXAMPLES = {
    "move": {
        "summary": "Rename a user and set their phone and unit",
        "value": {"version": 3, "display_name": "保康镇调解员 孙丽（主任）",
                  "unit_code": "150521100000", "phone": "13904751234"},
    },
    "deactivate": {
        "summary": "Deactivate a user (ends their sessions)",
        "value": {"version": 4, "is_active": False},
    },
}


@bp.route("/session")
class Session(MethodView):
    @throttled
    @bp.arguments(schemas.LoginRequest, example=LOGIN_EXAMPLE)
    @bp.response(201, schemas.SessionOut)
    @bp.alt_response(401, description="Wrong username or password.")
    @bp.alt_response(429, description="Too many failed attempts; wait and retry.")
    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        """Log in with username and password; returns a bearer token"""
        user = services.authenticate(args["username"], args["password"])
        if user is None:
            raise LoginFailed(_l("Wrong username or password."))
        token, row = services.issue_token(
            user, args["token_name"], current_app.config["API_TOKEN_DAYS"])
        # The request itself is anonymous: read the user's unit and cells as the user, or
        # jurisdiction would hide them from the answer (an app needs them to start).
        with acting_as(principal_for(user)):
            user.unit, list(user.cells)  # noqa: B018  (loads them for the response schema)
        return {"token": token, "expires_at": row.expires_at, "user": user}

    @bp.response(200, schemas.UserOut)
    def get(self) -> User:
        """Who am I: the logged-in user"""
        return current_user.user

    @bp.response(204)
    @bp.alt_response(404, description="The request carried no bearer token that is still "
                                      "valid (a cookie session logs out at /logout).")
    def delete(self) -> None:
        """Log out: revoke the bearer token used for this request"""
        token = request.headers.get("Authorization", "").partition(" ")[2].strip()
        services.revoke_token(current_principal(), plain=token)


@bp.route("/tokens")
class Tokens(MethodView):
    @bp.response(200, schemas.TokenOut(many=True))
    def get(self) -> list[Any]:
        """My API tokens that still work"""
        return services.own_tokens(current_principal())

    @bp.arguments(schemas.TokenCreate, example=TOKEN_EXAMPLE)
    @bp.response(201, schemas.TokenCreated)
    def post(self, args: dict[str, Any]) -> Any:
        """Create an API token for myself"""
        plain, token = services.issue_token(current_user.user, args["name"], args["days"])
        token.token = plain  # shown once in this response, never stored
        return token


@bp.route("/tokens/<int:token_id>")
class TokenDetail(MethodView):
    @bp.response(204)
    @bp.alt_response(404, description="No such token of mine that is still valid.")
    def delete(self, token_id: int) -> None:
        """Revoke one of my API tokens"""
        services.revoke_token(current_principal(), token_id)


@bp.route("/me/password")
class MyPassword(MethodView):
    @bp.arguments(schemas.PasswordChange, example=PASSWORD_EXAMPLE)
    @bp.response(204)
    @bp.alt_response(422, description="Invalid fields, a wrong current password, or a new "
                                      "password that breaks the policy (at least 8 characters, "
                                      "letters and digits, not containing the username).")
    def put(self, args: dict[str, str]) -> None:
        """Change my password (ends my other sessions and tokens)"""
        services.change_password(current_principal(), args["old_password"], args["new_password"])


@bp.route("/users")
class Users(MethodView):
    @bp.arguments(schemas.UsersQuery, location="query", error_status_code=400)
    @bp.response(200, schemas.UserOut(many=True))
    @bp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[User]:
        """Users within my jurisdiction"""
        query = select(User)
        if "role" in args:
            query = query.where(User.role == args["role"])
        if "unit" in args:
            query = query.join(Unit, Unit.id == User.unit_id).where(Unit.code == args["unit"])
        if "active" in args:
            query = query.where(User.is_active == args["active"])
        pagination_parameters.item_count = db.session.execute(
            select(func.count()).select_from(query.subquery())).scalar_one()
        page = pagination_parameters
        return list(db.session.execute(
            query.order_by(User.username)
            .limit(page.page_size).offset((page.page - 1) * page.page_size)
        ).scalars())

    @bp.arguments(schemas.UserCreate, examples=USER_CREATE_EXAMPLES)
    @bp.response(201, schemas.UserCreated)
    @bp.alt_response(403, description="Only admins manage users.")
    @bp.alt_response(409, description="The username is taken.")
    @bp.alt_response(422, description="Invalid fields, or a unit, role, department or grid "
                                      "cells that do not fit together (e.g. a grid worker "
                                      "outside a village, cells outside the user's village).")
    def post(self, args: dict[str, Any]) -> User:
        """Create a user (admins)"""
        user, temporary = user_admin.create_user(current_principal(), user_admin.UserInput(**args))
        user.temporary_password = temporary  # type: ignore[attr-defined]  # shown once
        return user


@bp.route("/users/<int:user_id>")
class UserDetail(MethodView):
    @bp.response(200, schemas.UserOut)
    @bp.alt_response(404, description="No such user within your jurisdiction.")
    def get(self, user_id: int) -> User:
        """One user within my jurisdiction"""
        return user_admin.get_user(user_id)

    @bp.arguments(schemas.UserUpdate, examples=USER_UPDATE_EXAMPLES)
    @bp.response(200, schemas.UserOut)
    @bp.alt_response(403, description="Only admins manage users.")
    @bp.alt_response(404, description="No such user within your jurisdiction.")
    @bp.alt_response(409, description="Someone else changed the user since you read it.")
    @bp.alt_response(422, description="Invalid fields, a combination that does not fit, or "
                                      "deactivating yourself or changing your own role or "
                                      "unit.")
    def patch(self, args: dict[str, Any], user_id: int) -> User:
        """Change a user: role, unit, cells, activation (admins; optimistic locking)"""
        version = args.pop("version")
        return user_admin.update_user(current_principal(), user_id, version, args)


@bp.route("/users/<int:user_id>/password-reset")
class UserPasswordReset(MethodView):
    @bp.response(200, schemas.PasswordReset)
    @bp.alt_response(403, description="Only admins manage users.")
    @bp.alt_response(404, description="No such user within your jurisdiction.")
    def post(self, user_id: int) -> dict[str, str]:
        """Reset a user's password to a temporary one (admins)"""
        return {"temporary_password": user_admin.reset_password(current_principal(), user_id)}
