"""The assessment scorecard in a real headless Chromium: county staff open /assessment and see
the townships ranked with indicators coloured against their targets and standing badges; a
figure's link lands on the centre console with exactly that many cases; the map by ladder
status draws every township with its legend; the annual table downloads as an xlsx with the
county's title and headers. No JavaScript console errors. Screenshots go to test-artifacts/.

The live server reads committed data only: a few cases with exact facts (this month, in
保南村 of 保康镇), a homicide in the register and two confirmed steps of the ladder are
committed and removed afterwards (`made_cases`, `ladder_rows`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert

from govgrid.timestamps import DISPLAY_TZ

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BAOKANG, MENDA, BAOLONGSHAN = "150521100000", "150521104000", "150521101000"
BAONAN = "150521100201"


@pytest.fixture
def ladder_rows(app):
    """Ids of the events and sanctions a test commits; deleted afterwards."""
    from govgrid.assessment.models import MajorEvent, Sanction
    from govgrid.extensions import db

    made: dict[str, list[int]] = {"events": [], "sanctions": []}
    yield made
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(delete(Sanction).where(Sanction.id.in_(made["sanctions"])))
        conn.execute(delete(MajorEvent).where(MajorEvent.id.in_(made["events"])))


@pytest.fixture
def crafted(app, made_cases, ladder_rows):
    from govgrid.assessment.models import MajorEvent, Sanction
    from govgrid.cases.workflow import CaseState as S
    from govgrid.cases.workflow import Level, Outcome
    from govgrid.extensions import db
    from govgrid.geo.models import Unit
    from tests.support.stats import CaseFactory

    now = dt.datetime.now(dt.UTC)
    month_start = now.astimezone(DISPLAY_TZ).replace(day=1, hour=0, minute=0, second=0,
                                                     microsecond=0)
    span = now - dt.timedelta(minutes=5) - month_start
    later = now + dt.timedelta(days=20)
    plan = [
        dict(state=S.closed, outcome=Outcome.written_agreement, resolved_late=False),
        dict(state=S.closed, outcome=Outcome.written_agreement, resolved_late=False),
        dict(state=S.closed, owner_level=Level.township, outcome=Outcome.oral_agreement,
             resolved_late=False),
        dict(state=S.mediating, due_at=later),
    ]
    with app.app_context():
        session = db.session
        factory = CaseFactory(session, BAONAN)
        for n, facts in enumerate(plan):
            case = factory.make(facts.pop("state"), month_start + span * ((n + 1) / 5),
                                **facts)
            case.title = f"考核测试案件{n + 1}"
            made_cases.append(str(case.id))
            if n == 0:
                factory.visit(case, now - dt.timedelta(minutes=2), satisfied=True)
        units = {u.code: u for u in session.execute(select(Unit).where(
            Unit.code.in_((BAONAN, MENDA, BAOLONGSHAN)))).scalars()}
        baonan = units[BAONAN]
        ladder_rows["events"].append(session.execute(insert(MajorEvent).values(
            county_id=baonan.county_id, unit_id=baonan.id, path=baonan.path, kind="homicide",
            severity="ordinary", occurred_at=now - dt.timedelta(minutes=3), title="考核测试命案",
            summary="", deaths=1, injuries=0, people_involved=0, reported_late=False,
            concealed=False, version=1).returning(MajorEvent.id)).scalar_one())
        for code, step, until in ((MENDA, "interview", None),
                                  (BAOLONGSHAN, "veto", now + dt.timedelta(days=365))):
            unit = units[code]
            made = session.execute(insert(Sanction).values(
                county_id=unit.county_id, unit_id=unit.id, path=unit.path, step=step,
                state="confirmed", trigger="manual", params={}, evidence={}, factors=[],
                reason="浏览器测试", proposed_at=now, confirmed_at=now,
                deadline=now + dt.timedelta(days=30) if until is None else None,
                disqualified_until=until, version=1)
                .on_conflict_do_nothing(index_elements=["unit_id", "step"],
                                        index_where=Sanction.state.in_(("proposed",
                                                                        "confirmed")))
                .returning(Sanction.id)).scalar_one_or_none()
            if made is not None:
                ladder_rows["sanctions"].append(made)
        session.commit()
        session.remove()
    return made_cases


def test_county_staff_read_the_scorecards_map_and_annual_table(
        page, page_log, live_server, login_as, crafted, tmp_path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    login_as(page, "county.staff", next_path="/assessment")
    page.wait_for_selector("#standing-map[data-map-ready]")
    api = page.request.get(f"{live_server}/api/v1/assessment/scorecards").json()
    rows = page.locator("#scorecards tbody tr")
    assert rows.count() == len(api["rows"]) == 21
    assert rows.evaluate_all("rs => rs.map(r => r.dataset.code)") == [
        r["unit"]["code"] for r in api["rows"]]
    assert rows.first.get_attribute("data-rank") == "1"
    baokang = page.locator(f"#scorecards tr[data-code='{BAOKANG}']")
    by_api = next(r for r in api["rows"] if r["unit"]["code"] == BAOKANG)
    assert baokang.locator("td.total").inner_text() == f"{by_api['total']:g}"
    assert by_api["deductions"][0]["code"] == "homicide"
    grades = set(page.locator("#scorecards td.ind").evaluate_all(
        "cs => cs.map(c => c.dataset.grade)"))
    assert {"met", "near", "missed"} <= grades
    colours = {g: page.locator(f"#scorecards td.ind-{g}").first.evaluate(
        "c => getComputedStyle(c).backgroundColor") for g in ("met", "near", "missed")}
    assert len(set(colours.values())) == 3, colours
    veto_badge = page.locator(f"#scorecards tr[data-code='{BAOLONGSHAN}'] .standing-badge")
    assert veto_badge.get_attribute("data-step") == "veto"
    assert page.locator(f"#scorecards tr[data-code='{MENDA}'] .standing-badge"
                        ).get_attribute("data-step") in ("interview", "supervision", "veto")
    assert "0" in page.locator("#scheme-version").inner_text()

    # ---- the map by ladder status, with its legend ----------------------------------------
    assert page.locator("#standing-map").get_attribute("data-features") == "21"
    assert page.locator("#standing-map path.leaflet-interactive").count() >= 21
    assert page.locator("#standing-legend li").count() == 5
    page.screenshot(path=str(ARTIFACTS / "assessment-scorecard.png"), full_page=True)
    page.locator(".map-card").screenshot(path=str(ARTIFACTS / "assessment-map.png"))

    # ---- the annual table -----------------------------------------------------------------
    with page.expect_download() as download_info:
        page.locator(".export-links a[data-format='xlsx']").click()
    target = tmp_path / "annual.xlsx"
    download_info.value.save_as(target)
    sheet = load_workbook(target).active
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    year = dt.datetime.now(DISPLAY_TZ).year
    assert table[0][0] == f"科尔沁左翼中旗{year}年度平安建设（综治工作）考核结果汇总表"
    assert table[5][:2] == ["序号", "乡镇(街道)"] and "等次" in table[5]
    assert len(table) == 6 + 21

    # ---- a figure's link lands on the console with exactly its cases -----------------------
    figure = next(i for i in by_api["indicators"] if i["key"] == "resolution_rate")
    link = baokang.locator("td[data-key='resolution_rate'] a.numerator")
    assert link.inner_text() == str(figure["numerator"])
    link.click()
    page.wait_for_url(re.compile(r"/console\?"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["metric"] == ["resolved"] and query["unit"] == [BAOKANG]
    listed = page.locator("#queue-count").inner_text()
    assert re.search(r"\d+", listed).group(0) == str(figure["numerator"]), listed
    page.screenshot(path=str(ARTIFACTS / "assessment-console.png"), full_page=True)
    assert page_log.errors == []


def test_a_township_centre_sees_its_own_township(page, page_log, login_as, crafted) -> None:
    login_as(page, "baokang.dispatcher", next_path="/assessment")
    page.wait_for_selector("#standing-map[data-map-ready]")
    codes = page.locator("#scorecards tbody tr").evaluate_all(
        "rs => rs.map(r => r.dataset.code)")
    assert codes == [BAOKANG]
    page.locator(f"#scorecards tr[data-code='{BAOKANG}'] a.drill").click()
    page.wait_for_selector("#standing-map[data-map-ready]")
    assert page.locator(f"#scorecards tr[data-code='{BAONAN}']").count() == 1
    page.screenshot(path=str(ARTIFACTS / "assessment-villages.png"), full_page=True)
    assert page_log.errors == []
