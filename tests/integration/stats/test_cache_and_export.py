"""Dashboard answers are reused briefly, per jurisdiction; the ranking exports to xlsx and
CSV with Chinese headers and each rate's numerator and denominator."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from govgrid.cases.workflow import CaseState, Outcome
from govgrid.timestamps import frozen_at
from tests.support.stats import BAONAN, CaseFactory, local

MARCH = "from=2031-03-01&to=2031-03-31"
NOW = local(2031, 4, 10, 12)
BAOKANG = "150521100000"


@pytest.fixture
def cache_on(app, test_redis):
    app.config["STATS_CACHE_SECONDS"] = 60
    yield test_redis
    app.config["STATS_CACHE_SECONDS"] = 0


def _reported(client, unit=BAONAN):
    response = client.get(f"/api/v1/stats/indicators?unit={unit}&{MARCH}")
    assert response.status_code == 200, response.json
    return response.json["counts"]["reported"], response.json["as_of"]


def test_an_answer_is_reused_for_the_same_jurisdiction_only(
        cache_on, client, api_client_for, db_session):
    factory = CaseFactory(db_session)
    factory.make(CaseState.reported, local(2031, 3, 3))
    db_session.commit()
    with frozen_at(NOW):
        first = _reported(client)
        factory.make(CaseState.reported, local(2031, 3, 4))
        db_session.commit()
        again = _reported(client)  # within the minute: the same answer, as of the same time
        # A township dispatcher has other scope settings: computed afresh, sees both.
        township = _reported(api_client_for("baokang.dispatcher"))
    assert first == again == (1, NOW.astimezone(dt.UTC).isoformat())
    assert township[0] == 2
    assert any(key.startswith(b"govgrid:stats:") for key in cache_on.scan_iter())


def test_without_redis_the_answer_is_computed(app, client, db_session, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    from govgrid.extensions import redis_client

    def down(*args, **kwargs):
        raise RedisConnectionError("redis is down")

    app.config["STATS_CACHE_SECONDS"] = 60
    try:
        with app.app_context():
            connection = redis_client.connection
        monkeypatch.setattr(connection, "get", down)
        monkeypatch.setattr(connection, "set", down)
        CaseFactory(db_session).make(CaseState.reported, local(2031, 3, 3))
        db_session.commit()
        with frozen_at(NOW):
            assert _reported(client)[0] == 1
    finally:
        app.config["STATS_CACHE_SECONDS"] = 0


@pytest.fixture
def march(db_session):
    factory = CaseFactory(db_session)
    factory.make(CaseState.closed, local(2031, 3, 2), outcome=Outcome.written_agreement,
                 resolved_late=False)
    factory.make(CaseState.mediating, local(2031, 3, 3))
    db_session.commit()


def test_ranking_as_csv_has_chinese_headers_and_the_figures(client, march):
    with frozen_at(NOW):
        response = client.get(f"/api/v1/stats/ranking/export?unit={BAOKANG}&{MARCH}&format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with the BOM
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = rows[0]
    assert header[:3] == ["排名", "代码", "名称"]
    assert any("化解率" in h for h in header)
    rate = header.index(next(h for h in header if "化解率" in h))
    baonan = next(r for r in rows[1:] if r[1] == BAONAN)
    assert baonan[0] == "1"
    assert baonan[rate + 1:rate + 3] == ["1", "2"]  # numerator, denominator
    assert baonan[rate].startswith("50")


def test_ranking_as_xlsx_holds_the_rows(client, march):
    openpyxl = pytest.importorskip("openpyxl")
    with frozen_at(NOW):
        response = client.get(
            f"/api/v1/stats/ranking/export?unit={BAOKANG}&{MARCH}&format=xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    values = [[c for c in row] for row in workbook.worksheets[0].iter_rows(values_only=True)]
    codes = [row[1] for row in values]
    assert BAONAN in codes
    assert any(row[:3] == ["排名", "代码", "名称"] for row in values)


def test_an_unknown_export_format_is_refused(client):
    response = client.get(f"/api/v1/stats/ranking/export?unit={BAOKANG}&format=pdf")
    assert response.status_code == 400
    assert response.json["errors"]["query"]["format"]
