"""The case page shows the current stage's time limit, its state and a live countdown, the
extension requests and supervision orders; it is read like the case (404 out of reach)."""

from __future__ import annotations

import datetime as dt

from govgrid.sla.calendar import LOCAL_TZ
from govgrid.timestamps import frozen_at
from tests.support.cases import ok, report

MONDAY_10 = dt.datetime(2025, 11, 3, 10, tzinfo=LOCAL_TZ)


def page(client, case_id: str) -> str:
    response = client.get(f"/cases/{case_id}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def test_deadline_state_and_countdown_in_chinese(api_client_for, cell_point):
    staff = api_client_for("baonan.staff")
    with frozen_at(MONDAY_10):
        case = report(api_client_for("baonan.grid"), cell_point)
    with frozen_at(MONDAY_10 + dt.timedelta(hours=20)):
        html = page(staff, case["id"])
    assert "受理" in html and "将到期" in html and "2025-11-04 10:00" in html
    assert 'data-due-at="2025-11-04T02:00:00+00:00"' in html
    assert 'data-deadline-state="due_soon"' in html
    with frozen_at(MONDAY_10 + dt.timedelta(hours=30)):
        assert "超期" in page(staff, case["id"])


def test_extension_and_supervision_show_on_the_page(api_client_for, cell_point):
    staff, above = api_client_for("baonan.staff"), api_client_for("baokang.dispatcher")
    with frozen_at(MONDAY_10):
        case = report(api_client_for("baonan.grid"), cell_point)
        case = ok(staff, case, "accept")
        asked = staff.post(f"/api/v1/cases/{case['id']}/extension-requests",
                           json={"days": 5, "reason": "等待土地确权结果"})
        assert asked.status_code == 201, asked.json
        order = above.post(f"/api/v1/cases/{case['id']}/supervision-orders",
                           json={"reason": "请加快办理"})
        assert order.status_code == 201, order.json
        html = page(staff, case["id"])
    assert "延期申请" in html and "等待土地确权结果" in html and "待审批" in html
    assert "督办" in html and "请加快办理" in html and "保康镇" in html
    assert "受理" in html  # the timeline


def test_read_like_the_case(api_client_for, cell_point):
    case = report(api_client_for("baonan.grid"), cell_point)
    assert api_client_for("menda.dispatcher").get(f"/cases/{case['id']}").status_code == 404
    assert api_client_for("county.staff").get(f"/cases/{case['id']}").status_code == 200
