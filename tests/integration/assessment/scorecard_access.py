"""Jurisdiction checks of the scorecards, the standing map and the annual table for the
access-matrix test (tests/integration/auth/test_access_matrix.py), registered there with
`ROUTES.update(SCORECARD_ROUTES)`.

Read like units: a county or township in the jurisdiction answers, sideways and up are 404;
roles other than county staff, leaders, assessors, admins and township centres get 403
whatever the unit (the numbers of a mediator's or a liaison's assigned cases are no unit's
assessment)."""

from __future__ import annotations

from typing import Any

from govgrid.assessment.scorecards import SCORECARD_ROLES

PREFIX = "/api/v1/assessment"


def _expected(ctx: Any, visible: bool) -> int:
    if ctx.role not in SCORECARD_ROLES:
        return 403
    if not visible:
        return 404
    return 422 if ctx.target[9:] != "000" and ctx.target[6:] != "000000" else 200


def _read(path: str, **extra: Any) -> Any:
    def check(ctx: Any, db: Any, visible: bool) -> None:
        response = ctx.client.get(path, query_string={"unit": ctx.target, **extra})
        assert response.status_code == _expected(ctx, visible), (
            ctx.username, ctx.target, response.status_code, response.get_data(as_text=True)[:200])
    return check


SCORECARD_ROUTES = {
    ("GET", f"{PREFIX}/scorecards"): _read(f"{PREFIX}/scorecards"),
    ("GET", f"{PREFIX}/standing-map"): _read(f"{PREFIX}/standing-map", zoom="10"),
    ("GET", f"{PREFIX}/annual-table"): _read(f"{PREFIX}/annual-table", format="csv"),
}
