"""Every API route, every role, against objects in the caller's own unit, a sibling unit and
the parent unit: own (and below) is readable; sideways and up answer 404.

The test walks the app's URL map: a new /api/v1 route without an entry in ROUTES fails the
suite, so nobody can add an endpoint without saying how jurisdiction applies to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import insert, select

from govgrid.auth.models import User
from govgrid.auth.roles import Role
from govgrid.auth.scope import unscoped
from govgrid.demo.users import DEMO_USERS
from govgrid.geo.models import Unit

SIGNIFICANT = {"county": 6, "township": 9, "village": 12}

# Sibling and parent of each demo user's unit; county users' sibling is the second county.
NEIGHBOURS = {
    "150521000000": ("150522000000", None),
    "150521100000": ("150521104000", "150521000000"),
    "150521104000": ("150521100000", "150521000000"),
    "150521100201": ("150521100202", "150521100000"),
}


def within(code: str, root_code: str, root_level: str) -> bool:
    """Statistical codes nest by prefix, so "in the subtree" is a prefix test."""
    return code.startswith(root_code[: SIGNIFICANT[root_level]])


@dataclass
class Ctx:
    username: str
    role: Role
    own: str
    own_level: str
    client: object
    target: str  # unit code the request is about
    target_user_id: int | None
    cell_ids: frozenset


def _unit_point(db_session, code):
    return db_session.execute(
        select(Unit.boundary.ST_PointOnSurface().ST_X(), Unit.boundary.ST_PointOnSurface().ST_Y())
        .where(Unit.code == code).execution_options(**unscoped())
    ).one()


# Each entry: (method, rule) -> function(ctx, db_session) -> (status_if_visible, response)
# called for own, sibling and parent targets; `check` asserts on the response.
def _get_unit(ctx, db, visible):
    response = ctx.client.get(f"/api/v1/units/{ctx.target}")
    assert response.status_code == (200 if visible else 404)


def _get_tree(ctx, db, visible):
    response = ctx.client.get(f"/api/v1/units/tree?root={ctx.target}&depth=1")
    assert response.status_code == (200 if visible else 404)


def _list_units(ctx, db, visible):
    for level in ("township", "village"):
        body = ctx.client.get(f"/api/v1/units?level={level}&parent={ctx.target}").json
        codes = [f["id"] for f in body["features"]]
        assert all(within(c, ctx.own, ctx.own_level) for c in codes), codes
        if not visible:
            assert codes == []


def _list_cells(ctx, db, visible):
    lon, lat = _unit_point(db, ctx.target)
    bbox = f"{lon - 0.5},{lat - 0.5},{lon + 0.5},{lat + 0.5}"
    for url in (f"/api/v1/grid-cells?bbox={bbox}", f"/api/v1/grid-cells?village={ctx.target}"):
        body = ctx.client.get(url).json
        codes = [f["id"] for f in body["features"]]
        assert all(within(c, ctx.own, ctx.own_level) for c in codes), codes
        if ctx.role is Role.grid_worker:
            assert len(codes) <= len(ctx.cell_ids)


def _locate(ctx, db, visible):
    lon, lat = _unit_point(db, ctx.target)
    response = ctx.client.get(f"/api/v1/locate?lon={lon}&lat={lat}")
    if visible:
        assert response.status_code == 200
    else:
        assert response.status_code == 422
        assert "grid_cell" not in response.json


def _get_user(ctx, db, visible):
    response = ctx.client.get(f"/api/v1/users/{ctx.target_user_id}")
    assert response.status_code == (200 if visible else 404)


def _list_users(ctx, db, visible):
    body = ctx.client.get(f"/api/v1/users?unit={ctx.target}&page_size=100").json
    assert all(within(u["unit"]["code"], ctx.own, ctx.own_level) for u in body)
    if not visible:
        assert body == []


def _patch_user(ctx, db, visible):
    current = db.execute(select(User.version).where(User.id == ctx.target_user_id)
                         .execution_options(**unscoped())).scalar_one()
    response = ctx.client.patch(f"/api/v1/users/{ctx.target_user_id}",
                                json={"version": current, "display_name": "改名"})
    if ctx.role is not Role.admin:
        assert response.status_code == 403
    else:
        assert response.status_code == (200 if visible else 404)


def _reset_password(ctx, db, visible):
    response = ctx.client.post(f"/api/v1/users/{ctx.target_user_id}/password-reset")
    if ctx.role is not Role.admin:
        assert response.status_code == 403
    else:
        assert response.status_code == (200 if visible else 404)


def _create_user(ctx, db, visible):
    response = ctx.client.post("/api/v1/users", json={
        "username": f"new.{ctx.username}.{ctx.target}", "display_name": "新用户",
        "role": "mediator", "unit_code": ctx.target})
    if ctx.role is not Role.admin:
        assert response.status_code == 403
    elif visible:
        assert response.status_code in (201, 422)  # 422: a mediator cannot sit at every level
    else:
        assert response.status_code == 422
        assert "150522" not in response.json["message"] or "没有" in response.json["message"]


def _case_in(db, unit_code):
    """A case located in the unit (reported by the system, so no reach applies)."""
    from govgrid.auth.principal import SYSTEM, acting_as
    from govgrid.cases.parties import PartyInput
    from govgrid.cases.reporting import ReportInput, report_case
    from govgrid.cases.vocabulary import Source

    with acting_as(SYSTEM):
        case, _ = report_case(SYSTEM, ReportInput(
            category_code="0201", title="矩阵测试", source=Source.walk_in, unit_code=unit_code,
            parties=[PartyInput(name="张三", id_number="150521199001011231",
                                phone="13812345678")]))
    return case


def _may_read_cases(ctx):
    """Of the cases made here (located at a unit, not in a cell; reported by the system):
    mediators and liaisons read only cases assigned to them, and grid workers only those in
    their cells or reported by themselves, so neither reads these."""
    return ctx.role not in (Role.mediator, Role.department_liaison, Role.grid_worker)


def _get_case(ctx, db, visible):
    case = _case_in(db, ctx.target)
    response = ctx.client.get(f"/api/v1/cases/{case.id}")
    assert response.status_code == (200 if visible and _may_read_cases(ctx) else 404)
    if response.status_code == 200:
        assert response.json["parties"][0]["id_number"] == "150521********1231"
        assert response.json["parties"][0]["phone"] == "138****5678"


def _list_cases(ctx, db, visible):
    case = _case_in(db, ctx.target)
    ids = {c["id"] for c in ctx.client.get("/api/v1/cases?page_size=100").json}
    assert (str(case.id) in ids) == (visible and _may_read_cases(ctx))


def _export_cases(ctx, db, visible):
    """The export holds what the list holds: the target's case only when the caller reads it."""
    import csv
    import io

    case = _case_in(db, ctx.target)
    response = ctx.client.get("/api/v1/cases/export?format=csv")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert (str(case.id) in {row[0] for row in rows[1:]}) == (visible and _may_read_cases(ctx))


def _report_case(ctx, db, visible):
    lon, lat = _unit_point(db, ctx.target)
    response = ctx.client.post("/api/v1/cases", json={
        "category_code": "0201", "title": "测试上报", "source": "walk_in", "lon": lon,
        "lat": lat})
    assert response.status_code == (201 if visible else 422), response.json


def _unmask(ctx, db, visible):
    case = _case_in(db, ctx.target)
    party_id = case.parties[0].id
    response = ctx.client.post(f"/api/v1/cases/{case.id}/parties/{party_id}/unmask",
                               json={"reason": "矩阵测试"})
    if not (visible and _may_read_cases(ctx)):
        assert response.status_code == 404
    elif response.status_code == 200:
        assert response.json["id_number"] == "150521199001011231"
    else:
        assert response.status_code == 403  # reads the case but does not handle it


def _transition(ctx, db, visible):
    case = _case_in(db, ctx.target)
    response = ctx.client.post(f"/api/v1/cases/{case.id}/transitions",
                               json={"action": "accept", "version": case.version})
    if not (visible and _may_read_cases(ctx)):
        assert response.status_code == 404
    else:  # readable: the workflow decides (accepted, or refused for role or level)
        assert response.status_code in (200, 403, 422), response.json


def _duplicates(ctx, db, visible):
    case = _case_in(db, ctx.target)
    response = ctx.client.get(f"/api/v1/cases/{case.id}/duplicates")
    assert response.status_code == (200 if visible and _may_read_cases(ctx) else 404)


def _self_only(ctx, db, visible):
    """Routes about the caller (session, own tokens, own password): no unit is involved;
    what matters is that nobody can touch another user's tokens (checked below)."""


MATRIX_PNG = b"\x89PNG\r\n\x1a\n" + b"matrix"  # sniffed as PNG, which is all these need


def _attachment_route(ctx, db, visible, method, path, ok, **request):
    """Make a case in the target unit with one attachment (added by the system; blobs in a
    temporary FILES_DIR), then request path (with {case} and {attachment}): `ok` if the
    caller reads the case, else 404. Returns (response or None, attachment)."""
    import io
    import tempfile

    from flask import current_app

    from govgrid.auth.principal import SYSTEM, acting_as
    from govgrid.cases.attachments import add_attachment

    saved = current_app.config["FILES_DIR"]
    with tempfile.TemporaryDirectory(prefix="govgrid-matrix-") as files_dir:
        current_app.config["FILES_DIR"] = files_dir
        try:
            case = _case_in(db, ctx.target)
            with acting_as(SYSTEM):
                attachment, _ = add_attachment(SYSTEM, case.id, io.BytesIO(MATRIX_PNG),
                                               "矩阵.png")
            url = path.format(case=case.id, attachment=attachment.id)
            response = getattr(ctx.client, method)(url, **request)
            response.get_data()  # read while the blob exists
        finally:
            current_app.config["FILES_DIR"] = saved
    readable = visible and _may_read_cases(ctx)
    assert response.status_code == (ok if readable else 404), response.get_data(as_text=True)
    return (response if readable else None), attachment


def _list_attachments(ctx, db, visible):
    response, attachment = _attachment_route(ctx, db, visible, "get",
                                             "/api/v1/cases/{case}/attachments", 200)
    if response is not None:
        assert [a["id"] for a in response.json] == [attachment.id]


def _add_attachment(ctx, db, visible):
    import io

    _attachment_route(ctx, db, visible, "post", "/api/v1/cases/{case}/attachments", 201,
                      data={"file": (io.BytesIO(MATRIX_PNG + b"2"), "矩阵2.png")},
                      content_type="multipart/form-data")


def _get_attachment(ctx, db, visible):
    response, attachment = _attachment_route(
        ctx, db, visible, "get", "/api/v1/cases/{case}/attachments/{attachment}", 200)
    if response is not None:
        assert response.json["sha256"] == attachment.sha256


def _attachment_content(ctx, db, visible):
    response, _ = _attachment_route(
        ctx, db, visible, "get", "/api/v1/cases/{case}/attachments/{attachment}/content", 200)
    if response is not None:
        assert response.data == MATRIX_PNG and response.mimetype == "image/png"


ROUTES = {
    ("GET", "/api/v1/cases/<uuid:case_id>/attachments"): _list_attachments,
    ("POST", "/api/v1/cases/<uuid:case_id>/attachments"): _add_attachment,
    ("GET", "/api/v1/cases/<uuid:case_id>/attachments/<int:attachment_id>"): _get_attachment,
    ("GET", "/api/v1/cases/<uuid:case_id>/attachments/<int:attachment_id>/content"):
        _attachment_content,
    ("GET", "/api/v1/units/<code>"): _get_unit,
    ("GET", "/api/v1/units/tree"): _get_tree,
    ("GET", "/api/v1/units"): _list_units,
    ("GET", "/api/v1/grid-cells"): _list_cells,
    ("GET", "/api/v1/locate"): _locate,
    ("GET", "/api/v1/users/<int:user_id>"): _get_user,
    ("GET", "/api/v1/users"): _list_users,
    ("PATCH", "/api/v1/users/<int:user_id>"): _patch_user,
    ("POST", "/api/v1/users/<int:user_id>/password-reset"): _reset_password,
    ("POST", "/api/v1/users"): _create_user,
    ("GET", "/api/v1/cases"): _list_cases,
    ("GET", "/api/v1/cases/export"): _export_cases,
    ("POST", "/api/v1/cases"): _report_case,
    ("POST", "/api/v1/cases/<uuid:case_id>/transitions"): _transition,
    ("GET", "/api/v1/cases/<uuid:case_id>/duplicates"): _duplicates,
    ("GET", "/api/v1/cases/<uuid:case_id>"): _get_case,
    ("POST", "/api/v1/cases/<uuid:case_id>/parties/<int:party_id>/unmask"): _unmask,
    ("POST", "/api/v1/session"): _self_only,
    ("GET", "/api/v1/session"): _self_only,
    ("DELETE", "/api/v1/session"): _self_only,
    ("GET", "/api/v1/tokens"): _self_only,
    ("POST", "/api/v1/tokens"): _self_only,
    ("DELETE", "/api/v1/tokens/<int:token_id>"): _self_only,
    ("PUT", "/api/v1/me/password"): _self_only,
    # Notifications are the caller's own (like tokens); test_linkage.py checks that nobody
    # reads or marks another user's notification, notifications/test_inbox_api.py that the
    # unread count counts only one's own.
    ("GET", "/api/v1/notifications"): _self_only,
    ("GET", "/api/v1/notifications/unread-count"): _self_only,
    ("POST", "/api/v1/notifications/<int:notification_id>/read"): _self_only,
    ("POST", "/api/v1/notifications/read-all"): _self_only,
}


def _mediator_profile(db, user_id):
    """A registry entry for the target's mediator (inserted directly, committed so that it
    outlives the request's session)."""
    from govgrid.cases.records import MediatorProfile

    county_id = db.execute(select(User.county_id).where(User.id == user_id)
                           .execution_options(**unscoped())).scalar_one()
    db.execute(insert(MediatorProfile).values(
        county_id=county_id, user_id=user_id, specialties=["0201"], legal_training=True,
        languages=["zh"], max_active_cases=5, is_available=True, extra={}))
    db.commit()


def _mediator_suggestions(ctx, db, visible):
    case = _case_in(db, ctx.target)
    _mediator_profile(db, ctx.target_user_id)
    response = ctx.client.get(f"/api/v1/cases/{case.id}/mediator-suggestions?limit=50")
    readable = visible and _may_read_cases(ctx)
    assert response.status_code == (200 if readable else 404)
    if readable:
        units = [s["mediator"]["unit"]["code"] for s in response.json]
        assert all(within(c, ctx.own, ctx.own_level) for c in units), units
        assert ctx.target_user_id in {s["mediator"]["user_id"] for s in response.json}


def _list_mediators(ctx, db, visible):
    _mediator_profile(db, ctx.target_user_id)
    body = ctx.client.get("/api/v1/mediators?page_size=100").json
    assert all(within(m["unit"]["code"], ctx.own, ctx.own_level) for m in body)
    assert (ctx.target_user_id in {m["user_id"] for m in body}) == visible


def _put_mediator(ctx, db, visible):
    from govgrid.auth.permissions import GRANTS, Permission

    response = ctx.client.put(f"/api/v1/mediators/{ctx.target_user_id}",
                              json={"specialties": ["0201"], "legal_training": True})
    if ctx.role not in GRANTS[Permission.manage_mediators]:
        assert response.status_code == 403
    else:
        assert response.status_code == (201 if visible else 404), response.json


ROUTES.update({
    ("GET", "/api/v1/cases/<uuid:case_id>/mediator-suggestions"): _mediator_suggestions,
    ("GET", "/api/v1/mediators"): _list_mediators,
    ("PUT", "/api/v1/mediators/<int:user_id>"): _put_mediator,
})


def _agreement_in(db, unit_code):
    """A case in the unit under mediation, with an agreement (both inserted as the system)."""
    from sqlalchemy import text

    from govgrid.cases.agreements import china_today
    from govgrid.cases.records import Agreement

    case = _case_in(db, unit_code)
    db.execute(text("UPDATE cases SET state = 'mediating' WHERE id = :i"), {"i": case.id})
    db.expire_all()
    agreement = Agreement(
        county_id=case.county_id, case_id=case.id, number=f"矩阵〔{case.id.hex[:8]}〕",
        committee="矩阵人民调解委员会", facts="事实", terms="协议", performance="履行",
        signed_on=china_today(), effective_on=china_today())
    db.add(agreement)
    db.flush()
    return case, agreement


def _handles(ctx):
    """Of those who read the cases made here (held by the unit they are in, reported by the
    system), the centre staff of that unit handle them; nobody else does."""
    return ctx.role in (Role.village_staff, Role.township_dispatcher, Role.county_staff)


def _agreement_read(path):
    def check(ctx, db, visible):
        case, agreement = _agreement_in(db, ctx.target)
        response = ctx.client.get(path.format(case=case.id, agreement=agreement.id))
        assert response.status_code == (200 if visible and _may_read_cases(ctx) else 404)
        if response.status_code == 200 and "{agreement}" in path:
            assert response.json["number"] == agreement.number
    return check


def _create_agreement(ctx, db, visible):
    case, _ = _agreement_in(db, ctx.target)
    response = ctx.client.post(f"/api/v1/cases/{case.id}/agreements", json={
        "facts": "事实", "terms": "协议", "performance": "当场履行"})
    if not (visible and _may_read_cases(ctx)):
        assert response.status_code == 404
    else:  # readable: only those who handle the case record its agreement
        assert response.status_code == (201 if _handles(ctx) else 403), response.json


def _patch_agreement(ctx, db, visible):
    case, agreement = _agreement_in(db, ctx.target)
    response = ctx.client.patch(f"/api/v1/cases/{case.id}/agreements/{agreement.id}", json={
        "version": agreement.version, "status": "applied", "court": "科尔沁左翼中旗人民法院",
        "applied_on": agreement.effective_on.isoformat()})
    if not (visible and _may_read_cases(ctx)):
        assert response.status_code == 404
    else:
        assert response.status_code == (200 if _handles(ctx) else 403), response.json


ROUTES.update({
    ("GET", "/api/v1/cases/<uuid:case_id>/agreements"):
        _agreement_read("/api/v1/cases/{case}/agreements"),
    ("POST", "/api/v1/cases/<uuid:case_id>/agreements"): _create_agreement,
    ("GET", "/api/v1/cases/<uuid:case_id>/agreements/<int:agreement_id>"):
        _agreement_read("/api/v1/cases/{case}/agreements/{agreement}"),
    ("PATCH", "/api/v1/cases/<uuid:case_id>/agreements/<int:agreement_id>"): _patch_agreement,
    ("GET", "/api/v1/cases/<uuid:case_id>/sessions"):
        _agreement_read("/api/v1/cases/{case}/sessions"),
    ("GET", "/api/v1/cases/<uuid:case_id>/follow-ups"):
        _agreement_read("/api/v1/cases/{case}/follow-ups"),
})


@pytest.mark.parametrize("demo", DEMO_USERS, ids=[d.username for d in DEMO_USERS])
def test_agreement_print_page_is_read_like_its_case(app, db_session, other_county,
                                                     api_client_for, principal_of, demo):
    """The printable agreement is a page (not under /api/v1, so not in ROUTES): own unit
    readable, masked; sideways and up 404."""
    principal = principal_of(demo.username)
    client = api_client_for(demo.username)
    sibling, parent = NEIGHBOURS[demo.unit_code]
    targets = [(demo.unit_code, True), (sibling, False)] + ([(parent, False)] if parent else [])
    for code, visible in targets:
        ctx = Ctx(demo.username, demo.role, demo.unit_code, principal.unit_level, client, code,
                  None, principal.cell_ids)
        with app.app_context():
            case, agreement = _agreement_in(db_session, code)
            response = client.get(f"/cases/{case.id}/agreements/{agreement.id}/print")
        assert response.status_code == (200 if visible and _may_read_cases(ctx) else 404)
        if response.status_code == 200:
            page = response.get_data(as_text=True)
            assert "150521********1231" in page and "150521199001011231" not in page


def _changes_case(request):
    """A change to a case made here by the caller: 404 if they do not read it; else done
    (`ok`) for those who handle it (the centre staff of the unit holding it), 403 for the
    others who read it."""
    def check(ctx, db, visible):
        case = _case_in(db, ctx.target)
        method, url, ok, body = request(case)
        response = getattr(ctx.client, method)(url, **body)
        if not (visible and _may_read_cases(ctx)):
            assert response.status_code == 404
        else:
            assert response.status_code == (ok if _handles(ctx) else 403), response.json
    return check


def _party_url(case):
    return f"/api/v1/cases/{case.id}/parties/{case.parties[0].id}"


ROUTES.update({
    ("PATCH", "/api/v1/cases/<uuid:case_id>"): _changes_case(lambda case: (
        "patch", f"/api/v1/cases/{case.id}", 200,
        {"json": {"version": case.version, "title": "矩阵测试（已修改）"}})),
    ("POST", "/api/v1/cases/<uuid:case_id>/parties"): _changes_case(lambda case: (
        "post", f"/api/v1/cases/{case.id}/parties", 201,
        {"json": {"version": case.version, "name": "李四", "role": "respondent"}})),
    ("PATCH", "/api/v1/cases/<uuid:case_id>/parties/<int:party_id>"):
        _changes_case(lambda case: ("patch", _party_url(case), 200,
                                    {"json": {"version": case.version, "phone": "13904756789"}})),
    ("DELETE", "/api/v1/cases/<uuid:case_id>/parties/<int:party_id>"):
        _changes_case(lambda case: ("delete", _party_url(case), 204,
                                    {"query_string": {"version": case.version}})),
})


# --- time limits (sla/) ----------------------------------------------------------------------

def _handling_case(db, unit_code):
    """A case in the unit, accepted with a running clock (for extensions and 督办)."""
    from sqlalchemy import text

    case = _case_in(db, unit_code)
    db.execute(text("UPDATE cases SET state = 'accepted', due_started_at = now(), "
                    "due_soon_at = now() + interval '5 days', due_at = now() + interval "
                    "'7 days' WHERE id = :i"), {"i": case.id})
    db.expire_all()
    return case


def _extension_in(db, unit_code):
    from govgrid.sla.models import ExtensionRequest

    case = _handling_case(db, unit_code)
    ask = ExtensionRequest(county_id=case.county_id, case_id=case.id, requested_by=None,
                           requesting_unit_id=case.owner_unit_id,
                           approver_unit_id=case.owner_unit_id, days=3, reason="矩阵")
    ask.requested_by = db.execute(select(User.id).where(User.username == "admin")
                                  .execution_options(**unscoped())).scalar_one()
    db.add(ask)
    db.flush()
    return case, ask


def _order_in(db, unit_code):
    import datetime as dt

    from govgrid.sla.models import SupervisionOrder

    case = _handling_case(db, unit_code)
    order = SupervisionOrder(
        county_id=case.county_id, case_id=case.id, issuing_unit_id=case.owner_unit_id,
        target_unit_id=case.owner_unit_id, issued_at=dt.datetime.now(dt.UTC), reason="矩阵",
        reply_due_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=3))
    db.add(order)
    db.flush()
    return case, order


def _case_child(make, request, readable_statuses):
    """A request about a case (or its request/order) made in the target unit: 404 when the
    caller does not read the case; otherwise one of `readable_statuses` (the service then
    decides by role: 403 for those not entitled, 409 when the state forbids)."""
    def check(ctx, db, visible):
        case, child = make(db, ctx.target)
        method, url, body = request(case, child)
        response = getattr(ctx.client, method)(url, **body)
        if not (visible and _may_read_cases(ctx)):
            assert response.status_code == 404, response.json
        else:
            assert response.status_code in readable_statuses, response.json
    return check


def _listed(make, url, key):
    """A list of open items in my jurisdiction: the target's item is listed only when I read
    its case (and, for decisions, only for the deciding unit: `key`)."""
    def check(ctx, db, visible):
        _, child = make(db, ctx.target)
        response = ctx.client.get(url)
        assert response.status_code == 200
        listed = child.id in {item["id"] for item in response.json}
        if not (visible and _may_read_cases(ctx)):
            assert not listed
        elif key == "any":
            assert listed
    return check


def _policy_read(ctx, db, visible):
    response = ctx.client.get("/api/v1/deadline-policy")
    assert response.status_code == 200
    assert response.json["policy"]["resolve_days"]["general"] >= 1


def _policy_write(ctx, db, visible):
    from govgrid.auth.permissions import GRANTS, Permission

    version = ctx.client.get("/api/v1/deadline-policy").json["version"]
    response = ctx.client.put("/api/v1/deadline-policy", json={
        "version": version, "policy": {"follow_up_days": 14}})
    allowed = ctx.role in GRANTS[Permission.manage_deadline_policy]
    assert response.status_code == (200 if allowed else 403), response.json


def _calendar(method):
    def check(ctx, db, visible):
        from govgrid.auth.permissions import GRANTS, Permission

        allowed = ctx.role in GRANTS[Permission.manage_deadline_policy]
        if method == "get":
            assert ctx.client.get("/api/v1/calendar-days?year=2027").status_code == 200
        elif method == "put":
            response = ctx.client.put("/api/v1/calendar-days", json={"days": [
                {"day": "2027-02-20", "is_workday": True, "note": "调休"}]})
            assert response.status_code == (200 if allowed else 403), response.json
        else:
            response = ctx.client.delete("/api/v1/calendar-days/2027-02-20")
            assert response.status_code == (204 if allowed else 403)
    return check


ROUTES.update({
    ("GET", "/api/v1/deadline-policy"): _policy_read,
    ("PUT", "/api/v1/deadline-policy"): _policy_write,
    ("GET", "/api/v1/calendar-days"): _calendar("get"),
    ("PUT", "/api/v1/calendar-days"): _calendar("put"),
    ("DELETE", "/api/v1/calendar-days/<day>"): _calendar("delete"),
    ("GET", "/api/v1/cases/<uuid:case_id>/extension-requests"): _case_child(
        _extension_in, lambda case, ask: ("get", f"/api/v1/cases/{case.id}/extension-requests",
                                          {}), (200,)),
    ("POST", "/api/v1/cases/<uuid:case_id>/extension-requests"): _case_child(
        _extension_in, lambda case, ask: ("post", f"/api/v1/cases/{case.id}/extension-requests",
                                          {"json": {"days": 3, "reason": "矩阵"}}),
        (201, 403, 409)),
    ("GET", "/api/v1/extension-requests"): _listed(
        _extension_in, "/api/v1/extension-requests", "approver"),
    ("POST", "/api/v1/extension-requests/<int:request_id>/decision"): _case_child(
        _extension_in, lambda case, ask: (
            "post", f"/api/v1/extension-requests/{ask.id}/decision",
            {"json": {"version": ask.version, "approve": True}}), (200, 403, 409)),
    ("GET", "/api/v1/cases/<uuid:case_id>/supervision-orders"): _case_child(
        _order_in, lambda case, order: ("get", f"/api/v1/cases/{case.id}/supervision-orders",
                                        {}), (200,)),
    ("POST", "/api/v1/cases/<uuid:case_id>/supervision-orders"): _case_child(
        _order_in, lambda case, order: ("post", f"/api/v1/cases/{case.id}/supervision-orders",
                                        {"json": {"reason": "矩阵督办"}}), (201, 403)),
    ("GET", "/api/v1/supervision-orders"): _listed(
        _order_in, "/api/v1/supervision-orders", "any"),
    ("POST", "/api/v1/supervision-orders/<int:order_id>/reply"): _case_child(
        _order_in, lambda case, order: (
            "post", f"/api/v1/supervision-orders/{order.id}/reply",
            {"json": {"version": order.version, "reply": "已办理"}}), (200, 403)),
})


def _urgent_case_in(db, unit_code):
    """A 重大 urgent case located in the unit (reported by the system, so held by the county
    at once): its county clock met by the platform report, its upper clock still open."""
    from govgrid.auth.principal import SYSTEM, acting_as
    from govgrid.cases.reporting import ReportInput, report_case
    from govgrid.cases.vocabulary import Severity, Source

    with acting_as(SYSTEM):
        case, _ = report_case(SYSTEM, ReportInput(
            category_code="2302", title="矩阵紧急事件", source=Source.walk_in,
            unit_code=unit_code, severity=Severity.serious, is_urgent=True))
    return case


def _reports_urgent(ctx):
    """Of those who read the case, county staff and leaders and township dispatchers record
    reports to the county (sla/urgent_service.py: may_report)."""
    return ctx.role in (Role.county_staff, Role.county_leader, Role.township_dispatcher)


def _urgent_clocks(ctx, db, visible):
    case = _urgent_case_in(db, ctx.target)
    response = ctx.client.get(f"/api/v1/cases/{case.id}/urgent-clocks")
    readable = visible and _may_read_cases(ctx)
    assert response.status_code == (200 if readable else 404)
    if readable:
        assert {c["kind"] for c in response.json["clocks"]} == {"county", "upper"}


def _record_urgent_report(ctx, db, visible):
    case = _urgent_case_in(db, ctx.target)
    response = ctx.client.post(f"/api/v1/cases/{case.id}/urgent-reports",
                               json={"clock": "county", "channel": "phone"})
    if not (visible and _may_read_cases(ctx)):
        assert response.status_code == 404
    else:
        assert response.status_code == (201 if _reports_urgent(ctx) else 403), response.json


def _list_urgent_clocks(ctx, db, visible):
    case = _urgent_case_in(db, ctx.target)
    body = ctx.client.get("/api/v1/urgent-clocks?open=true&page_size=100").json
    assert (str(case.id) in {c["case_id"] for c in body}) == (visible and _may_read_cases(ctx))


ROUTES.update({
    ("GET", "/api/v1/cases/<uuid:case_id>/urgent-clocks"): _urgent_clocks,
    ("POST", "/api/v1/cases/<uuid:case_id>/urgent-reports"): _record_urgent_report,
    ("GET", "/api/v1/urgent-clocks"): _list_urgent_clocks,
})


def _categories(ctx, db, visible):
    """The category dictionary is the same for everyone in a county: anyone logged in reads
    it. A category the target's county added itself is listed only to that county's people
    (the sibling of county users is the second county; everyone else's targets are theirs)."""
    from govgrid.cases.models import Category

    county_id = db.execute(select(Unit.county_id).where(Unit.code == ctx.target)
                           .execution_options(**unscoped())).scalar_one()
    code = "9" + ctx.target[5:]  # 8 digits, distinct for every target unit
    db.execute(insert(Category).values(
        county_id=county_id, code=code, name="矩阵类别", name_en="Matrix", departments=[],
        weight=0.0, dedup_radius_m=300, is_active=True))
    response = ctx.client.get("/api/v1/categories")
    assert response.status_code == 200
    codes = {c["code"] for c in response.json}
    assert "0201" in codes
    assert (code in codes) == ctx.target.startswith(ctx.own[:6]), (ctx.target, code)


ROUTES.update({
    ("GET", "/api/v1/categories"): _categories,
})


def _stats(path, **extra):
    """Statistics of a unit: its own unit (and below) answer, a sibling or parent is not found
    (numbers of places outside the jurisdiction are never computed)."""

    def check(ctx, db, visible):
        query = {"unit": ctx.target, "from": "2026-01-01", "to": "2026-01-31", **extra}
        response = ctx.client.get(path, query_string=query)
        assert response.status_code == (200 if visible else 404), (path, response.json)

    return check


ROUTES.update({
    ("GET", "/api/v1/stats/indicators"): _stats("/api/v1/stats/indicators"),
    ("GET", "/api/v1/stats/ranking"): _stats("/api/v1/stats/ranking"),
    ("GET", "/api/v1/stats/ranking/export"): _stats("/api/v1/stats/ranking/export",
                                                    format="csv"),
    ("GET", "/api/v1/stats/trend"): _stats("/api/v1/stats/trend"),
    ("GET", "/api/v1/stats/categories"): _stats("/api/v1/stats/categories"),
    ("GET", "/api/v1/stats/grid-cells"): _stats("/api/v1/stats/grid-cells", zoom="12"),
})


def _case_points(ctx, db, visible):
    """The map's points of the list: exactly the cases the list shows."""
    case = _case_in(db, ctx.target)
    body = ctx.client.get("/api/v1/cases/points?q=矩阵测试").json
    ids = {f["id"] for f in body["features"]}
    assert (str(case.id) in ids) == (visible and _may_read_cases(ctx))
    assert body["total"] == len(ids)


ROUTES.update({
    ("GET", "/api/v1/cases/points"): _case_points,
})


def _analysis_run_in(db, unit_code, kind="hotspots"):
    """A finished analysis run of the county the unit lies in (inserted as the system)."""
    import datetime as dt

    from govgrid.analysis.models import AnalysisRun, RunKind

    county = db.execute(select(Unit.county_id).where(Unit.code == unit_code)
                        .execution_options(**unscoped())).scalar_one()
    path = db.execute(select(Unit.path).where(Unit.id == county)
                      .execution_options(**unscoped())).scalar_one()
    return db.execute(insert(AnalysisRun).values(
        county_id=county, path=path, kind=RunKind(kind), month=dt.date(2025, 6, 1),
        window_months=12, settings={}, status="done", progress=100, summary={},
        finished_at=dt.datetime(2025, 7, 1, tzinfo=dt.UTC)).returning(AnalysisRun.id)).scalar()


def _in_demo_county(ctx):
    return ctx.target.startswith("150521")


def _analysis_run(ctx, db, visible):
    """Runs are county-wide: everyone in the county reads them, nobody another county's."""
    run_id = _analysis_run_in(db, ctx.target)
    response = ctx.client.get(f"/api/v1/analysis/runs/{run_id}")
    assert response.status_code == (200 if _in_demo_county(ctx) else 404)
    listed = {r["id"] for r in ctx.client.get("/api/v1/analysis/runs").json}
    assert (run_id in listed) == _in_demo_county(ctx)


def _analysis_cells(ctx, db, visible):
    """The cells of a place: within the jurisdiction as the cells themselves."""
    _analysis_run_in(db, "150521000000")
    response = ctx.client.get(f"/api/v1/analysis/cells?month=2025-06&unit={ctx.target}")
    assert response.status_code == (200 if visible else 404), response.json


def _analysis_prediction(ctx, db, visible):
    _analysis_run_in(db, ctx.target, "backtest")
    response = ctx.client.get("/api/v1/analysis/prediction")
    assert response.status_code == 200  # at least the own county's run


def _analysis_ask(ctx, db, visible):
    """Only county centre staff and admins ask for runs (of their own county)."""
    response = ctx.client.post("/api/v1/analysis/runs",
                               json={"kind": "hotspots", "month": "2025-06"})
    allowed = ctx.role in (Role.county_staff, Role.admin)
    assert response.status_code == (202 if allowed else 403), response.json


def _risk_settings(method):
    def check(ctx, db, visible):
        current = ctx.client.get("/api/v1/analysis/risk-settings")
        assert current.status_code == 200
        if method == "get":
            return
        response = ctx.client.put("/api/v1/analysis/risk-settings", json={
            "version": current.json["version"], "weights": {"urgent": 6}})
        allowed = ctx.role in (Role.county_staff, Role.admin)
        assert response.status_code == (200 if allowed else 403), response.json
    return check


ROUTES.update({
    ("GET", "/api/v1/analysis/runs"): _analysis_run,
    ("POST", "/api/v1/analysis/runs"): _analysis_ask,
    ("GET", "/api/v1/analysis/runs/<int:run_id>"): _analysis_run,
    ("GET", "/api/v1/analysis/cells"): _analysis_cells,
    ("GET", "/api/v1/analysis/prediction"): _analysis_prediction,
    ("GET", "/api/v1/analysis/risk-settings"): _risk_settings("get"),
    ("PUT", "/api/v1/analysis/risk-settings"): _risk_settings("put"),
})


from tests.integration.reports.access_entries import REPORT_ROUTES  # noqa: E402

ROUTES.update(REPORT_ROUTES)

from tests.integration.assessment.access_entries import ASSESSMENT_ROUTES  # noqa: E402

ROUTES.update(ASSESSMENT_ROUTES)

from tests.integration.assessment.scorecard_access import SCORECARD_ROUTES  # noqa: E402

ROUTES.update(SCORECARD_ROUTES)

from tests.integration.assessment.evidence_access import EVIDENCE_ROUTES  # noqa: E402

ROUTES.update(EVIDENCE_ROUTES)


def api_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, rule.rule


def test_every_api_route_has_a_jurisdiction_entry(app):
    missing = sorted(set(api_routes(app)) - set(ROUTES))
    assert missing == [], f"add these routes to ROUTES with their jurisdiction check: {missing}"
    stale = sorted(set(ROUTES) - set(api_routes(app)))
    assert stale == [], f"routes no longer exist: {stale}"


def _user_in(db_session, unit_code, username):
    unit = db_session.execute(select(Unit).where(Unit.code == unit_code)
                              .execution_options(**unscoped())).scalar_one()
    return db_session.execute(insert(User).values(
        county_id=unit.county_id, unit_id=unit.id, username=username, display_name="测试",
        role=Role.mediator, password_hash="x", is_active=True).returning(User.id)).scalar()


@pytest.mark.parametrize("demo", DEMO_USERS, ids=[d.username for d in DEMO_USERS])
@pytest.mark.parametrize("route", sorted(ROUTES), ids=[f"{m} {r}" for m, r in sorted(ROUTES)])
def test_access_matrix(app, db_session, other_county, api_client_for, principal_of, demo, route):
    principal = principal_of(demo.username)
    client = api_client_for(demo.username)
    sibling, parent = NEIGHBOURS[demo.unit_code]
    targets = [(demo.unit_code, True), (sibling, False)] + ([(parent, False)] if parent else [])
    for code, visible in targets:
        user_id = _user_in(db_session, code, f"matrix.{code}")
        ctx = Ctx(demo.username, demo.role, demo.unit_code, principal.unit_level, client, code,
                  user_id, principal.cell_ids)
        with app.app_context():
            ROUTES[route](ctx, db_session, visible)


def test_nobody_revokes_another_users_token(app, db_session, api_client_for):
    owner = api_client_for("baonan.staff")
    token_id = owner.get("/api/v1/tokens").json[0]["id"]
    for other in ("admin", "county.staff", "baokang.dispatcher"):
        assert api_client_for(other).delete(f"/api/v1/tokens/{token_id}").status_code == 404
    assert owner.delete(f"/api/v1/tokens/{token_id}").status_code == 204
