"""Jurisdiction: which rows a principal may read, applied to every ORM query.

How it works, and why this way:
- Each scoped model has a rule (rules.py) whose SQL is the same for every principal: it
  compares rows with the transaction-local settings `govgrid.scope_path` (the principal's
  unit path), `govgrid.scope_cells` (a grid worker's cells) and `govgrid.scope_user`. The
  principal's values travel as those settings, never inside the statement, so SQLAlchemy's
  statement cache can never serve one user's filter to another.
- A `do_orm_execute` hook (`install`) adds every rule to every ORM SELECT, UPDATE and DELETE
  through `with_loader_criteria` (aliases and joins included), and sets the three values
  with one `set_config` round trip whenever the principal differs from the one the current
  transaction was set up for. A new endpoint therefore cannot forget jurisdiction.
- Unset settings read as NULL, and a NULL comparison is false: a query that somehow runs
  without them sees nothing. Anonymous principals get a path that matches no unit.
- SYSTEM (CLI, jobs) is not filtered; code that must see everything inside a request (login
  itself) says so with `unscoped()`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, event, text
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from .principal import Principal, current_principal

SKIP = "govgrid_skip_jurisdiction"
SCOPE_KEY = "govgrid_scope_settings"
NOBODY_PATH = "nobody"  # an ltree no unit path lies under

Rule = Callable[[Any], ColumnElement[bool]]
_RULES: dict[type, Rule] = {}


def register(model: type, rule: Rule) -> None:
    _RULES[model] = rule


def scoped_models() -> tuple[type, ...]:
    return tuple(_RULES)


def scope_settings(principal: Principal) -> tuple[str, str, str, str]:
    """The one function deciding what a principal may read: (unit path, cells, user id,
    case reach) as the text values of the govgrid.scope_* settings. Cells: '' = every cell
    under the path, otherwise a Postgres int array literal of the only cells readable. Case
    reach: subtree / own_cells / assigned (auth.roles.CaseReach)."""
    if principal.is_anonymous or principal.unit_path is None:
        return NOBODY_PATH, "{}", "0", "none"
    cells = ""
    if principal.limited_to_cells:
        cells = "{" + ",".join(str(c) for c in sorted(principal.cell_ids)) + "}"
    reach = principal.case_reach.value if principal.case_reach else "none"
    return principal.unit_path, cells, str(principal.user_id or 0), reach


def unscoped() -> dict[str, bool]:
    """Execution options for the few queries that must not be scoped (say why at the call)."""
    return {SKIP: True}


def _ensure_settings(session: Session, principal: Principal) -> None:
    settings = scope_settings(principal)
    if session.info.get(SCOPE_KEY) == settings:
        return
    path, cells, user, reach = settings
    session.execute(
        text("SELECT set_config('govgrid.scope_path', :path, true), "
             "set_config('govgrid.scope_cells', :cells, true), "
             "set_config('govgrid.scope_user', :user, true), "
             "set_config('govgrid.scope_reach', :reach, true)"),
        {"path": path, "cells": cells, "user": user, "reach": reach},
        execution_options=unscoped(),
    )
    session.info[SCOPE_KEY] = settings


def _apply(state: ORMExecuteState) -> None:
    # Reads, and ORM-enabled UPDATE/DELETE too: a write cannot reach a row its author could
    # not read.
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.execution_options.get(SKIP):
        return
    principal = current_principal()
    if principal.is_system:
        return
    _ensure_settings(state.session, principal)
    state.statement = state.statement.options(*(
        with_loader_criteria(model, rule, include_aliases=True)
        for model, rule in _RULES.items()
    ))


def _forget_settings(session: Session, *args: Any) -> None:
    # set_config(..., true) lasts until the transaction ends; so does our note of it.
    session.info.pop(SCOPE_KEY, None)


def install(session_class: type[Session]) -> None:
    listeners = (("do_orm_execute", _apply), ("after_commit", _forget_settings),
                 ("after_rollback", _forget_settings), ("after_begin", _forget_settings))
    for name, listener in listeners:
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)
