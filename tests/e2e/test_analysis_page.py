"""The analysis page and the dashboard's analysis layers in a real headless Chromium.

Runs are asked for by clicking, carried out by a REAL `rq worker --burst` process against the
test Redis, and followed by the page (queued, then done). The live server and the worker read
committed data only, so crafted cases are committed (a cluster in one cell of 保南村, last
month and this month, and a few elsewhere) and removed afterwards with every analysis run and
risk setting the tests made. Screenshots go to test-artifacts/analysis-*.png and
dashboard-layer-*.png.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, text

from govgrid.timestamps import DISPLAY_TZ
from tests.support.workers import run_worker_burst

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SPREAD = ("150521100202", "150521101200", "150521101201")


@pytest.fixture
def clean_analysis(app, test_redis):
    """Analysis runs and risk settings made by a test are removed afterwards."""
    from govgrid.extensions import db

    with app.app_context():
        before = db.session.execute(text("SELECT coalesce(max(id), 0) FROM analysis_runs")
                                    ).scalar_one()
        db.session.remove()
    yield
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(text("DELETE FROM analysis_runs WHERE id > :id"), {"id": before})
        conn.execute(text("DELETE FROM analysis_risk_settings"))


@pytest.fixture
def clustered(app, made_cases, clean_analysis):
    """Ten cases in one cell of 保南村 last month and twelve this month (Asia/Shanghai), one
    or two in a few other villages; committed."""
    from govgrid.cases.workflow import CaseState
    from govgrid.extensions import db
    from tests.support.stats import CaseFactory

    now = dt.datetime.now(dt.UTC)
    this_month = now.astimezone(DISPLAY_TZ).replace(day=1, hour=0, minute=0, second=0,
                                                    microsecond=0)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    elapsed = now - dt.timedelta(minutes=5) - this_month
    with app.app_context():
        session = db.session
        hot = CaseFactory(session)
        for n in range(10):
            made_cases.append(str(hot.make(CaseState.accepted,
                                           last_month + dt.timedelta(days=n * 2, hours=9)).id))
        for n in range(12):
            made_cases.append(str(hot.make(CaseState.accepted,
                                           this_month + elapsed * ((n + 1) / 13)).id))
        for k, village in enumerate(SPREAD):
            other = CaseFactory(session, village)
            made_cases.append(str(other.make(CaseState.accepted,
                                             last_month + dt.timedelta(days=3 + k)).id))
            made_cases.append(str(other.make(CaseState.accepted,
                                             this_month + elapsed * ((k + 1) / 6)).id))
        session.commit()
        session.remove()
    return {"this": f"{this_month:%Y-%m}", "last": f"{last_month:%Y-%m}"}


def test_a_run_is_asked_for_followed_to_the_end_and_its_check_read(
        app, page, page_log, live_server, login_as, clustered) -> None:
    login_as(page, "county.staff", next_path="/analysis")
    page.wait_for_selector("#runs tbody")
    assert page.locator("#run-month").input_value() == clustered["this"]
    assert "尚无" in page.locator("#prediction-reading").inner_text() or \
        "No predictive" in page.locator("#prediction-reading").inner_text()
    page.wait_for_selector("#risk-form[data-version='0']")

    # ---- hot spots of this month: asked, queued, carried out by a real worker ------------
    page.click("#run-hotspots")
    page.wait_for_selector("#run-progress[data-status=queued]")
    page.wait_for_selector("#runs tbody tr[data-status=queued]")  # the list is redrawn
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#run-progress").screenshot(path=str(ARTIFACTS / "analysis-queued.png"))
    run_worker_burst(app.config["REDIS_URL"])
    page.wait_for_selector("#run-progress[data-status=done]", timeout=30_000)
    assert page.locator("#run-bar").evaluate("bar => bar.value") == 100
    stage = page.locator("#run-stage").inner_text()
    assert clustered["this"] in stage and ("完成" in stage or "Done" in stage)
    dashboard_link = page.locator("#run-links a")
    assert "/dashboard?" in dashboard_link.get_attribute("href")
    page.wait_for_selector("#runs tbody tr[data-status=done]")

    # ---- the predictive check up to last month (checked against this month) --------------
    page.fill("#run-month", clustered["last"])
    page.click("#run-backtest")
    page.wait_for_selector("#run-progress[data-status=queued]")
    run_worker_burst(app.config["REDIS_URL"])
    page.wait_for_selector("#run-progress[data-status=done]", timeout=30_000)
    page.wait_for_selector("#prediction[data-months]:not([data-months='0'])")
    row = page.locator(f"#prediction tbody tr[data-month='{clustered['last']}']")
    assert row.count() == 1
    # Most of this month's cases lie in last month's hot cell: well above chance.
    hit_rates = row.locator("td[data-field=hit_rate]").all_inner_texts()
    assert len(hit_rates) == 6 and all(t.endswith("%") for t in hit_rates)
    reading = page.locator("#prediction-reading").inner_text()
    assert "PAI" in reading
    assert page.locator("#prediction tfoot tr.average").count() == 1

    # ---- risk settings: saved, then a stale save is refused with an offer to reload -------
    page.fill("input[data-weight=urgent]", "6")
    page.click("#risk-save")
    page.wait_for_selector("#risk-form[data-version='1']")
    assert page.locator("#risk-message[data-kind=notice]").is_visible()
    # Someone else saves meanwhile (the same API, from the page's own session).
    status = page.evaluate("""async () => {
      const token = document.querySelector('meta[name="csrf-token"]').content;
      const r = await fetch('/api/v1/analysis/risk-settings', {method: 'PUT',
        headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
        body: JSON.stringify({version: 1, weights: {urgent: 7}})});
      return r.status;
    }""")
    assert status == 200
    page.fill("input[data-weight=repeat]", "2")
    page.click("#risk-save")
    page.wait_for_selector("#risk-message[data-kind=form-error] #risk-reload")
    page.screenshot(path=str(ARTIFACTS / "analysis-page.png"), full_page=True)
    page.click("#risk-reload")
    page.wait_for_selector("#risk-form[data-version='2']")
    assert page.locator("input[data-weight=urgent]").input_value() == "7"
    # A negative weight is refused with the field's message.
    page.evaluate("document.querySelector('input[data-weight=hot]').removeAttribute('min')")
    page.fill("input[data-weight=hot]", "-1")
    page.click("#risk-save")
    page.wait_for_selector("#risk-message[data-kind=form-error]")
    # The 409 of the stale save is the only failed request the console may show.
    assert [e for e in page_log.errors if "409" not in e and "422" not in e] == []
    assert page_log.foreign_requests() == []


def test_a_reader_without_the_right_sees_results_but_cannot_run(
        page, page_log, live_server, login_as, clean_analysis) -> None:
    login_as(page, "baokang.dispatcher", next_path="/analysis")
    page.wait_for_selector("#runs tbody")
    assert page.locator("#run-hotspots").is_disabled()
    assert page.locator("#risk-save").count() == 0
    page.wait_for_selector("#risk-form[data-version]")
    assert page.locator("input[data-weight=hot]").is_disabled()
    assert page_log.errors == []


def _finished_run(app, month: str) -> int:
    """A hot-spot run of the month carried out here (committed)."""
    from govgrid.analysis.job import run_analysis
    from govgrid.analysis.models import RunKind
    from govgrid.analysis.runs import queue_run
    from govgrid.auth.principal import SYSTEM, acting_as
    from govgrid.extensions import db
    from govgrid.geo.models import Unit

    with app.app_context(), acting_as(SYSTEM):
        county = db.session.execute(select(Unit.id).where(Unit.code == "150521000000")
                                    ).scalar_one()
        run = queue_run(county, RunKind.hotspots, dt.date.fromisoformat(f"{month}-01"))
        assert run_analysis(run.id) == "done"
        count = db.session.execute(text(
            "SELECT count(*) FROM analysis_cell_results WHERE run_id = :id"),
            {"id": run.id}).scalar_one()
        assert count > 100
        db.session.remove()
        return run.id


def test_dashboard_layers_show_hot_spots_trends_and_risk_with_legend_and_words(
        app, page, page_log, live_server, login_as, clustered) -> None:
    _finished_run(app, clustered["this"])
    login_as(page, "county.staff", next_path="/dashboard")
    page.wait_for_selector("body[data-loaded='categories indicators ranking trend']")
    page.wait_for_selector("#dashboard-map[data-map-ready]")
    labels = page.evaluate(
        "JSON.parse(document.getElementById('dashboard-config').textContent).labels")
    control = page.locator(".leaflet-control-layers-overlays label")
    assert control.count() == 7
    names = [n.strip() for n in control.all_inner_texts()]
    assert names[4:] == [labels["layerHot"], labels["layerEmerging"], labels["layerRisk"]]
    control.nth(0).locator("input").uncheck()  # units off: the cells alone

    shots = (("hot", 4, labels["layerHot"], "#d62f27"),
             ("emerging", 5, labels["layerEmerging"], None),
             ("risk", 6, labels["layerRisk"], None))
    for name, index, title, red in shots:
        control.nth(index).locator("input").check()
        page.wait_for_selector(f"#map-legend .legend-title:text-is('{title}')")
        note = page.locator("#analysis-note[data-state=shown]")
        assert note.locator(".analysis-explain").count() == 1
        assert clustered["this"] in note.locator(".run-meta").inner_text()
        if red:
            hot_cell = page.locator(f"#dashboard-map path[fill='{red}']")
            assert hot_cell.count() >= 1
            hot_cell.first.hover()
            tip = page.locator(".leaflet-tooltip")
            tip.wait_for(state="visible")
            assert "保南村" in tip.inner_text()
            assert labels["hotClasses"]["3"] in tip.inner_text()
        page.locator(".map-card").screenshot(
            path=str(ARTIFACTS / f"dashboard-layer-{name}.png"))
        control.nth(index).locator("input").uncheck()
    assert page.locator("#analysis-note").inner_text() == ""

    # A period whose month has no run: the layer says so and offers the analysis page.
    page.goto("/dashboard?period=custom&from=2024-01-01&to=2024-01-31")
    page.wait_for_selector("#dashboard-map[data-map-ready]")
    page.locator(".leaflet-control-layers-overlays label").nth(6).locator("input").check()
    missing = page.locator("#analysis-note[data-state=missing]")
    missing.wait_for()
    assert "2024-01" in missing.inner_text()
    assert missing.locator("a#run-analysis-link").get_attribute("href") == \
        "/analysis?month=2024-01"
    page.locator(".map-card").screenshot(path=str(ARTIFACTS / "dashboard-layer-missing.png"))
    assert page_log.errors == [] and page_log.foreign_requests() == []

