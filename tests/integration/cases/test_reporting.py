"""Reporting cases through the API: placement, idempotency, parties' personal data, outbox."""

import uuid

import pytest
from sqlalchemy import text

ID_NUMBER = "150521199001011231"
PHONE = "13812345678"


@pytest.fixture
def grid(api_client_for):
    return api_client_for("baonan.grid")


@pytest.fixture
def cell_point(demo_county):
    cell = next(c for c in demo_county.cells if c.village_code == "150521100201")
    point = cell.boundary.representative_point()
    return cell.code, point.x, point.y


def report(client, cell_point, **overrides):
    _, lon, lat = cell_point
    body = {"category_code": "0201", "title": "院墙界址纠纷", "source": "grid_worker",
            "lon": lon, "lat": lat, "parties": [
                {"name": "张三", "id_number": ID_NUMBER, "phone": PHONE},
                {"name": "李四", "role": "respondent"}], **overrides}
    return client.post("/api/v1/cases", json=body)


def test_report_places_the_case_and_starts_its_timeline(grid, cell_point, db_session):
    response = report(grid, cell_point)
    assert response.status_code == 201, response.json
    case = response.json
    assert case["state"] == "reported" and case["owner_level"] == "village"
    assert case["category_name"] == "邻里纠纷" or case["category_code"] == "0201"
    assert [e["action"] for e in case["timeline"]] == ["submit"]
    cell_code = db_session.execute(text(
        "SELECT g.code FROM cases c JOIN grid_cells g ON g.id = c.grid_cell_id WHERE c.id = :i"
    ), {"i": case["id"]}).scalar_one()
    assert cell_code == cell_point[0]


def test_same_id_twice_is_one_case(grid, cell_point, db_session):
    case_id = str(uuid.uuid4())
    first = report(grid, cell_point, id=case_id)
    again = report(grid, cell_point, id=case_id)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["id"] == case_id
    assert db_session.execute(text("SELECT count(*) FROM cases WHERE id = :i"),
                              {"i": case_id}).scalar() == 1


def test_personal_data_is_masked_and_encrypted_at_rest(grid, cell_point, db_session):
    case = report(grid, cell_point).json
    party = case["parties"][0]
    assert party["id_number"] == "150521********1231" and party["phone"] == "138****5678"
    raw = db_session.execute(text(
        "SELECT id_number_enc, phone_enc FROM case_parties WHERE id = :i"), {"i": party["id"]}
    ).one()
    assert ID_NUMBER.encode() not in bytes(raw.id_number_enc)
    assert PHONE.encode() not in bytes(raw.phone_enc)


def test_unmasking_is_for_handlers_and_audited(grid, cell_point, api_client_for, db_session):
    case = report(grid, cell_point).json
    party_id = case["parties"][0]["id"]
    url = f"/api/v1/cases/{case['id']}/parties/{party_id}/unmask"
    # The reporting grid worker handles the case: they may see the data, with a reason.
    shown = grid.post(url, json={"reason": "电话联系申请人"})
    assert shown.status_code == 200
    assert shown.json == {"id_number": ID_NUMBER, "phone": PHONE}
    entry = db_session.execute(text(
        "SELECT actor_name, summary FROM audit_log WHERE action = 'case_parties.unmask' "
        "ORDER BY id DESC LIMIT 1")).one()
    assert entry.actor_name == "baonan.grid" and entry.summary["reason"] == "电话联系申请人"
    # The county leader reads the case, masked, but does not handle it.
    leader = api_client_for("county.leader")
    assert leader.get(f"/api/v1/cases/{case['id']}").json["parties"][0]["phone"] == "138****5678"
    refused = leader.post(url, json={"reason": "查看"})
    assert refused.status_code == 403 and "处理" in refused.json["message"]
    assert grid.post(url, json={}).status_code == 422  # a reason is required


@pytest.mark.parametrize("bad,message", [
    ("15052119900101123", "17 位数字"), ("150521199001011232", "校验码"),
    ("150521199013011231", "出生日期"), ("990521199001011231", "地区"),
])
def test_bad_id_numbers_are_refused_and_nothing_is_written(grid, cell_point, db_session,
                                                           bad, message):
    before = db_session.execute(text("SELECT count(*) FROM cases")).scalar()
    response = report(grid, cell_point, parties=[{"name": "王五", "id_number": bad}])
    assert response.status_code == 422
    assert message in response.json["message"]
    assert response.json["details"]["field"] == "parties.0.id_number"
    assert db_session.execute(text("SELECT count(*) FROM cases")).scalar() == before


@pytest.mark.parametrize("overrides,status", [
    ({"category_code": "9999"}, 422), ({"category_code": "02"}, 400),
    ({"lon": 100.0, "lat": 40.0}, 422), ({"lon": None, "lat": None}, 422),
    ({"title": ""}, 422), ({"source": "rumour"}, 422), ({"people_involved": -1}, 422),
])
def test_bad_reports_are_refused(grid, cell_point, overrides, status):
    response = report(grid, cell_point, **overrides)
    assert response.status_code in (400, 422)
    assert response.json["message"]


def test_outbox_rows_are_written_with_the_case(grid, cell_point, db_session):
    case = report(grid, cell_point, category_code="1601").json  # 治安隐患: linked to police
    topics = db_session.execute(text(
        "SELECT topic, payload FROM outbox WHERE payload->>'case_id' = :i ORDER BY id"),
        {"i": case["id"]}).all()
    assert [t.topic for t in topics] == ["case.reported", "linkage.notify"]
    assert "police" in topics[1].payload["departments"]


def test_grid_worker_reads_own_reports_and_others_do_not_see_sideways(
        grid, cell_point, api_client_for):
    case = report(grid, cell_point).json
    assert grid.get(f"/api/v1/cases/{case['id']}").status_code == 200
    assert api_client_for("baokang.dispatcher").get(f"/api/v1/cases/{case['id']}").status_code \
        == 200
    assert api_client_for("menda.dispatcher").get(f"/api/v1/cases/{case['id']}").status_code \
        == 404


def test_case_list_filters(api_client_for, grid, cell_point):
    report(grid, cell_point, title="草场边界争议 A", category_code="0501")
    staff = api_client_for("county.staff")
    found = staff.get("/api/v1/cases?q=草场边界&category=05").json
    assert [c["title"] for c in found] == ["草场边界争议 A"]
    assert staff.get("/api/v1/cases?state=closed&q=草场边界").json == []
    assert staff.get("/api/v1/cases?state=nonsense").status_code == 400


def test_nearby_open_case_of_the_same_category_is_offered_for_merging(grid, cell_point,
                                                                      api_client_for):
    first = report(grid, cell_point, title="张家与李家院墙纠纷").json
    assert first["possible_duplicates"] == []
    code, lon, lat = cell_point
    second = report(grid, (code, lon + 0.0005, lat), title="李家院墙又起争执").json
    offered = second["possible_duplicates"]
    assert [d["id"] for d in offered] == [first["id"]]
    assert 0 < offered[0]["distance_m"] < 300
    # Another category nearby is not a duplicate; the list is also available later.
    third = report(grid, cell_point, category_code="0101").json
    assert first["id"] not in [d["id"] for d in third["possible_duplicates"]]
    staff = api_client_for("baonan.staff")
    listed = staff.get(f"/api/v1/cases/{second['id']}/duplicates").json
    assert [d["id"] for d in listed] == [first["id"]]
    # Merging it through the workflow.
    accepted = staff.post(f"/api/v1/cases/{second['id']}/transitions",
                          json={"action": "merge", "version": second["version"],
                                "duplicate_of": first["id"]})
    assert accepted.status_code == 200 and accepted.json["state"] == "merged"
