"""The dashboard page (/dashboard): who may open it, the place and period it is about (in the
query string), the breadcrumb within the reader's jurisdiction, and 4xx with the reason for
a bad unit or period. The numbers themselves come from the statistics API (tested there)
and are drawn in the browser (tests/e2e/test_dashboard.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape

import pytest

from govgrid.timestamps import frozen_at
from tests.support.stats import local

COUNTY = "150521000000"
BAOKANG = "150521100000"  # 保康镇
BAONAN = "150521100201"  # 保南村, in 保康镇
MENDA = "150521104000"
NOW = local(2026, 12, 2, 10)
CONFIG = re.compile(r'<script type="application/json" id="dashboard-config">(.*?)</script>',
                    re.S)


def config_of(html: str) -> dict:
    found = CONFIG.search(html)
    assert found, html[:2000]
    return json.loads(unescape(found.group(1)))


def get(client, query: str = ""):
    with frozen_at(NOW):
        return client.get(f"/dashboard{query}")


def test_county_staff_see_the_county_this_month(api_client_for):
    response = get(api_client_for("county.staff"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    config = config_of(html)
    assert config["place"]["code"] == COUNTY and config["place"]["level"] == "county"
    assert config["period"]["first"] == "2026-12-01" and config["period"]["last"] == "2026-12-02"
    # Midnight in Shanghai is 16:00 UTC the day before; the end is excluded.
    assert dt.datetime.fromisoformat(config["period"]["start"]) == local(2026, 12, 1, 0)
    assert dt.datetime.fromisoformat(config["period"]["end"]) == local(2026, 12, 3, 0)
    assert config["trend"] == {"first": "2026-01-01", "last": "2026-12-02"}
    assert config["query"] == {"unit": COUNTY, "period": "month"}
    assert config["urls"]["indicators"] == "/api/v1/stats/indicators"
    assert config["urls"]["console"] == "/console"
    assert "科尔沁左翼中旗" in html
    # The ranking's exports carry the same place and days.
    assert (f'/api/v1/stats/ranking/export?format=xlsx&amp;unit={COUNTY}&amp;from=2026-12-01'
            f'&amp;to=2026-12-02') in html
    assert 'href="/dashboard"' in html  # the header's link


def test_the_view_is_in_the_query_string(api_client_for):
    client = api_client_for("county.leader")
    html = get(client, f"?unit={BAONAN}&period=last_month").get_data(as_text=True)
    config = config_of(html)
    assert config["place"]["level"] == "village"
    assert (config["period"]["first"], config["period"]["last"]) == ("2026-11-01", "2026-11-30")
    trail = re.findall(r'<li>\s*<a href="([^"]+)">([^<]+)</a>', html)
    assert [name for _, name in trail] == ["科尔沁左翼中旗", "保康镇"]
    assert trail[1][0] == f"/dashboard?unit={BAOKANG}&amp;period=last_month"
    assert '<span aria-current="page">保南村</span>' in html
    custom = config_of(get(client, f"?unit={BAOKANG}&period=custom&from=2026-03-05"
                                   "&to=2026-04-20").get_data(as_text=True))
    assert custom["query"] == {"unit": BAOKANG, "period": "custom", "from": "2026-03-05",
                               "to": "2026-04-20"}


def test_a_grid_cell_has_its_own_view(api_client_for, db_session):
    from sqlalchemy import select

    from govgrid.auth.scope import unscoped
    from govgrid.geo.models import GridCell, Unit

    cell = db_session.execute(
        select(GridCell.code).join(Unit, Unit.id == GridCell.village_id)
        .where(Unit.code == BAONAN).order_by(GridCell.code).limit(1)
        .execution_options(**unscoped())).scalar_one()
    html = get(api_client_for("county.staff"), f"?unit={cell}").get_data(as_text=True)
    config = config_of(html)
    assert config["place"]["level"] == "cell" and config["place"]["parent_code"] == BAONAN
    assert [n for _, n in re.findall(r'<li>\s*<a href="([^"]+)">([^<]+)</a>', html)] \
        == ["科尔沁左翼中旗", "保康镇", "保南村"]


def test_township_centres_see_their_own_township_only(api_client_for):
    client = api_client_for("baokang.dispatcher")
    html = get(client).get_data(as_text=True)
    assert config_of(html)["place"]["code"] == BAOKANG
    # The trail starts at the township: the county is above its jurisdiction.
    assert "科尔沁左翼中旗" not in re.search(r'<nav class="crumbs.*?</nav>', html, re.S).group(0)
    assert get(client, f"?unit={BAONAN}").status_code == 200
    assert get(client, f"?unit={COUNTY}").status_code == 404
    assert get(client, f"?unit={MENDA}").status_code == 404


@pytest.mark.parametrize("username", ["baonan.grid", "baonan.staff", "baokang.mediator"])
def test_others_are_refused(api_client_for, username):
    response = get(api_client_for(username))
    assert response.status_code == 403
    assert 'href="/dashboard"' not in response.get_data(as_text=True)


def test_anonymous_is_sent_to_log_in(anon_client):
    response = get(anon_client, "?period=year")
    assert response.status_code == 302
    assert "/login?next=" in response.location and "dashboard" in response.location


@pytest.mark.parametrize(("query", "field"), [
    ("?unit=12345", "unit"),
    ("?period=decade", "period"),
    ("?period=custom&from=2026-02-01&to=2026-01-01", "to"),
    ("?period=custom&from=2026-02-30&to=2026-03-01", "from"),
    ("?period=custom&from=2026-02-01", "to"),
    ("?period=custom&from=0001-01-01&to=0001-01-02", "from"),  # would overflow as instants
    ("?period=custom&from=2026-01-01&to=9999-12-31", "to"),
])
def test_bad_choices_are_400_with_the_reason_and_no_numbers(api_client_for, query, field):
    response = get(api_client_for("county.staff"), query)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="dashboard-config"' not in html
    if field == "unit":
        assert '<p class="form-error" role="alert">' in html
    else:
        # The field in question is marked and says why.
        marked = re.search(rf'<label class="invalid">[^<]*<(?:select|input)[^>]*name="{field}"'
                           r'.*?<span class="field-error">([^<]+)</span>', html, re.S)
        assert marked and marked.group(1).strip(), html[:3000]
