"""The OpenAPI document is complete: every operation has a summary, every JSON request body
has an example, and every example loads through the schema its endpoint really parses with.

The examples are read from the generated document (what Swagger UI shows and clients copy);
the schema is read from the view: flask-smorest keeps what `@bp.arguments` was given on the
view method as `_apidoc["arguments"]["parameters"]` (each with `in`, `schema` and any
`content_type`). Spec paths (`/api/v1/cases/{case_id}`) are matched to Flask rules
(`/api/v1/cases/<uuid:case_id>`) through the app's URL map. The example is then parsed by the
blueprint's own webargs parser inside a request carrying it as JSON, as a client's would be.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.views import MethodView
from flask_babel import Babel
from flask_smorest import Api, Blueprint
from marshmallow import Schema, fields, validate
from werkzeug.exceptions import HTTPException

JSON = "application/json"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


# --- the checks (plain functions, so the self-test below can run them on a toy API) ---------

def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def spec_path(rule: str) -> str:
    """/api/v1/cases/<uuid:case_id> -> /api/v1/cases/{case_id}"""
    return re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", r"{\1}", rule)


def body_examples(operation: dict[str, Any]) -> dict[str, Any]:
    """name -> example value of the JSON request body ("example" for the single one)."""
    content = operation.get("requestBody", {}).get("content", {}).get(JSON, {})
    if "example" in content:
        return {"example": content["example"]}
    return {name: example.get("value") for name, example in content.get("examples", {}).items()}


def arguments_of(app: Flask, path: str, method: str, location: str) -> list[dict[str, Any]]:
    """The `@bp.arguments` records (schema, location, …) of the view behind (path, method)
    that read `location`."""
    rules = [r for r in app.url_map.iter_rules() if spec_path(r.rule) == path
             and method.upper() in (r.methods or ())]
    assert len(rules) == 1, f"{method.upper()} {path}: {len(rules)} Flask rules match"
    view = app.view_functions[rules[0].endpoint]
    function = getattr(view.view_class, method) if hasattr(view, "view_class") else view
    parameters = getattr(function, "_apidoc", {}).get("arguments", {}).get("parameters", [])
    return [p for p in parameters if p["in"] == location]


def json_body_argument(app: Flask, path: str, method: str) -> dict[str, Any] | None:
    """The `@bp.arguments` record of the view behind (path, method) whose body is JSON."""
    locations = Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING
    found = [p for location in locations for p in arguments_of(app, path, method, location)
             if (p.get("content_type") or locations[location]) == JSON]
    assert len(found) <= 1, f"{method.upper()} {path}: more than one JSON body"
    return found[0] if found else None


def load_errors(app: Flask, argument: dict[str, Any], example: Any, **request: Any) -> Any:
    """The validation errors of parsing `example` as the endpoint would (None if it loads)."""
    schema = argument["schema"]
    if isinstance(schema, type):
        schema = schema()
    elif isinstance(schema, dict):
        schema = Schema.from_dict(schema)()
    if argument["in"] == "json":
        request["json"] = example
    with app.test_request_context(method="POST", **request):
        try:
            Blueprint.ARGUMENTS_PARSER.parse(schema, location=argument["in"])
        except HTTPException as error:  # webargs aborts with the field errors
            messages = (getattr(error, "data", None) or {}).get("messages", error)
            if isinstance(messages, dict):  # {"json": {field: [...]}}: per location
                messages = messages.get(argument["in"], messages)
            return _plain(messages)
    return None


def _plain(messages: Any) -> Any:
    if isinstance(messages, dict):
        return {key: _plain(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [_plain(m) for m in messages]
    return str(messages)


def missing_summaries(spec: dict[str, Any]) -> list[str]:
    return [f"{m.upper()} {p}" for p, m, op in operations(spec)
            if not (op.get("summary") or "").strip()]


def missing_examples(spec: dict[str, Any]) -> list[str]:
    return [f"{m.upper()} {p}" for p, m, op in operations(spec)
            if JSON in op.get("requestBody", {}).get("content", {}) and not body_examples(op)]


def bad_examples(app: Flask, spec: dict[str, Any]) -> tuple[list[str], int]:
    """Examples that do not load (with their errors), and how many examples were checked."""
    problems, checked = [], 0
    for path, method, operation in operations(spec):
        examples = body_examples(operation)
        if not examples:
            continue
        argument = json_body_argument(app, path, method)
        if argument is None:
            problems.append(f"{method.upper()} {path}: JSON body documented, but the view "
                            "has no JSON @bp.arguments schema")
            continue
        for name, value in examples.items():
            checked += 1
            errors = load_errors(app, argument, value)
            if errors is not None:
                problems.append(f"{method.upper()} {path} [{name}]: {errors}")
    return problems, checked


def _query_examples(operation: dict[str, Any]) -> dict[str, Any]:
    """name -> example of the query parameters that have one (OAS 3: in their schema)."""
    return {p["name"]: p["schema"]["example"] for p in operation.get("parameters", [])
            if p["in"] == "query" and "example" in p.get("schema", {})}


def bad_query_examples(app: Flask, spec: dict[str, Any]) -> tuple[list[str], int]:
    """Query parameter examples their field refuses, and how many operations were checked.
    All of an operation's examples go in one query string; errors of parameters without an
    example (a required one left out) are not counted."""
    problems, checked = [], 0
    for path, method, operation in operations(spec):
        examples = _query_examples(operation)
        if not examples:
            continue
        query = {k: str(v).lower() if isinstance(v, bool) else str(v)
                 for k, v in examples.items()}
        for argument in arguments_of(app, path, method, "query"):
            checked += 1
            errors = load_errors(app, argument, None, query_string=query) or {}
            wrong = {k: v for k, v in errors.items() if k in examples}
            if wrong:
                problems.append(f"{method.upper()} {path}: {wrong}")
    return problems, checked


# --- the real API ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def spec(app) -> dict[str, Any]:
    response = app.test_client().get("/api/openapi.json")  # public, no login needed
    assert response.status_code == 200
    return response.json


def test_every_operation_has_a_summary(spec):
    assert missing_summaries(spec) == []


def test_every_json_request_body_has_an_example(spec):
    missing = missing_examples(spec)
    assert missing == [], "add example=… or examples={…} to @bp.arguments of:\n" + "\n".join(
        missing)


def test_every_example_loads_through_the_endpoints_schema(app, spec):
    problems, checked = bad_examples(app, spec)
    assert problems == [], "\n".join(problems)
    assert checked >= 10  # the walk found the examples (not vacuously true)


def test_other_request_bodies_are_described(spec):
    """A body that is not JSON (the multipart upload) cannot carry a useful example; it says
    in words what it accepts."""
    undescribed = [f"{m.upper()} {p}" for p, m, op in operations(spec)
                   if "requestBody" in op and JSON not in op["requestBody"]["content"]
                   and not op["requestBody"].get("description")]
    assert undescribed == []


def test_the_upload_is_described(spec):
    body = spec["paths"]["/api/v1/cases/{case_id}/attachments"]["post"]["requestBody"]
    assert "multipart/form-data" in body["content"]
    assert "JPEG" in body["description"] and "MP3" in body["description"]


def test_the_schema_is_found_on_the_view(app):
    from govgrid.cases.dispatch_api import ProfileIn

    argument = json_body_argument(app, "/api/v1/mediators/{user_id}", "put")
    assert argument is not None
    schema = argument["schema"]
    assert isinstance(schema, ProfileIn) or schema is ProfileIn
    assert json_body_argument(app, "/api/v1/mediators", "get") is None  # query only


def test_key_query_parameters_have_examples(spec):
    def examples(path: str) -> dict[str, Any]:
        return _query_examples(spec["paths"][path]["get"])

    assert {"lon", "lat"} <= set(examples("/api/v1/locate"))
    assert {"level", "bbox", "parent"} <= set(examples("/api/v1/units"))
    assert {"bbox", "village"} <= set(examples("/api/v1/grid-cells"))
    assert {"specialty", "unit"} <= set(examples("/api/v1/mediators"))


def test_query_parameter_examples_are_valid(app, spec):
    problems, checked = bad_query_examples(app, spec)
    assert problems == [], "\n".join(problems)
    assert checked >= 5


# --- the checks themselves catch what they should --------------------------------------------

class _Body(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 10))


class _Query(Schema):
    code = fields.String(validate=validate.Regexp(r"^[0-9]{12}$"),
                         metadata={"example": "保南村"})
    limit = fields.Integer(required=True)  # no example: its absence is not reported


def _toy_app() -> tuple[Flask, Api]:
    toy = Flask("toy")
    toy.config.update(API_TITLE="toy", API_VERSION="1", OPENAPI_VERSION="3.0.3")
    Babel(toy)  # marshmallow's messages are lazy translations here (validation_messages)
    api = Api(toy)
    bp = Blueprint("toy", "toy")

    @bp.route("/good/<int:thing_id>")
    class Good(MethodView):
        @bp.arguments(_Body, example={"name": "保南村"})
        @bp.response(204)
        def put(self, args: dict[str, Any], thing_id: int) -> None:
            """Fine"""

    @bp.route("/no-example")
    class NoExample(MethodView):
        @bp.arguments(_Body)
        @bp.response(204)
        def post(self, args: dict[str, Any]) -> None:
            pass  # no summary either

    @bp.route("/bad-example")
    class BadExample(MethodView):
        @bp.arguments(_Body, examples={"long": {"value": {"name": "x" * 11}},
                                       "extra": {"value": {"name": "a", "age": 3}}})
        @bp.response(204)
        def post(self, args: dict[str, Any]) -> None:
            """Examples that do not load"""

    @bp.route("/search")
    class Search(MethodView):
        @bp.arguments(_Query, location="query")
        @bp.response(204)
        def get(self, args: dict[str, Any]) -> None:
            """A query parameter whose example its field refuses"""

    api.register_blueprint(bp, url_prefix="/api/v1")
    return toy, api


def test_the_checks_catch_missing_and_bad_examples():
    toy, api = _toy_app()
    toy_spec = api.spec.to_dict()
    assert missing_summaries(toy_spec) == ["POST /api/v1/no-example"]
    assert missing_examples(toy_spec) == ["POST /api/v1/no-example"]
    problems, checked = bad_examples(toy, toy_spec)
    assert checked == 3
    assert len(problems) == 2
    assert any("[long]" in p and "name" in p for p in problems)
    assert any("[extra]" in p and "age" in p for p in problems)
    problems, checked = bad_query_examples(toy, toy_spec)
    assert checked == 1
    assert len(problems) == 1 and "GET /api/v1/search: {'code'" in problems[0]
