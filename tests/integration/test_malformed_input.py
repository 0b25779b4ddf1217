"""Bad input never causes a 500: every JSON write of the API, fed its own OpenAPI example
with one field at a time broken (null, empty, huge, negative, out of range, wrong type,
missing) and bodies that are not objects at all, answers 2xx or a 4xx with a message.

The examples come from the generated document (so a new endpoint is covered as soon as it
has one, which test_openapi_examples.py demands); path parameters are filled with real
objects the acting user may reach, so broken fields that pass the schema travel all the way
into the services, where 500s hide.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from govgrid.auth.models import User
from govgrid.auth.scope import unscoped
from tests.integration.assessment.helpers import fuzz_ids
from tests.support.cases import ok, report, village_point

JSON = "application/json"
WRITES = ("post", "put", "patch")
# Logging in with broken credentials counts failures towards the lockout, and changing one's
# own password ends one's sessions: both are covered by their own tests.
SKIP = {("post", "/api/v1/session"), ("put", "/api/v1/me/password")}

BROKEN_VALUES = (None, "", "x" * 10_000, -1, 0, 2**63, 1e308, 1.5, [], {}, True, "２０２６",
                 "\u202e\x00")
BROKEN_BODIES = ("not json", "[]", "null", "{}", '{"a": ' * 200 + "1" + "}" * 200, "\"text\"")

AGREEMENT = {"facts": "双方因院墙界址发生争执。", "terms": "李四拆除越界院墙。",
             "performance": "2026年12月31日前履行完毕。", "amount": "300.00"}


def spec_examples(spec: dict[str, Any]) -> list[tuple[str, str, list[dict[str, Any]]]]:
    found = []
    for path, item in spec["paths"].items():
        for method in WRITES:
            content = item.get(method, {}).get("requestBody", {}).get("content", {}).get(JSON)
            if content is None or (method, path) in SKIP:
                continue
            values = ([content["example"]] if "example" in content else
                      [e["value"] for e in content.get("examples", {}).values()])
            found.append((method, path, values))
    return found


@pytest.fixture(scope="module")
def operations(app):
    return spec_examples(app.test_client().get("/api/openapi.json").json)


def actor_for(path: str) -> str:
    """A user who may really do what the path does, so the request reaches the service."""
    if path.startswith("/api/v1/users") or path.startswith("/api/v1/tokens"):
        return "admin"
    if path.startswith("/api/v1/mediators") or "/decision" in path \
            or path.endswith("/supervision-orders"):
        return "baokang.dispatcher"  # the level above the village: decides and supervises
    if path.startswith(("/api/v1/deadline-policy", "/api/v1/calendar-days",
                        "/api/v1/assessment")):
        return "county.staff"
    return "baonan.staff"  # the village that holds the case below


@pytest.fixture
def world(api_client_for, db_session, demo_county):
    """A 保南村 case under mediation with a party and an agreement, and ids to fill paths."""
    staff, grid = api_client_for("baonan.staff"), api_client_for("baonan.grid")
    case = report(grid, village_point(demo_county), parties=[
        {"name": "张三", "id_number": "150521199001011231", "phone": "13812345678"}])
    staff_id = staff.get("/api/v1/session").json["id"]
    case = ok(staff, case, "accept")
    case = ok(staff, case, "assign", mediator_id=staff_id)
    agreement = staff.post(f"/api/v1/cases/{case['id']}/agreements", json=AGREEMENT)
    assert agreement.status_code == 201, agreement.json

    def user_id(username: str) -> int:
        return db_session.execute(select(User.id).where(User.username == username)
                                  .execution_options(**unscoped())).scalar_one()

    asked = staff.post(f"/api/v1/cases/{case['id']}/extension-requests",
                       json={"days": 3, "reason": "等待鉴定结果"})
    assert asked.status_code == 201, asked.json
    order = api_client_for("baokang.dispatcher").post(
        f"/api/v1/cases/{case['id']}/supervision-orders", json={"reason": "请加快办理"})
    assert order.status_code == 201, order.json

    return {"case_id": case["id"], "party_id": case["parties"][0]["id"],
            "request_id": asked.json["id"], "order_id": order.json["id"], "day": "2027-02-20",
            "agreement_id": agreement.json["id"], "attachment_id": 1, "notification_id": 1,
            "code": "150521100201", "run_id": 1, "report_id": 1, "sha256": "0" * 64,
            "user_id_users": user_id("baonan.grid"), "user_id_mediators":
            user_id("baokang.mediator"), **fuzz_ids(api_client_for)}


def fill(path: str, world: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "user_id":
            name += "_mediators" if "/mediators/" in path else "_users"
        return str(world[name])
    return re.sub(r"\{([^}]+)\}", value, path)


def variants(example: dict[str, Any]) -> list[Any]:
    bodies: list[Any] = []
    for key in example:
        bodies.append({k: v for k, v in example.items() if k != key})
        bodies.extend({**example, key: broken} for broken in BROKEN_VALUES)
    return bodies


def assert_handled(response: Any, what: str) -> None:
    assert response.status_code < 500, (what, response.status_code, response.get_data()[:300])
    if response.status_code >= 400:
        body = response.json
        assert isinstance(body, dict) and body.get("message"), (what, body)


def test_every_json_write_is_covered(operations):
    paths = {path for _, path, _ in operations}
    # The checks below would pass vacuously if the walk found nothing.
    assert "/api/v1/cases/{case_id}/transitions" in paths and len(operations) >= 10


def test_broken_fields_never_cause_a_500(operations, world, api_client_for):
    clients: dict[str, Any] = {}
    for method, path, examples in operations:
        actor = actor_for(path)
        client = clients.setdefault(actor, api_client_for(actor))
        url = fill(path, world)
        for example in examples:
            for body in variants(example):
                response = getattr(client, method)(url, json=body)
                assert_handled(response, f"{method.upper()} {path} {str(body)[:120]}")


def test_bodies_that_are_not_objects_never_cause_a_500(operations, world, api_client_for):
    clients: dict[str, Any] = {}
    for method, path, _ in operations:
        actor = actor_for(path)
        client = clients.setdefault(actor, api_client_for(actor))
        for raw in BROKEN_BODIES:
            response = getattr(client, method)(fill(path, world), data=raw,
                                               content_type=JSON)
            assert_handled(response, f"{method.upper()} {path} {raw[:40]!r}")


BROKEN_QUERY_VALUES = ("", "x" * 5000, "-1", "0", "9" * 30, "1e308", "NaN", "inf", "[]",
                       "２０２６", "2026-13-45", "1,2,3", "'; DROP TABLE cases; --")


def test_broken_query_parameters_never_cause_a_500(app, world, api_client_for):
    spec = app.test_client().get("/api/openapi.json").json
    client = api_client_for("baokang.dispatcher")
    checked = 0
    for path, item in spec["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        url = fill(path, world)
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            for value in BROKEN_QUERY_VALUES:
                response = client.get(url, query_string={parameter["name"]: value})
                assert_handled(response, f"GET {path}?{parameter['name']}={value[:40]}")
                checked += 1
    assert checked > 200  # the walk really found the query parameters


@pytest.mark.parametrize("request_args", [
    {"path": "/api/v1/cases", "query_string": {"q": "院墙\x00"}},
    {"path": "/api/v1/units/150521\x00"},
    {"path": "/api/v1/cases", "method": "POST", "json": {"title": "\x00"}},
])
def test_nul_characters_are_refused_in_chinese(api_client_for, request_args):
    client = api_client_for("baokang.dispatcher")
    response = client.open(**request_args)
    assert response.status_code == 400
    assert "空字符" in response.json["message"]


def test_nul_in_a_login_form_is_refused(anon_client):
    response = anon_client.post("/login", data={"username": "admin\x00", "password": "x"})
    assert response.status_code == 400
