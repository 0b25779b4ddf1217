"""A case's parties after intake: add, edit, remove (/api/v1/cases/<id>/parties…)."""

import pytest
from sqlalchemy import text

ID_NUMBER = "150521199001011231"
OTHER_ID = "150521198506122020"
PHONE = "13812345678"
NEW_PHONE = "13904756789"


@pytest.fixture
def users(api_client_for):
    names = ("baonan.grid", "baonan.staff", "county.leader", "menda.dispatcher")
    return {name: api_client_for(name) for name in names}


@pytest.fixture
def case(users, demo_county):
    """A 保南村 case with one party, reported by the grid worker and held by the village."""
    cell = next(c for c in demo_county.cells if c.village_code == "150521100201")
    point = cell.boundary.representative_point()
    response = users["baonan.grid"].post("/api/v1/cases", json={
        "category_code": "0201", "title": "院墙界址纠纷", "source": "grid_worker",
        "lon": point.x, "lat": point.y,
        "parties": [{"name": "张三", "id_number": ID_NUMBER, "phone": PHONE}]})
    assert response.status_code == 201, response.json
    return response.json


def parties_url(case, party_id=None):
    url = f"/api/v1/cases/{case['id']}/parties"
    return url if party_id is None else f"{url}/{party_id}"


def add(client, case, **fields):
    body = {"version": case["version"], "name": "李四", "kind": "person",
            "role": "respondent", **fields}
    return client.post(parties_url(case), json=body)


def detail(client, case):
    return client.get(f"/api/v1/cases/{case['id']}").json


def audited(db_session, action, object_id):
    return db_session.execute(text(
        "SELECT summary FROM audit_log WHERE action = :a AND object_id = :i ORDER BY id"),
        {"a": action, "i": str(object_id)}).scalars().all()


def test_add_a_party_masked_encrypted_timelined_and_audited(users, case, db_session):
    response = add(users["baonan.staff"], case, id_number=OTHER_ID, phone=NEW_PHONE,
                   address="保南村三组14号")
    assert response.status_code == 201, response.json
    party = response.json
    assert party["id_number"] == "150521********2020" and party["phone"] == "139****6789"
    assert party["case_version"] == case["version"] + 1
    assert OTHER_ID not in response.get_data(as_text=True)
    assert NEW_PHONE not in response.get_data(as_text=True)
    raw = db_session.execute(text(
        "SELECT id_number_enc, phone_enc FROM case_parties WHERE id = :i"), {"i": party["id"]}
    ).one()
    assert OTHER_ID.encode() not in bytes(raw.id_number_enc)
    after = detail(users["baonan.staff"], case)
    assert after["version"] == case["version"] + 1
    assert [p["name"] for p in after["parties"]] == ["张三", "李四"]
    event = after["timeline"][-1]
    assert event["action"] == "party_added" and event["note"] is None
    assert audited(db_session, "cases.party_added", case["id"])[0]["party_id"] == party["id"]
    created = audited(db_session, "case_parties.create", party["id"])[0]["values"]
    assert OTHER_ID not in str(created) and NEW_PHONE not in str(created)


@pytest.mark.parametrize("bad,message", [
    ("15052119900101123", "17 位数字"), ("150521199001011232", "校验码"),
    ("150521199013011231", "出生日期"), ("990521199001011231", "地区"),
])
def test_invalid_id_numbers_are_422_in_chinese_and_nothing_is_written(users, case, db_session,
                                                                      bad, message):
    response = add(users["baonan.staff"], case, id_number=bad)
    assert response.status_code == 422
    assert message in response.json["message"]
    assert response.json["details"]["field"] == "id_number"
    party_id = case["parties"][0]["id"]
    edited = users["baonan.staff"].patch(parties_url(case, party_id),
                                         json={"version": case["version"], "id_number": bad})
    assert edited.status_code == 422 and message in edited.json["message"]
    assert edited.json["details"]["field"] == "id_number"
    after = detail(users["baonan.staff"], case)
    assert after["version"] == case["version"] and len(after["parties"]) == 1
    assert after["parties"][0]["id_number"] == "150521********1231"


def test_edit_a_party_re_encrypts_and_re_masks(users, case, db_session):
    party_id = case["parties"][0]["id"]
    before = db_session.execute(text(
        "SELECT id_number_enc FROM case_parties WHERE id = :i"), {"i": party_id}).scalar_one()
    response = users["baonan.staff"].patch(parties_url(case, party_id), json={
        "version": case["version"], "phone": NEW_PHONE, "id_number": ID_NUMBER.lower(),
        "name": "张三 ", "address": "保南村三组12号"})
    assert response.status_code == 200, response.json
    party = response.json
    assert party["phone"] == "139****6789" and party["id_number"] == "150521********1231"
    assert party["address"] == "保南村三组12号" and party["case_version"] == case["version"] + 1
    assert NEW_PHONE not in response.get_data(as_text=True)
    # The same ID number and name are no change: the ciphertext is left as it was.
    after = db_session.execute(text(
        "SELECT id_number_enc FROM case_parties WHERE id = :i"), {"i": party_id}).scalar_one()
    assert bytes(after) == bytes(before)
    event = detail(users["baonan.staff"], case)["timeline"][-1]
    assert event["action"] == "party_edited" and event["note"] == "address, phone"
    assert audited(db_session, "cases.party_edited", case["id"])[0]["fields"] == [
        "address", "phone"]
    shown = users["baonan.staff"].post(f"{parties_url(case, party_id)}/unmask",
                                       json={"reason": "核对新电话"})
    assert shown.json == {"id_number": ID_NUMBER, "phone": NEW_PHONE}


def test_null_clears_an_id_number_and_phone(users, case):
    party_id = case["parties"][0]["id"]
    response = users["baonan.staff"].patch(parties_url(case, party_id), json={
        "version": case["version"], "id_number": None, "phone": None})
    assert response.status_code == 200, response.json
    assert response.json["id_number"] is None and response.json["phone"] is None


def test_nothing_to_change_and_unknown_party(users, case):
    party_id = case["parties"][0]["id"]
    client = users["baonan.staff"]
    same = client.patch(parties_url(case, party_id), json={
        "version": case["version"], "name": "张三", "phone": PHONE})
    assert same.status_code == 422
    assert client.patch(parties_url(case, party_id),
                        json={"version": case["version"]}).status_code == 422
    assert client.patch(parties_url(case, 999999999), json={
        "version": case["version"], "name": "无此人"}).status_code == 404
    assert client.delete(parties_url(case, 999999999),
                         query_string={"version": case["version"]}).status_code == 404


def test_remove_a_party(users, case, db_session):
    party_id = case["parties"][0]["id"]
    client = users["baonan.staff"]
    assert client.delete(parties_url(case, party_id)).status_code == 400  # version missing
    response = client.delete(parties_url(case, party_id),
                             query_string={"version": case["version"]})
    assert response.status_code == 204
    after = detail(client, case)
    assert after["parties"] == [] and after["version"] == case["version"] + 1
    assert after["timeline"][-1]["action"] == "party_removed"
    assert after["timeline"][-1]["note"] is None
    assert audited(db_session, "case_parties.delete", party_id)
    again = client.delete(parties_url(case, party_id),
                          query_string={"version": after["version"]})
    assert again.status_code == 404


def test_stale_versions_are_409(users, case):
    client = users["baonan.staff"]
    assert add(client, case).status_code == 201
    party_id = case["parties"][0]["id"]
    assert add(client, case, name="王五").status_code == 409
    assert client.patch(parties_url(case, party_id), json={
        "version": case["version"], "phone": NEW_PHONE}).status_code == 409
    assert client.delete(parties_url(case, party_id),
                         query_string={"version": case["version"]}).status_code == 409
    assert len(detail(client, case)["parties"]) == 2


def test_who_may_change_parties(users, case):
    party_id = case["parties"][0]["id"]
    body = {"version": case["version"], "phone": NEW_PHONE}
    # Another township does not read the case; the county leader reads but does not handle.
    assert add(users["menda.dispatcher"], case).status_code == 404
    assert users["menda.dispatcher"].patch(parties_url(case, party_id),
                                           json=body).status_code == 404
    leader = users["county.leader"]
    assert add(leader, case).status_code == 403
    assert leader.patch(parties_url(case, party_id), json=body).status_code == 403
    assert leader.delete(parties_url(case, party_id),
                         query_string={"version": case["version"]}).status_code == 403
    # The reporting grid worker handles it.
    response = users["baonan.grid"].patch(parties_url(case, party_id), json=body)
    assert response.status_code == 200


def test_finished_cases_keep_their_parties(users, case):
    client = users["baonan.staff"]
    rejected = client.post(f"/api/v1/cases/{case['id']}/transitions", json={
        "action": "reject", "version": case["version"], "reason": "重复上报"}).json
    assert add(client, rejected).status_code == 409
    assert client.delete(parties_url(case, case["parties"][0]["id"]),
                         query_string={"version": rejected["version"]}).status_code == 409


@pytest.mark.parametrize("body", [
    {"name": ""}, {"name": "   "}, {"name": None}, {"kind": "robot"}, {"role": None},
    {"phone": "call me"}, {"phone": 13812345678}, {"id_number": 150521199001011231},
    {"id_number": "1" * 40}, {"address": "x" * 201}, {"version": "one"}, {"version": 10**20},
    {"unexpected": 1},
])
def test_bad_party_bodies_are_422_never_500(users, case, body):
    client = users["baonan.staff"]
    party_id = case["parties"][0]["id"]
    full = {"version": case["version"], **body}
    assert client.patch(parties_url(case, party_id), json=full).status_code == 422
    assert add(client, case, **body).status_code == 422
    assert client.post(parties_url(case), json=["not", "an", "object"]).status_code == 422


@pytest.mark.parametrize("version", ["one", "10000000000000000000000", "-1"])
def test_bad_delete_versions_are_refused_not_500(users, case, version):
    response = users["baonan.staff"].delete(parties_url(case, case["parties"][0]["id"]),
                                            query_string={"version": version})
    assert response.status_code == 400
