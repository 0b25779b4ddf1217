"""Errors as JSON under /api and pages elsewhere; the OpenAPI document."""


def test_api_404_is_json_in_chinese(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.is_json
    assert response.json == {"code": 404, "message": "页面或对象不存在。"}


def test_page_404_is_html_in_chinese(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "页面或对象不存在" in response.get_data(as_text=True)


def test_page_404_in_english(client):
    response = client.get("/no-such-page?lang=en")
    assert "not found" in response.get_data(as_text=True)


def test_wrong_method_is_405_json(client):
    response = client.post("/api/v1/locate")
    assert response.status_code == 405
    assert response.is_json


def test_openapi_documents_every_geo_endpoint(client):
    spec = client.get("/api/openapi.json").json
    assert spec["info"]["title"] == "GovGrid API"
    paths = spec["paths"]
    for path in ["/api/v1/locate", "/api/v1/units/tree", "/api/v1/units",
                 "/api/v1/units/{code}", "/api/v1/grid-cells"]:
        assert path in paths, path
        assert paths[path]["get"]["summary"], path
    locate = paths["/api/v1/locate"]["get"]
    assert {"200", "400", "422"} <= set(locate["responses"])


def test_swagger_ui_page(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert "/static/vendor/swagger-ui/" in response.get_data(as_text=True)


def test_every_api_route_is_in_the_openapi_document(app, client):
    spec = client.get("/api/openapi.json").json
    documented = set(spec["paths"])
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = rule.rule.replace("<", "{").replace(">", "}")
        path = path.replace("{int:", "{").replace("{uuid:", "{")
        assert path in documented, f"{rule.rule} is not documented"
