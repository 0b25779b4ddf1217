"""The printable 人民调解协议书 in a real headless Chromium: printed to an A4 PDF of one or two
pages, then rasterised (pdftoppm) into test-artifacts/ so a person can look at the layout.

The live server reads committed data only, so the case and its agreement are made through
its API (bearer tokens, real commits) and deleted afterwards.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import text

from govgrid.pii.idcard import check_char
from tests.support.cases import delete_cases

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TOKEN_NAME = "e2e-agreement"
RESPONDENT_ID = "15052119850315002" + check_char("15052119850315002")


@pytest.fixture
def made_cases(app):
    """Ids of the cases this test commits; removed with everything hanging off them."""
    from govgrid.extensions import db

    case_ids: list[str] = []
    yield case_ids
    with app.app_context(), db.engine.begin() as conn:
        delete_cases(conn, case_ids)
        conn.execute(text("DELETE FROM api_tokens WHERE name = :n"), {"n": TOKEN_NAME})


class Api:
    """The live server's JSON API with one user's bearer token (no cookie: no CSRF)."""

    def __init__(self, page, base: str, username: str) -> None:
        self.request, self.base = page.request, base
        login = self.request.post(f"{base}/api/v1/session", data={
            "username": username, "password": "govgrid2026", "token_name": TOKEN_NAME})
        assert login.ok, login.text()
        self.headers = {"Authorization": f"Bearer {login.json()['token']}"}
        self.user_id = login.json()["user"]["id"]

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        response = self.request.fetch(f"{self.base}{path}", method=method,
                                      headers=self.headers, data=body)
        assert response.ok, (method, path, response.status, response.text())
        return response.json()

    def act(self, case: dict, action: str, **fields: object) -> dict:
        return self.call("POST", f"/api/v1/cases/{case['id']}/transitions",
                         {"action": action, "version": case["version"], **fields})


def mediated_agreement(page, live_server, demo_county, made_cases) -> tuple[dict, dict]:
    cell = next(c for c in demo_county.cells if c.village_code == "150521100201")
    point = cell.boundary.representative_point()
    grid = Api(page, live_server, "baonan.grid")
    staff = Api(page, live_server, "baonan.staff")
    case = grid.call("POST", "/api/v1/cases", {
        "category_code": "0201", "title": "宅基地边界纠纷", "source": "grid_worker",
        "lon": point.x, "lat": point.y, "parties": [
            {"name": "张三", "role": "applicant", "id_number": "150521199001011231",
             "phone": "13812345678", "address": "科尔沁左翼中旗保康镇保南村三组12号"},
            {"name": "李四", "role": "respondent", "id_number": RESPONDENT_ID,
             "phone": "13987654321", "address": "科尔沁左翼中旗保康镇保南村三组14号"}]})
    made_cases.append(case["id"])
    case = staff.act(case, "accept")
    case = staff.act(case, "assign", mediator_id=staff.user_id)
    case = staff.act(case, "record_session", summary="双方到场，现场核对界址",
                     place="保南村综治工作站", participants=["张三", "李四"])
    agreement = staff.call("POST", f"/api/v1/cases/{case['id']}/agreements", {
        "facts": ("张三与李四系前后院邻居。2026年9月，李四翻建东侧院墙时，张三认为新墙向其宅基地"
                  "一侧越界约0.5米，双方多次争吵，并发生推搡。\n"
                  "经调解员现场核对宅基地使用权证及村委会存档的界址图，李四新建院墙越界0.45米，"
                  "李四对此负主要责任；张三在争执中先动手推搡，对矛盾激化负次要责任。"),
        "terms": ("一、李四于本协议生效后十五日内自行拆除越界部分院墙，按界址图恢复原界线。\n"
                  "二、张三一次性补偿李四重建院墙的材料费人民币贰仟元整（¥2,000.00）。\n"
                  "三、双方就此纠纷再无其他争议，今后互谅互让，和睦相处。"),
        "performance": ("李四于2026年12月7日前拆除越界院墙；张三于院墙拆除之日当场以现金方式"
                        "向李四支付补偿款，由保南村人民调解委员会见证。"),
        "amount": "2000.00"})
    return case, agreement


def pdf_pages(pdf: bytes) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
        return int(re.search(rb"Pages:\s+(\d+)", info.stdout).group(1))
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_agreement_prints_on_a4(page, page_log, live_server, login_as, demo_county,
                                made_cases) -> None:
    case, agreement = mediated_agreement(page, live_server, demo_county, made_cases)
    login_as(page, "baonan.staff")
    page.goto(f"/cases/{case['id']}/agreements/{agreement['id']}/print")
    assert page.title().startswith("人民调解协议书")
    body = page.inner_text("article")
    assert agreement["number"] in body and "150521********1231" in body
    assert "150521199001011231" not in body

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "agreement-screen.png"), full_page=True)
    pdf_path = ARTIFACTS / "agreement-print.pdf"
    pdf = page.pdf(path=str(pdf_path), format="A4", prefer_css_page_size=True)
    assert 1 <= pdf_pages(pdf) <= 2
    assert page_log.foreign_requests() == [] and page_log.errors == []

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed: PDF checked, no PNG made")
    for old in ARTIFACTS.glob("agreement-print-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf_path),
                    str(ARTIFACTS / "agreement-print")], check=True)
    pngs = sorted(ARTIFACTS.glob("agreement-print-*.png"))
    assert 1 <= len(pngs) <= 2
    # An A4 page at 80 dpi is about 661 x 935 pixels: portrait, not letter or landscape.
    header = pngs[0].read_bytes()[16:24]
    width, height = int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")
    assert abs(width - 661) <= 2 and abs(height - 935) <= 2, (width, height)
