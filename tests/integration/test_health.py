"""/healthz against real services, and against unreachable ones."""

import pytest

from govgrid import create_app


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["database"]["version"].startswith("15")
    assert body["postgis"]["ok"] and body["postgis"]["version"].startswith("3.")
    assert body["redis"]["ok"]


@pytest.mark.parametrize(
    "override,down",
    [
        # Nothing listens on port 1: a real refused connection, not a mock.
        ({"REDIS_URL": "redis://127.0.0.1:1/0"}, "redis"),
        ({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg2://postgres@127.0.0.1:1/x"}, "database"),
    ],
)
def test_unhealthy_is_503(app, override, down):
    # The limiter is one object shared by every app; keep it on the test Redis.
    broken = create_app({"TESTING": True, **override,
                         "RATELIMIT_STORAGE_URI": app.config["RATELIMIT_STORAGE_URI"]})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json[down]["ok"] is False
    assert response.json[down]["error"]
