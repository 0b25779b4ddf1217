"""Dispatch: ranked mediator suggestions with explained scores, and the mediator registry."""

import re

import pytest
from geoalchemy2.elements import WKTElement
from sqlalchemy import insert, select, text

from govgrid.auth.models import User
from govgrid.auth.principal import acting_as
from govgrid.auth.roles import Role
from govgrid.auth.scope import unscoped
from govgrid.cases import dispatch
from govgrid.cases.models import CaseAssignment
from govgrid.cases.records import MediatorProfile
from govgrid.geo.models import Unit

BAOKANG = "150521100000"
MENDA = "150521104000"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def dispatcher(api_client_for):
    return api_client_for("baokang.dispatcher")


@pytest.fixture
def major_case(dispatcher, cell_point):
    """A 较大 (major) neighbour dispute reported at 保康镇's centre, which then holds it."""
    lon, lat = cell_point
    response = dispatcher.post("/api/v1/cases", json={
        "category_code": "0201", "title": "通行纠纷", "source": "walk_in", "severity": "major",
        "lon": lon, "lat": lat})
    assert response.status_code == 201, response.json
    assert response.json["severity"] == "major"
    return response.json


def add_mediator(db, username, specialties, *, legal_training=False, capacity=10,
                 point=None, unit_code=BAOKANG, role=Role.mediator, available=True):
    unit = db.execute(select(Unit).where(Unit.code == unit_code)
                      .execution_options(**unscoped())).scalar_one()
    user_id = db.execute(insert(User).values(
        county_id=unit.county_id, unit_id=unit.id, username=username, display_name="测试调解员",
        role=role, password_hash="x", is_active=True,
        department="justice" if role is Role.department_liaison else None,
    ).returning(User.id)).scalar()
    db.execute(insert(MediatorProfile).values(
        county_id=unit.county_id, user_id=user_id, specialties=list(specialties),
        legal_training=legal_training, languages=["zh"], max_active_cases=capacity,
        location=WKTElement(f"POINT({point[0]} {point[1]})", srid=4326) if point else None,
        is_available=available, extra={}))
    # Commit (a savepoint release here): each request ends by closing the session, which
    # would roll back what the test wrote but did not commit.
    db.commit()
    return user_id


def assign(db, case_id, user_id, active=True):
    county_id = db.execute(text("SELECT county_id FROM cases WHERE id = :i"),
                           {"i": case_id}).scalar()
    db.execute(insert(CaseAssignment).values(county_id=county_id, case_id=case_id,
                                             user_id=user_id, kind="handler", active=active))
    if active:  # as the assign action does: a new case goes to mediation
        db.execute(text("UPDATE cases SET state = 'mediating' WHERE id = :i "
                        "AND state IN ('reported', 'accepted')"), {"i": case_id})
    db.commit()


def suggestions(client, case_id, **query):
    response = client.get(f"/api/v1/cases/{case_id}/mediator-suggestions", query_string={
        "limit": 50, **query})
    assert response.status_code == 200, response.json
    return response.json


def by_user(rows, user_id):
    return next(r for r in rows if r.get("mediator", r)["user_id"] == user_id)


def messages_of(errors):
    """Field errors as a flat list of strings (list items nest under their index)."""
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in messages_of(value)]
    return [str(m) for m in errors]


def test_specialist_with_legal_training_ranks_first_for_a_major_case(
        db_session, dispatcher, major_case, cell_point):
    lon, lat = cell_point
    specialist = add_mediator(db_session, "t.specialist", ["0201"], legal_training=True,
                              point=(lon + 0.12, lat))  # about 10 km east
    generalist = add_mediator(db_session, "t.generalist", ["01"], point=(lon, lat))
    rows = suggestions(dispatcher, major_case["id"])
    assert rows[0]["mediator"]["user_id"] == specialist
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    top = rows[0]
    parts = {p["name"]: p for p in top["parts"]}
    assert list(parts) == ["specialty", "legal_training", "load", "distance", "unit"]
    assert parts["specialty"]["value"] == 1.0 and parts["legal_training"]["value"] == 1.0
    assert parts["unit"]["value"] == 1.0  # a 保康镇 mediator for a case 保康镇 holds
    assert 9 < top["distance_km"] < 11  # geodesic, from PostGIS
    assert top["total"] == pytest.approx(sum(p["contribution"] for p in top["parts"]),
                                         abs=0.1)
    weaker = by_user(rows, generalist)
    assert "untrained" in weaker["flags"]
    assert {p["name"]: p for p in weaker["parts"]}["legal_training"]["contribution"] < 0
    assert weaker["total"] < top["total"]


def test_a_full_mediator_ranks_last_and_is_flagged(db_session, dispatcher, major_case,
                                                    cell_point):
    busy = add_mediator(db_session, "t.busy", ["0201"], legal_training=True, capacity=1,
                        point=cell_point)
    assign(db_session, major_case["id"], busy)
    rows = suggestions(dispatcher, major_case["id"])
    assert rows[-1]["mediator"]["user_id"] == busy
    assert rows[-1]["flags"] == ["full"]
    assert rows[-1]["mediator"]["active_cases"] == 1 and rows[-1]["mediator"]["full"]
    load = {p["name"]: p for p in rows[-1]["parts"]}["load"]
    assert (load["value"], load["reason"]) == (0.0, "load_full")
    assert all("full" not in r["flags"] for r in rows[:-1])


def test_explanations_are_in_the_users_language(db_session, dispatcher, major_case):
    add_mediator(db_session, "t.nowhere", ["0201"])  # no location: neutral distance
    rows = suggestions(dispatcher, major_case["id"])
    for row in rows:
        for part in row["parts"]:
            assert CJK.search(part["explanation"]), part
            assert CJK.search(part["label"]), part
    english = suggestions(dispatcher, major_case["id"], lang="en")
    nowhere = next(r for r in english if r["mediator"]["username"] == "t.nowhere")
    distance = {p["name"]: p for p in nowhere["parts"]}["distance"]
    assert distance["value"] == 0.5 and distance["reason"] == "distance_unknown"
    assert distance["explanation"].startswith("Distance unknown")
    assert nowhere["distance_km"] is None


def test_caseload_counts_each_active_case_once_wherever_it_is(
        db_session, dispatcher, major_case, api_client_for, cell_point):
    mediator = add_mediator(db_session, "t.loaded", ["02"], capacity=5)
    menda_case = api_client_for("menda.dispatcher").post("/api/v1/cases", json={
        "category_code": "0201", "title": "门达镇的案件", "source": "walk_in",
        "unit_code": MENDA}).json
    # Counted: an assignment outside the reader's jurisdiction; a case naming them handler
    # that also has their assignment (once). Not counted: an ended assignment, a closed case.
    assign(db_session, menda_case["id"], mediator)
    assign(db_session, major_case["id"], mediator)
    db_session.execute(text("UPDATE cases SET handler_id = :u, state = 'mediating' "
                            "WHERE id = :i"), {"u": mediator, "i": major_case["id"]})
    db_session.commit()
    closed = dispatcher.post("/api/v1/cases", json={
        "category_code": "0202", "title": "已办结", "source": "walk_in",
        "unit_code": BAOKANG}).json
    db_session.execute(text("UPDATE cases SET handler_id = :u, state = 'closed' WHERE id = :i"),
                       {"u": mediator, "i": closed["id"]})
    db_session.commit()
    assign(db_session, closed["id"], mediator, active=False)
    # Resolving keeps the assignment (the mediator still reads the case) but frees the slot.
    resolved = dispatcher.post("/api/v1/cases", json={
        "category_code": "0202", "title": "已化解", "source": "walk_in",
        "unit_code": BAOKANG}).json
    db_session.execute(text("UPDATE cases SET handler_id = :u, state = 'resolved' "
                            "WHERE id = :i"), {"u": mediator, "i": resolved["id"]})
    db_session.commit()
    assign(db_session, resolved["id"], mediator)
    entry = by_user(dispatcher.get("/api/v1/mediators?page_size=100").json, mediator)
    assert entry["active_cases"] == 2 and entry["full"] is False


def test_query_count_does_not_grow_with_the_registry(app, db_session, count_queries,
                                                     principal_of, major_case, cell_point):
    principal = principal_of("baokang.dispatcher")
    with app.app_context(), count_queries() as before:
        first = dispatch.suggest(principal, major_case["id"], limit=100)
    for i in range(20):
        add_mediator(db_session, f"t.many{i:02d}", ["02", f"{i % 20 + 1:02d}"],
                     legal_training=i % 2 == 0, capacity=i % 5 + 1,
                     point=(cell_point[0] + i / 100, cell_point[1]))
    with app.app_context(), count_queries() as after:
        second = dispatch.suggest(principal, major_case["id"], limit=100)
        dispatch.list_mediators(principal, {}, 1, 100)
    assert len(second) == len(first) + 20
    assert before.count == 2  # the case, then every candidate with caseload and distance
    assert after.count == before.count + 2  # the registry page: count and rows


def test_suggestions_only_from_ones_own_jurisdiction(db_session, api_client_for, major_case):
    add_mediator(db_session, "t.menda", ["0201"], legal_training=True, unit_code=MENDA)
    add_mediator(db_session, "t.away", ["0201"], available=False)
    rows = suggestions(api_client_for("county.staff"), major_case["id"])
    names = {r["mediator"]["username"] for r in rows}
    assert "t.menda" in names and "t.away" not in names  # the county sees every township
    own = {r["mediator"]["username"]
           for r in suggestions(api_client_for("baokang.dispatcher"), major_case["id"])}
    assert "t.menda" not in own and "baokang.mediator" in own
    assert all(r["mediator"]["unit"]["code"].startswith("150521100") for r in
               suggestions(api_client_for("baokang.dispatcher"), major_case["id"]))
    other = api_client_for("menda.dispatcher")
    response = other.get(f"/api/v1/cases/{major_case['id']}/mediator-suggestions")
    assert response.status_code == 404 and CJK.search(response.json["message"])


def test_registry_lists_within_jurisdiction_with_filters(api_client_for):
    township = api_client_for("baokang.dispatcher").get("/api/v1/mediators?page_size=100").json
    names = {m["username"] for m in township}
    assert "baokang.mediator" in names and "menda.mediator2" not in names
    assert all(m["unit"]["code"].startswith("150521100") for m in township)
    county = api_client_for("county.staff")
    everyone = county.get("/api/v1/mediators?page_size=100").json
    assert {"menda.mediator2", "daliji.mediator2"} <= {m["username"] for m in everyone}
    specialists = {m["username"] for m in county.get("/api/v1/mediators?specialty=0401").json}
    assert {"baokang.mediator", "menda.mediator2", "shebotu.mediator2"} <= specialists
    assert "baolongshan.mediator2" not in specialists
    group = {m["username"] for m in county.get("/api/v1/mediators?specialty=03").json}
    assert {"baokang.mediator", "menda.mediator3"} <= group and "menda.mediator2" not in group
    under = county.get(f"/api/v1/mediators?unit={MENDA}").json  # the township and its villages
    assert [m["username"] for m in under] == ["menda.mediator2", "menda.mediator3"]
    assert all(m["active_cases"] == 0 and m["lon"] is not None for m in under)


def test_demo_mediators_are_loaded_once(app, db_session):
    from govgrid.demo.mediators import DEMO_MEDIATORS, load_demo_mediators

    with app.app_context():
        assert load_demo_mediators() == (0, 0)
    row = db_session.execute(text(
        "SELECT p.specialties, p.legal_training, ST_Covers(un.boundary, p.location) AS inside "
        "FROM mediator_profiles p JOIN users u ON u.id = p.user_id "
        "JOIN units un ON un.id = u.unit_id WHERE u.username = 'baokang.mediator'")).one()
    assert row.specialties == ["02", "03", "0401"] and row.legal_training and row.inside
    count = db_session.execute(text(
        "SELECT count(*) FROM mediator_profiles WHERE extra->>'demo' = 'true'")).scalar()
    assert count == len(DEMO_MEDIATORS)


# --- PUT /mediators/<user_id> ---------------------------------------------------------------

def test_put_creates_then_replaces_a_profile(db_session, dispatcher, cell_point):
    user_id = add_mediator(db_session, "t.new", [])
    db_session.execute(text("DELETE FROM mediator_profiles WHERE user_id = :u"), {"u": user_id})
    db_session.commit()
    lon, lat = cell_point
    body = {"specialties": ["0201", "03", "0201"], "legal_training": True,
            "languages": ["zh", "mn"], "max_active_cases": 6, "lon": lon, "lat": lat}
    created = dispatcher.put(f"/api/v1/mediators/{user_id}", json=body)
    assert created.status_code == 201, created.json
    assert created.json["specialties"] == ["0201", "03"]
    assert created.json["lon"] == pytest.approx(lon) and created.json["active_cases"] == 0
    replaced = dispatcher.put(f"/api/v1/mediators/{user_id}", json={"specialties": ["05"]})
    assert replaced.status_code == 200
    assert (replaced.json["specialties"], replaced.json["legal_training"],
            replaced.json["lon"], replaced.json["max_active_cases"]) == (["05"], False, None, 10)
    audited = db_session.execute(text(
        "SELECT count(*) FROM audit_log WHERE action LIKE 'mediator_profiles.%'")).scalar()
    assert audited >= 2


@pytest.mark.parametrize("body, field", [
    ({"specialties": ["9999"]}, "specialties"),  # well-formed, but no such category
    ({"specialties": ["2"]}, "specialties"),
    ({"specialties": ["02"], "max_active_cases": 0}, "max_active_cases"),
    ({"specialties": ["02"], "lon": 100.0, "lat": 40.0}, "lat"),  # outside the county
    ({"specialties": ["02"], "lon": 122.7}, "lat"),
    ({"specialties": ["02"], "languages": ["Chinese"]}, "languages"),
    ({}, "specialties"),
])
def test_bad_input_is_refused_in_chinese(db_session, dispatcher, body, field):
    user_id = add_mediator(db_session, "t.bad", ["02"])
    response = dispatcher.put(f"/api/v1/mediators/{user_id}", json=body)
    assert response.status_code == 422, response.json
    assert CJK.search(response.json["message"]), response.json
    details = response.json.get("errors", {}).get("json") or response.json.get("errors") \
        or {response.json["details"]["field"]: [response.json["message"]]}
    assert field in details, response.json
    assert all(CJK.search(m) for m in messages_of(details)), details


def test_only_mediators_and_liaisons_belong_in_the_registry(db_session, dispatcher):
    grid_worker = db_session.execute(select(User.id).where(User.username == "baonan.grid")
                                     .execution_options(**unscoped())).scalar_one()
    response = dispatcher.put(f"/api/v1/mediators/{grid_worker}", json={"specialties": []})
    assert response.status_code == 422 and CJK.search(response.json["message"])
    liaison = add_mediator(db_session, "t.liaison", ["02"], role=Role.department_liaison)
    assert dispatcher.put(f"/api/v1/mediators/{liaison}",
                          json={"specialties": ["1501"]}).status_code == 200


def test_who_may_edit_the_registry(db_session, api_client_for):
    user_id = add_mediator(db_session, "t.edited", ["02"])
    body = {"specialties": ["02"]}
    for username in ("baokang.mediator", "county.leader", "baonan.staff", "assessor"):
        response = api_client_for(username).put(f"/api/v1/mediators/{user_id}", json=body)
        assert response.status_code == 403 and CJK.search(response.json["message"])
    assert api_client_for("menda.dispatcher").put(
        f"/api/v1/mediators/{user_id}", json=body).status_code == 404
    for username in ("baokang.dispatcher", "county.staff", "admin"):
        assert api_client_for(username).put(
            f"/api/v1/mediators/{user_id}", json=body).status_code == 200


def test_service_refuses_without_the_permission(principal_of, db_session):
    from govgrid.auth.permissions import Forbidden

    with pytest.raises(Forbidden), acting_as(principal_of("county.leader")):
        dispatch.upsert_profile(principal_of("county.leader"), 1,
                                dispatch.ProfileInput(specialties=[]))


def test_without_gps_distance_is_measured_to_the_place_and_said_to_be_approximate(dispatcher):
    case = dispatcher.post("/api/v1/cases", json={
        "category_code": "0301", "title": "宅基地界址", "source": "walk_in",
        "unit_code": "150521100201"}).json
    rows = suggestions(dispatcher, case["id"])
    mediator = next(r for r in rows if r["mediator"]["username"] == "baokang.mediator")
    distance = {p["name"]: p for p in mediator["parts"]}["distance"]
    assert distance["reason"] == "distance_approximate" and mediator["distance_km"] is not None
    assert {p["name"]: p for p in mediator["parts"]}["specialty"]["reason"] == "specialty_group"
