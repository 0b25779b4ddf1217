"""Each indicator's numerator and denominator on crafted cases, through the API; the case list
behind every number holds exactly as many cases; jurisdiction applies to the numbers.

The crafted month is March 2031 (Asia/Shanghai), with "now" on 10 April 2031: nothing else in
the test database was reported then. Snapshot counts (overdue now, urgent open) are about
every case, so they are compared as differences from before the cases were made.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from govgrid.cases.workflow import CaseState, Level, Outcome
from govgrid.stats.indicators import Count
from govgrid.timestamps import frozen_at
from tests.support.stats import BAONAN, CaseFactory, local

BAOKANG = "150521100000"
COUNTY = "150521000000"
MARCH = "from=2031-03-01&to=2031-03-31"
NOW = local(2031, 4, 10, 12)


@pytest.fixture
def crafted(db_session):
    return craft(db_session)


def craft(session):
    f = CaseFactory(session)
    s = CaseState
    made = {
        # closed with a written agreement at the village, in time
        "A": f.make(s.closed, local(2031, 3, 2), outcome=Outcome.written_agreement,
                    resolved_late=False),
        # resolved (waiting for the visit) with an oral agreement at the township, late
        "B": f.make(s.resolved, local(2031, 3, 5), owner_level=Level.township,
                    outcome=Outcome.oral_agreement, resolved_late=True,
                    due_at=local(2031, 4, 20)),
        # archived after mediation was terminated at the county: finished, not resolved
        "C": f.make(s.archived, local(2031, 3, 6), owner_level=Level.county,
                    outcome=Outcome.terminated, resolved_late=False),
        # mediating past its time limit, reopened once before
        "D": f.make(s.mediating, local(2031, 3, 7), due_at=local(2031, 4, 1),
                    rebound_count=1),
        # reported, not yet accepted, urgent, within its time limit
        "E": f.make(s.reported, local(2031, 3, 8), due_at=local(2031, 4, 20), is_urgent=True),
        # refused
        "F": f.make(s.rejected, local(2031, 3, 9)),
        # reported in February, accepted, overdue now: only in the snapshot counts
        "G": f.make(s.accepted, local(2031, 2, 20), due_at=local(2031, 4, 5)),
        # closed as withdrawn at the county before revision 0008: on time unknown
        "H": f.make(s.closed, local(2031, 3, 10), owner_level=Level.county,
                    outcome=Outcome.withdrawn, resolved_late=None),
        # a draft is never counted
        "I": f.make(s.draft, local(2031, 3, 11)),
    }
    f.visit(made["A"], local(2031, 3, 15), satisfied=True)
    f.visit(made["B"], local(2031, 3, 16), satisfied=False)
    f.visit(made["A"], local(2031, 2, 10), satisfied=True)  # before the period
    f.visit(made["C"], local(2031, 3, 17), satisfied=None)  # no answer recorded
    session.commit()  # a savepoint release: the test's outer transaction still rolls back
    return made


EXPECTED = {
    "resolution_rate": (3, 5),  # A B H / A B C D H
    "on_time_rate": (2, 4),  # A C / A B C D
    "village_share": (1, 3),  # A / A B H
    "township_share": (2, 3),  # A B / A B H
    "county_share": (1, 3),  # H / A B H
    "satisfaction_rate": (1, 2),  # A's March visit / A's and B's March visits
    "rebound_rate": (1, 5),  # D / A B C D H
}
SNAPSHOT_DELTA = {"overdue": 2, "urgent_open": 1}  # D G ; E


def _figures(client, unit, period=MARCH):
    response = client.get(f"/api/v1/stats/indicators?unit={unit}&{period}")
    assert response.status_code == 200, response.json
    return {f["key"]: f for f in response.json["indicators"]}


def test_each_numerator_and_denominator_on_crafted_cases(client, db_session):
    with frozen_at(NOW):
        before = _figures(client, BAONAN)
    craft(db_session)
    with frozen_at(NOW):
        after = _figures(client, BAONAN)
    for key, (top, bottom) in EXPECTED.items():
        figure = after[key]
        assert (figure["numerator"], figure["denominator"]) == (top, bottom), key
        assert figure["value"] == pytest.approx(top / bottom), key
        assert figure["kind"] == "rate"
    for key, delta in SNAPSHOT_DELTA.items():
        assert after[key]["numerator"] - before[key]["numerator"] == delta, key
        assert after[key]["denominator"] is None


def test_every_number_lists_exactly_its_cases(client, crafted):
    with frozen_at(NOW):
        figures = _figures(client, BAONAN)
        for key, figure in figures.items():
            for side in ("numerator", "denominator"):
                query = figure[f"{side}_filter"]
                if query is None:
                    continue
                listed = client.get("/api/v1/cases", query_string={**query, "page_size": 1})
                assert listed.status_code == 200, listed.json
                total = json.loads(listed.headers["X-Pagination"])["total"]
                assert total == figure[side], (key, side, query)


def test_a_rate_with_nothing_to_divide_is_no_figure(client):
    with frozen_at(NOW):
        figures = _figures(client, BAONAN, "from=2032-01-01&to=2032-01-31")
    assert figures["resolution_rate"]["value"] is None
    assert figures["resolution_rate"]["denominator"] == 0


def test_the_township_and_county_add_up_their_villages(client, crafted):
    with frozen_at(NOW):
        village = _figures(client, BAONAN)
        township = _figures(client, BAOKANG)
        county = _figures(client, COUNTY)
    for key in EXPECTED:
        assert township[key]["numerator"] == village[key]["numerator"] == county[key]["numerator"]


def test_ranking_puts_the_crafted_village_in_its_township(client, crafted):
    with frozen_at(NOW):
        response = client.get(f"/api/v1/stats/ranking?unit={BAOKANG}&{MARCH}")
    assert response.status_code == 200, response.json
    rows = response.json["rows"]
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["place"]["code"] == BAONAN  # the only village with a rate
    first = {f["key"]: f for f in rows[0]["indicators"]}
    assert (first["resolution_rate"]["numerator"], first["resolution_rate"]["denominator"]) \
        == (3, 5)
    assert all(r["place"]["level"] == "village" for r in rows)
    others = [r for r in rows[1:]]
    assert all({f["key"]: f for f in r["indicators"]}["resolution_rate"]["value"] is None
               for r in others)


def test_drill_down_reaches_the_grid_cell(client, crafted):
    code = None
    with frozen_at(NOW):
        cells = client.get(f"/api/v1/stats/ranking?unit={BAONAN}&{MARCH}").json["rows"]
        assert all(r["place"]["level"] == "cell" for r in cells)
        code = cells[0]["place"]["code"]
        figures = _figures(client, code)
        below = client.get(f"/api/v1/stats/ranking?unit={code}&{MARCH}").json["rows"]
    assert len(code) == 15
    assert (figures["resolution_rate"]["numerator"], figures["resolution_rate"]["denominator"]) \
        == (3, 5)
    assert below == []


def test_trend_counts_each_month_by_its_reports(client, crafted):
    with frozen_at(NOW):
        response = client.get(f"/api/v1/stats/trend?unit={BAONAN}&from=2031-02-01&to=2031-03-31")
    assert response.status_code == 200, response.json
    months = {m["month"]: m for m in response.json["months"]}
    assert list(months) == ["2031-02", "2031-03"]
    assert months["2031-02"]["reported"] == 1 and months["2031-03"]["reported"] == 7
    march = {f["key"]: f for f in months["2031-03"]["indicators"]}
    assert (march["resolution_rate"]["numerator"], march["resolution_rate"]["denominator"]) \
        == (3, 5)
    assert "overdue" not in march  # a month has no "now"
    february = {f["key"]: f for f in months["2031-02"]["indicators"]}
    assert february["satisfaction_rate"]["denominator"] == 1  # A's February visit


def test_categories_group_by_top_level(client, crafted):
    with frozen_at(NOW):
        rows = client.get(f"/api/v1/stats/categories?unit={BAONAN}&{MARCH}").json["rows"]
    assert [(r["code"], r["reported"]) for r in rows] == [("02", 7)]
    assert rows[0]["resolution_rate"]["numerator"] == 3
    assert rows[0]["resolution_rate"]["numerator_filter"]["category"] == "02"


def test_grid_cell_choropleth_counts_per_1000_households(client, crafted):
    with frozen_at(NOW):
        response = client.get(f"/api/v1/stats/grid-cells?unit={BAONAN}&{MARCH}&zoom=12")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    features = {f["properties"]["code"]: f["properties"] for f in response.json["features"]}
    mine = [p for p in features.values() if p["reported"]]
    assert len(mine) == 1
    props = mine[0]
    assert props["reported"] == 7
    assert props["unresolved"] == 4  # B D E G (A H closed, C archived, F rejected)
    if props["households"]:
        assert props["per_1000"] == pytest.approx(round(7000 / props["households"], 1))
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon")
               for f in response.json["features"])


def test_another_township_sees_none_of_it(api_client_for, crafted):
    menda = api_client_for("menda.dispatcher")
    with frozen_at(NOW):
        assert menda.get(f"/api/v1/stats/indicators?unit={BAONAN}&{MARCH}").status_code == 404
        assert menda.get(f"/api/v1/stats/indicators?unit={COUNTY}&{MARCH}").status_code == 404
        own = _figures(menda, "150521104000")
        cells = menda.get(f"/api/v1/stats/grid-cells?unit={BAONAN}&{MARCH}")
    assert own["resolution_rate"]["denominator"] == 0
    assert cells.status_code == 404


def test_a_township_user_asking_for_the_county_gets_its_own_numbers_only(
        api_client_for, principal_of, crafted):
    # The county unit itself is out of a township's reach: its own unit is the default.
    baokang = api_client_for("baokang.dispatcher")
    with frozen_at(NOW):
        response = baokang.get(f"/api/v1/stats/indicators?{MARCH}")
    assert response.status_code == 200
    assert response.json["place"]["code"] == BAOKANG
    figures = {f["key"]: f for f in response.json["indicators"]}
    assert figures["resolution_rate"]["numerator"] == 3


@pytest.mark.parametrize("query,field", [
    ("unit=12345", "unit"), ("from=2031-13-01", "from"), ("from=2031-03-31&to=2031-03-01", "to"),
    ("from=2020-01-01&to=2031-01-01", "to"), ("zoom=99", "zoom"),
    ("from=0001-01-01&to=0001-01-02", "to"), ("from=9999-12-30&to=9999-12-31", "to"),
])
def test_bad_queries_are_refused_with_a_message(client, query, field):
    response = client.get(f"/api/v1/stats/grid-cells?{query}")
    assert response.status_code == 400, response.json
    errors = response.json["errors"]["query"]
    assert field in errors and all(errors[field]), errors


def test_counts_take_two_statements_whatever_the_data(app, db_session, count_queries,
                                                      as_county_staff, crafted):
    from govgrid.auth.principal import current_principal
    from govgrid.stats.counts import all_counts
    from govgrid.stats.period import Period
    from govgrid.stats.places import find_place

    period = Period(dt.date(2031, 3, 1), dt.date(2031, 3, 31))
    # (count_queries first: entering it inside a request would end the test's session.)
    with count_queries() as counter, app.test_request_context(), as_county_staff:
        place = find_place(BAOKANG, current_principal())  # also sets the scope settings
        before = counter.count
        counts = all_counts(place.path, period, NOW)
    assert counter.count - before == 2
    assert counts[None][Count.reported] == 7



def test_visits_count_only_those_of_readable_cases(api_client_for, crafted):
    # A mediator reads only the cases assigned to them: none of the crafted ones, so none of
    # their visits either, though the place (their township) holds them all.
    mediator = api_client_for("baokang.mediator")
    with frozen_at(NOW):
        figures = _figures(mediator, BAOKANG)
    assert figures["satisfaction_rate"]["denominator"] == 0
    assert figures["resolution_rate"]["denominator"] == 0
