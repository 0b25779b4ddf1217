"""The county dashboard in a real headless Chromium: KPI tiles whose numbers are the API's
and explain themselves on hover, SVG charts with linked bars, the township ranking, the map's
layers, drilling down to a township, a numerator's link landing on the centre console with
exactly its cases, and the paper version. No JavaScript console errors. Screenshots go to
test-artifacts/ to be looked at.

The live server reads committed data only, and the e2e database has no case history, so a
few dozen cases with exact facts (tests/support/stats.py) are committed in two townships in
the current month and deleted afterwards (`made_cases`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from govgrid.timestamps import DISPLAY_TZ

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BAOKANG = "150521100000"  # 保康镇
# Two villages in each of two townships: 保康镇 and 宝龙山镇.
VILLAGES = ("150521100201", "150521100202", "150521101200", "150521101201")
CATEGORIES = ("0201", "0101", "0301", "0501", "0701", "1606", "2302")
TILES = ("resolution_rate", "on_time_rate", "village_share", "township_share", "county_share",
         "satisfaction_rate", "rebound_rate", "overdue", "urgent_open")


def _plan(now: dt.datetime) -> list[dict]:
    """What each crafted case is: state, holder, outcome and clocks, visits. A realistic
    month: most resolved at the village, some taken up by the township or the county, a few
    late, overdue, reopened, refused or urgent."""
    from govgrid.cases.workflow import CaseState as S
    from govgrid.cases.workflow import Level as L
    from govgrid.cases.workflow import Outcome as O

    later, past = now + dt.timedelta(days=5), now - dt.timedelta(hours=2)
    kinds = [
        dict(state=S.closed, outcome=O.written_agreement, resolved_late=False, visit=True),
        dict(state=S.closed, outcome=O.oral_agreement, resolved_late=False, visit=True),
        dict(state=S.resolved, owner_level=L.township, outcome=O.written_agreement,
             resolved_late=True, due_at=later),
        dict(state=S.resolved, outcome=O.oral_agreement, resolved_late=False, due_at=later),
        dict(state=S.mediating, due_at=later),
        dict(state=S.mediating, due_at=past),  # overdue now
        dict(state=S.accepted, owner_level=L.township, due_at=later, rebound_count=1),
        dict(state=S.reported, due_at=later),
        dict(state=S.rejected),
        dict(state=S.closed, owner_level=L.county, outcome=O.withdrawn, resolved_late=False,
             visit=False),
        dict(state=S.archived, owner_level=L.township, outcome=O.terminated,
             resolved_late=False),
        dict(state=S.reported, owner_level=L.county, due_at=later, is_urgent=True),
    ]
    return kinds


@pytest.fixture
def crafted(app, made_cases):
    """Cases reported this month (Asia/Shanghai) in four villages of two townships,
    committed; their ids go to `made_cases` for removal."""
    from govgrid.cases.models import Category
    from govgrid.extensions import db
    from tests.support.stats import CaseFactory

    now = dt.datetime.now(dt.UTC)
    month_start = now.astimezone(DISPLAY_TZ).replace(day=1, hour=0, minute=0, second=0,
                                                     microsecond=0)
    span = now - dt.timedelta(minutes=5) - month_start
    with app.app_context():
        session = db.session
        categories = dict(session.execute(select(Category.code, Category.id)
                                          .where(Category.code.in_(CATEGORIES))).all())
        kinds = _plan(now)
        total = len(VILLAGES) * len(kinds)
        n = 0
        for v, village in enumerate(VILLAGES):
            factory = CaseFactory(session, village)
            # Fewer cases in the second township's second village: the ranking differs.
            for k, kind in enumerate(kinds[: len(kinds) - 3 * (v == 3)]):
                kind = dict(kind)
                visit = kind.pop("visit", None)
                factory.category_id = categories[CATEGORIES[(v + k) % len(CATEGORIES)]]
                reported = month_start + span * ((n + 1) / (total + 1))
                n += 1
                case = factory.make(kind.pop("state"), reported, **kind)
                case.title = f"看板测试案件{n}"
                made_cases.append(str(case.id))
                if visit is not None:
                    factory.visit(case, min(reported + dt.timedelta(minutes=30), now),
                                  satisfied=visit)
        session.commit()
        session.remove()
    return made_cases


def figures_of(page, live_server: str, unit: str | None = None) -> dict[str, dict]:
    query = f"?unit={unit}" if unit else ""
    answer = page.request.get(f"{live_server}/api/v1/stats/indicators{query}")
    assert answer.ok, answer.text()
    return {f["key"]: f for f in answer.json()["indicators"]}


def listed_by_api(page, live_server: str, href: str) -> int:
    """How many cases GET /api/v1/cases lists with a console link's query string."""
    assert href.startswith("/console?"), href
    answer = page.request.get(f"{live_server}/api/v1/cases?{urlsplit(href).query}&page_size=1")
    assert answer.ok, answer.text()
    return json.loads(answer.headers["x-pagination"])["total"]


def print_to_png(page, name: str) -> None:
    """The page printed to an A4 PDF, each sheet rasterised to look at (when poppler is
    installed)."""
    pdf_path = ARTIFACTS / f"{name}.pdf"
    page.pdf(path=str(pdf_path), format="A4", prefer_css_page_size=True, print_background=True)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf_path), str(ARTIFACTS / name)],
                       check=True, timeout=60)


def unit_of(url: str) -> str | None:
    return parse_qs(urlsplit(url).query).get("unit", [None])[0]


def wait_loaded(page) -> None:
    page.wait_for_selector("body[data-loaded='categories indicators ranking trend']")
    page.wait_for_selector("#dashboard-map[data-map-ready]")


def test_county_dashboard_drills_down_and_links_every_number(
        page, page_log, live_server, login_as, crafted) -> None:
    login_as(page, "county.staff", next_path="/dashboard")
    wait_loaded(page)
    assert "科尔沁左翼中旗" in page.locator("h1").inner_text()
    # 数据截至 in Asia/Shanghai whatever the browser's zone (this browser's is the host's).
    shown = re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", page.locator("#as-of").inner_text())
    as_of = dt.datetime.strptime(shown.group(0), "%Y-%m-%d %H:%M").replace(tzinfo=DISPLAY_TZ)
    assert abs(as_of - dt.datetime.now(dt.UTC)) < dt.timedelta(hours=1)
    assert "数据截至" in page.locator("#as-of").inner_text() or "as of" in \
        page.locator("#as-of").inner_text()

    # ---- tiles: the API's numbers, explained on hover --------------------------------------
    api = figures_of(page, live_server)
    tiles = page.locator("#kpi-tiles > li")
    assert tiles.evaluate_all("ts => ts.map(t => t.dataset.key)") == list(TILES)
    for key in TILES:
        tile = page.locator(f"#kpi-{key}")
        figure = api[key]
        numerator = tile.locator("a.kpi-numerator")
        assert numerator.inner_text() == str(figure["numerator"]), key
        if figure["kind"] == "rate":
            assert tile.locator("a.kpi-denominator").inner_text() == str(figure["denominator"])
            value = tile.locator(".kpi-value").inner_text()
            assert value == "—" if figure["value"] is None else value.endswith("%"), key
        assert figure["numerator_text"] in (tile.get_attribute("title") or ""), key
    rate = api["resolution_rate"]
    assert rate["numerator"] >= 10 and rate["denominator"] > rate["numerator"]
    assert api["urgent_open"]["numerator"] >= 3 and api["overdue"]["numerator"] >= 4
    tip = page.locator("#kpi-resolution_rate-tip")
    assert not tip.is_visible()
    page.locator("#kpi-resolution_rate .kpi-label").hover()
    tip.wait_for(state="visible")
    assert rate["numerator_text"] in tip.inner_text()
    assert rate["denominator_text"] in tip.inner_text()
    assert f"{rate['numerator']}" in tip.inner_text()
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden")
    assert page.locator("#kpi-urgent_open a[href='/urgent']").count() == 1

    # ---- charts: bars and points, each with a title and a link to its cases ----------------
    trend_bars = page.locator("#trend-chart svg rect.bar")
    assert trend_bars.count() == 12
    this_month = page.locator("#trend-chart rect.bar").last
    assert int(this_month.get_attribute("data-count")) >= len(crafted)
    assert page.locator("#trend-chart svg a title").count() >= 13  # 12 bars and a point
    categories = page.locator("#category-chart svg rect.bar")
    assert categories.count() >= len(CATEGORIES)
    first_bar_link = page.locator("#category-chart svg a").first.get_attribute("href")
    assert first_bar_link.startswith("/console?") and "metric=reported" in first_bar_link

    # ---- ranking: the townships, sortable -------------------------------------------------
    rows = page.locator("#ranking tbody tr")
    assert rows.count() == 21
    names = rows.locator("th a.drill").all_inner_texts()
    assert "保康镇" in names and "宝龙山镇" in names
    assert rows.first.get_attribute("data-rank") == "1"
    page.locator("#ranking button.sort[data-column='name']").click()
    assert page.locator("#ranking th[aria-sort='ascending'] button").get_attribute(
        "data-column") == "name"
    page.locator("#ranking button.sort[data-column='resolution_rate']").click()
    first_two = page.locator("#ranking tbody tr").evaluate_all(
        "rs => rs.slice(0, 2).map(r => r.dataset.code)")
    assert set(first_two) <= {BAOKANG, "150521101000"}
    export = page.locator(".export-links a[data-format='xlsx']").get_attribute("href")
    assert "unit=150521000000" in export and "from=" in export

    # ---- map: every layer on and off without errors ---------------------------------------
    map_box = page.locator("#dashboard-map")
    assert map_box.get_attribute("data-units") == "21"
    assert page.locator("#map-legend li").count() >= 2
    control = page.locator(".leaflet-control-layers-overlays label")
    assert control.count() == 7  # and hot spots, emerging trends, risk (test_analysis_page)
    for index in (1, 2, 3):  # choropleth, heat, clusters
        control.nth(index).locator("input").check()
    page.wait_for_selector("#dashboard-map[data-cells][data-points]")
    assert int(map_box.get_attribute("data-points")) >= len(crafted)
    assert int(map_box.get_attribute("data-cells")) > 100
    page.select_option("#map-measure", "unresolved")
    page.select_option("#map-indicator", "overdue")
    assert page.locator(".leaflet-heatmap-layer").count() == 1
    assert page.locator(".marker-cluster, .dash-pin").count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".map-card").screenshot(path=str(ARTIFACTS / "dashboard-map-layers.png"))
    control.nth(2).locator("input").uncheck()  # heat off
    control.nth(1).locator("input").uncheck()  # choropleth off
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-county.png"), full_page=True)
    page.locator(".dash-charts").screenshot(path=str(ARTIFACTS / "dashboard-charts.png"))

    # ---- the paper version ----------------------------------------------------------------
    # As a printer lays it out: A4's width inside its margins (190 mm), then print media, to
    # which the map refits itself.
    page.set_viewport_size({"width": 718, "height": 1000})
    page.emulate_media(media="print")
    assert not page.locator("#dashboard-controls").is_visible()
    assert not page.locator(".leaflet-control-layers").is_visible()
    assert page.locator(".dash-period").is_visible() and page.locator("#as-of").is_visible()
    page.screenshot(path=str(ARTIFACTS / "dashboard-print.png"), full_page=True)
    print_to_png(page, "dashboard-print-a4")
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 800})

    # ---- drill down into 保康镇 ------------------------------------------------------------
    page.locator("#ranking a.drill", has_text="保康镇").click()
    page.wait_for_url(lambda url: unit_of(url) == BAOKANG)
    wait_loaded(page)
    assert parse_qs(urlsplit(page.url).query)["period"] == ["month"]
    trail = page.locator(".dash-trail li")
    assert trail.all_inner_texts() == ["科尔沁左翼中旗", "保康镇"]
    assert page.locator(".dash-trail [aria-current]").inner_text() == "保康镇"
    villages = page.locator("#ranking tbody tr")
    assert villages.count() >= 30
    assert villages.first.get_attribute("data-code") in VILLAGES[:2]
    assert "保南村" in villages.locator("th a.drill").all_inner_texts()
    assert page.locator("#dashboard-map").get_attribute("data-units") == str(villages.count())
    page.screenshot(path=str(ARTIFACTS / "dashboard-township.png"), full_page=True)

    # The back button returns to the county.
    page.go_back()
    page.wait_for_url(re.compile(r"/dashboard$"))
    wait_loaded(page)
    page.go_forward()
    page.wait_for_url(lambda url: unit_of(url) == BAOKANG)
    wait_loaded(page)

    # ---- each number's link asks for exactly its cases -----------------------------------
    township = figures_of(page, live_server, BAOKANG)
    for key in ("resolution_rate", "satisfaction_rate", "overdue"):
        for side in ("numerator", "denominator"):
            link = page.locator(f"#kpi-{key} a.kpi-{side}")
            if township[key][side] is None:
                assert link.count() == 0
                continue
            assert link.inner_text() == str(township[key][side])
            assert listed_by_api(page, live_server, link.get_attribute("href")) \
                == township[key][side], (key, side)

    # ---- down to a village, whose places are grid cells, and to its grid cell -------------
    page.locator("#ranking a.drill", has_text="保南村").click()
    page.wait_for_url(lambda url: unit_of(url) == VILLAGES[0])
    wait_loaded(page)
    cells = page.locator("#ranking tbody tr")
    cell_code = cells.first.get_attribute("data-code")
    assert cells.count() >= 1 and cell_code.startswith(VILLAGES[0]) and len(cell_code) == 15
    cells.first.locator("a.drill").click()
    page.wait_for_url(lambda url: unit_of(url) == cell_code)
    wait_loaded(page)
    assert page.locator(".dash-trail li").count() == 4
    assert page.locator("#ranking td.empty").count() == 1  # nothing below a grid cell
    assert page.locator("#dashboard-map").get_attribute("data-units") == "1"
    assert int(page.locator("#kpi-resolution_rate a.kpi-denominator").inner_text()) > 0
    page.screenshot(path=str(ARTIFACTS / "dashboard-cell.png"), full_page=True)
    assert page_log.foreign_requests() == [] and page_log.errors == []


def test_a_numerator_link_lands_on_the_console_with_its_cases(
        page, page_log, live_server, login_as, crafted) -> None:
    login_as(page, "county.staff", next_path=f"/dashboard?unit={BAOKANG}")
    wait_loaded(page)
    township = figures_of(page, live_server, BAOKANG)["resolution_rate"]
    link = page.locator("#kpi-resolution_rate a.kpi-numerator")
    assert link.inner_text() == str(township["numerator"])
    link.click()
    page.wait_for_url(re.compile(r"/console\?"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["metric"] == ["resolved"] and query["unit"] == [BAOKANG]
    listed = page.locator("#queue-count").inner_text()
    assert re.search(r"\d+", listed).group(0) == str(township["numerator"]), listed
    assert page.locator("#metric-filter").is_visible()
    # The visits' figure too: its bounds are moments the form cannot show, kept hidden.
    page.go_back()
    wait_loaded(page)
    page.locator("#kpi-satisfaction_rate a.kpi-denominator").click()
    page.wait_for_url(re.compile(r"/console\?.*visits_from="))
    assert page.locator("input[type=hidden][name=visits_from]").count() == 1
    assert page_log.errors == []
