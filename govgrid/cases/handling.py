"""Which cases a person handles (承办): those naming them as handler, and those on which they
hold an active handler assignment.

The assignment stays active after the case is resolved (it is what lets the mediator keep
reading it), so the case's state, not the assignment, says whether a case is still in hand;
`dispatch.caseload` counts the same cases. The list filter `handler` and the mediator
workload board both use this, so a number on the board and the list behind it agree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select, union

from .models import Case, CaseAssignment

_cases = Case.__table__
_assignments = CaseAssignment.__table__


def handled_by(user_id: Any) -> ColumnElement[bool]:
    """Case.id is one of the person's cases. `user_id` may be a value or a column of an
    enclosing query (a row per mediator). The id sets come from the tables (unscoped): only
    ids come out of them, and the enclosing query's Case is scoped as always. A UNION of two
    indexed lookups rather than an OR, which would scan every case."""
    by_assignment = select(_assignments.c.case_id).where(
        _assignments.c.user_id == user_id, _assignments.c.kind == "handler",
        _assignments.c.active.is_(True)).correlate_except(_assignments)
    # Never correlated with the enclosing query's cases: it is a lookup of its own. (Inside a
    # UNION nothing is correlated unless said: `user_id` may be the enclosing query's.)
    by_column = select(_cases.c.id).where(_cases.c.handler_id == user_id) \
        .correlate_except(_cases)
    return Case.id.in_(union(by_assignment, by_column))
