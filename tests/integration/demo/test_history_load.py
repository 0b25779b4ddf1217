"""Loading the demo history into PostGIS: rows where the workflow and the map expect them,
personal data sealed like build_party's, read through the same jurisdiction as real cases."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text

from govgrid.cases.parties import ID_CONTEXT, PHONE_CONTEXT
from govgrid.pii.idcard import validate
from govgrid.pii.masking import mask_id_number, mask_phone

END = dt.datetime(2026, 3, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
N = 1000


@pytest.fixture
def loaded(app, db_session):
    """1000 demo cases in the test transaction (rolled back after the test)."""
    from govgrid.demo.history_loader import load_history

    with app.app_context():
        result = load_history(n=N, seed=3, end=END)
    assert result.loaded, result.reason
    return result


def scalar(db_session, sql: str, **params) -> int:
    return db_session.execute(text(sql), params).scalar_one()


def check_demo_people(db_session) -> None:
    users = dict(db_session.execute(text("SELECT username, id FROM users")).all())
    # 保南村's grid worker reported its grid-worker cases; nobody else has an account.
    assert scalar(db_session, """
        SELECT count(*) FROM cases c JOIN units v ON v.id = c.village_id
        WHERE c.source = 'grid_worker'
          AND (c.reporter_id IS NOT NULL) <> (v.code = '150521100201')""") == 0
    # A mediator with an account holds an active handler assignment for each case they
    # handle, as `assign` creates it, so their "assigned" reach finds them.
    assert scalar(db_session, """
        SELECT count(*) FROM cases c WHERE c.handler_id = :m AND NOT EXISTS (
          SELECT 1 FROM case_assignments a WHERE a.case_id = c.id AND a.user_id = :m
             AND a.active)""", m=users["baokang.mediator"]) == 0


def test_rows_counts_and_places(loaded, db_session):
    assert scalar(db_session, "SELECT count(*) FROM cases") == N
    assert scalar(db_session, "SELECT count(*) FROM case_parties") == 2 * N
    assert scalar(db_session, "SELECT count(*) FROM case_events") == \
        scalar(db_session, "SELECT sum(version) FROM cases") == loaded.summary["events"]
    assert scalar(db_session, "SELECT count(*) FROM mediation_sessions") == \
        scalar(db_session, "SELECT count(*) FROM case_events WHERE action = 'record_session'")
    # Every case lies in its grid cell, and its place columns agree with the unit tree.
    assert scalar(db_session, """
        SELECT count(*) FROM cases c JOIN grid_cells g ON g.id = c.grid_cell_id
        JOIN units v ON v.id = g.village_id
        WHERE NOT ST_Covers(g.boundary, c.point) OR c.location_path <> g.path
           OR c.village_id <> v.id OR c.township_id <> v.parent_id""") == 0
    # One timeline entry per transition: version counts them.
    assert scalar(db_session, """
        SELECT count(*) FROM cases c WHERE c.version <>
          (SELECT count(*) FROM case_events e WHERE e.case_id = c.id)""") == 0
    # The owner is the case's own village, township or county, at the level it says.
    assert scalar(db_session, """
        SELECT count(*) FROM cases c JOIN units o ON o.id = c.owner_unit_id
        WHERE o.level::text <> c.owner_level::text
           OR o.id NOT IN (c.village_id, c.township_id, c.county_id)""") == 0
    assert scalar(db_session, "SELECT count(*) FROM audit_log WHERE action = 'demo.history'") \
        == 1
    check_demo_people(db_session)


def test_a_second_load_is_a_no_op(app, loaded, db_session):
    from govgrid.demo.history_loader import load_history

    with app.app_context():
        again = load_history(n=N, seed=3, end=END)
    assert not again.loaded and again.reason == "demo history already loaded"
    assert scalar(db_session, "SELECT count(*) FROM cases") == N


def test_parties_are_sealed_like_build_party(app, loaded, db_session):
    from govgrid.pii.keys import cipher

    rows = db_session.execute(text(
        "SELECT id_number_enc, id_number_index, id_number_masked, phone_enc, phone_index, "
        "phone_masked FROM case_parties WHERE id_number_enc IS NOT NULL LIMIT 50")).all()
    with app.app_context():
        pii = cipher()
        for row in rows:
            number = pii.decrypt(row.id_number_enc, ID_CONTEXT)
            phone = pii.decrypt(row.phone_enc, PHONE_CONTEXT)
            assert validate(number) == number and number.startswith("150521")
            assert row.id_number_index == pii.blind_index(number, ID_CONTEXT)
            assert row.phone_index == pii.blind_index(phone, PHONE_CONTEXT)
            assert (row.id_number_masked, row.phone_masked) == \
                (mask_id_number(number), mask_phone(phone))


UNDER = "SELECT count(*) FROM cases WHERE location_path <@ (SELECT path FROM units " \
    "WHERE code = '{}')"
READERS = {  # who reads how many cases, as plain SQL says it
    "county.staff": UNDER.format("150521000000"),
    "baokang.dispatcher": UNDER.format("150521100000"),  # 保康镇 and its villages
    "menda.dispatcher": UNDER.format("150521104000"),  # 门达镇: none of 保康镇's
    "baonan.grid": UNDER.format("150521100201"),  # all of 保南村's cells are theirs
    "baokang.mediator": "SELECT count(DISTINCT case_id) FROM case_assignments a JOIN users u "
                        "ON u.id = a.user_id WHERE u.username = 'baokang.mediator' AND active",
}


def test_list_totals_follow_jurisdiction(loaded, db_session, api_client_for):
    for username, sql in READERS.items():
        expected = scalar(db_session, sql)
        response = api_client_for(username).get("/api/v1/cases?page_size=1")
        assert response.status_code == 200, response.json
        total = json.loads(response.headers["X-Pagination"])["total"]
        assert total == expected > 0, username


def test_the_service_carries_on_from_a_loaded_case(loaded, db_session, api_client_for):
    """A loaded case is one the live workflow can pick up: its detail reads, its version
    and timeline agree, and the county can take a township's open case up (提级)."""
    county = api_client_for("county.staff")
    for state in ("archived", "merged", "referred", "mediating"):
        case_id = db_session.execute(text(
            "SELECT id FROM cases WHERE state = :s ORDER BY reported_at LIMIT 1"),
            {"s": state}).scalar_one()
        detail = county.get(f"/api/v1/cases/{case_id}")
        assert detail.status_code == 200, detail.json
        assert len(detail.json["timeline"]) == detail.json["version"]
    row = db_session.execute(text(
        "SELECT id, version, owner_unit_id FROM cases "
        "WHERE state = 'mediating' AND owner_level = 'township' ORDER BY reported_at LIMIT 1")
    ).one()
    response = county.post(f"/api/v1/cases/{row.id}/transitions", json={
        "action": "pull_up", "version": row.version, "reason": "久调未决，县级提级办理"})
    assert response.status_code == 200, response.json
    case = response.json
    assert (case["state"], case["version"], case["owner_level"]) == \
        ("accepted", row.version + 1, "county")
    assert len(case["timeline"]) == case["version"]
    assert scalar(db_session, "SELECT (payload->>'from_unit_id')::int FROM case_events "
                  "WHERE case_id = :c AND action = 'pull_up'", c=row.id) == row.owner_unit_id
