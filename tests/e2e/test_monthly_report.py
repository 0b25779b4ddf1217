"""The monthly report end to end in a real headless Chromium: county staff ask for 保康镇's
report of this month on /reports, a real `rq worker --burst` process makes it (the hot-spot
analysis first, as no run exists) while the page follows its progress, the page shows it
done, the report opens with its sections, figures and two SVG maps, prints as A4, and its
xlsx appendix downloads and parses. No JavaScript console errors. Screenshots and the
printed pages go to test-artifacts/monthly-report*.png to be looked at.

The live server and the worker read committed data only: a few dozen cases in two 保康镇
villages this month are committed and removed afterwards with the report and the run.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import time
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from govgrid.timestamps import DISPLAY_TZ
from tests.support.workers import start_worker_burst

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BAOKANG = "150521100000"  # 保康镇
VILLAGES = ("150521100201", "150521100202")
CATEGORIES = ("0201", "0101", "0301", "0501")


@pytest.fixture
def crafted(app, made_cases):
    """Cases reported this month in two villages of 保康镇, clustered in one cell, some
    resolved, one overdue, one urgent; ids go to `made_cases` for removal."""
    from sqlalchemy import select

    from govgrid.cases.models import Category
    from govgrid.cases.workflow import CaseState as S
    from govgrid.cases.workflow import Outcome as O
    from govgrid.extensions import db
    from tests.support.stats import CaseFactory

    now = dt.datetime.now(dt.UTC)
    month_start = now.astimezone(DISPLAY_TZ).replace(day=1, hour=0, minute=0, second=0,
                                                     microsecond=0)
    span = now - dt.timedelta(minutes=5) - month_start
    kinds = [dict(state=S.closed, outcome=O.written_agreement, resolved_late=False),
             dict(state=S.mediating, due_at=now + dt.timedelta(days=5)),
             dict(state=S.accepted, due_at=now + dt.timedelta(days=3)),
             dict(state=S.mediating, due_at=now - dt.timedelta(hours=2)),  # overdue now
             dict(state=S.reported, due_at=now + dt.timedelta(days=1), is_urgent=True)]
    with app.app_context():
        session = db.session
        categories = dict(session.execute(select(Category.code, Category.id)
                                          .where(Category.code.in_(CATEGORIES))).all())
        n, total = 0, 24
        for v, village in enumerate(VILLAGES):
            factory = CaseFactory(session, village)
            for k in range(total // len(VILLAGES) if v == 0 else 4):
                kind = dict(kinds[k % len(kinds)] if k < 5 else kinds[k % 3])
                factory.category_id = categories[CATEGORIES[(v + k) % len(CATEGORIES)]]
                n += 1
                case = factory.make(kind.pop("state"), month_start + span * (n / (total + 1)),
                                    **kind)
                case.title = f"研判报告测试案件{n}"
                made_cases.append(str(case.id))
        session.commit()
        session.remove()
    return now


@pytest.fixture
def cleanup_reports(app):
    """Remove the reports and hot-spot runs made during the test (ids above today's)."""
    from govgrid.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        last_report = conn.execute(text("SELECT coalesce(max(id), 0) FROM monthly_reports")
                                   ).scalar_one()
        last_run = conn.execute(text("SELECT coalesce(max(id), 0) FROM analysis_runs")
                                ).scalar_one()
    yield
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(text("DELETE FROM monthly_reports WHERE id > :i"), {"i": last_report})
        conn.execute(text("DELETE FROM analysis_runs WHERE id > :i"), {"i": last_run})


def start_worker(app) -> subprocess.Popen[str]:
    """A real `rq worker --burst` on the tests' Redis and database, in the background."""
    return start_worker_burst(app.config["REDIS_URL"],
                              env={"GOVGRID_FILES_DIR": app.config["FILES_DIR"]})


def print_to_png(page, name: str) -> None:
    """The page printed to an A4 PDF, each sheet rasterised to look at (with poppler)."""
    pdf_path = ARTIFACTS / f"{name}.pdf"
    page.pdf(path=str(pdf_path), format="A4", prefer_css_page_size=True, print_background=True)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf_path), str(ARTIFACTS / name)],
                       check=True, timeout=60)


def test_county_staff_make_a_monthly_report_and_print_it(
        app, page, page_log, login_as, crafted, cleanup_reports, test_redis, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    month = crafted.astimezone(DISPLAY_TZ).strftime("%Y-%m")
    login_as(page, "county.staff", next_path="/reports")
    form = page.locator("#report-request")
    form.locator("select[name=unit]").select_option(BAOKANG)
    form.locator("input[name=month]").fill(month)
    form.locator("button[type=submit]").click()
    row = page.locator("#reports tbody tr[data-id]").first
    row.locator(".report-status[data-status=queued]").wait_for()
    report_id = int(row.get_attribute("data-id"))
    page.screenshot(path=str(ARTIFACTS / "monthly-report-queued.png"))

    worker = start_worker(app)
    try:
        # The page follows the progress by itself: running (with a bar), then done.
        row.locator(".report-status[data-status=done]").wait_for(timeout=240_000)
    finally:
        output, _ = worker.communicate(timeout=240)
    assert worker.returncode == 0, output
    assert row.locator("td").nth(1).inner_text() == month
    page.screenshot(path=str(ARTIFACTS / "monthly-report-list.png"))

    row.locator(".report-links a").first.click()
    page.wait_for_url(f"**/reports/{report_id}")
    report = page.locator("article.report")
    for section in ("indicators", "hotspots", "categories", "cases", "attention", "methods"):
        assert report.locator(f"#{section} h2").count() == 1, section
    assert "保康镇" in report.locator("h1").inner_text()
    assert report.locator("table.indicators tbody tr").count() == 10
    reported = report.locator("table.indicators tr[data-key=reported] td.value").inner_text()
    assert int(reported) == 16  # 12 + 4 cases this month
    overdue = report.locator("table.indicators tr[data-key=overdue] td.value a")
    assert overdue.inner_text() == "2"
    assert overdue.get_attribute("href").startswith("/console?")
    assert report.locator("svg.report-map").count() == 2
    assert report.locator("svg.report-map .cells path").count() > 20
    assert report.locator("#cases table.cases").count() >= 2  # overdue and urgent lists
    page.screenshot(path=str(ARTIFACTS / "monthly-report.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "monthly-report-print.png"), full_page=True)
    assert not page.locator(".topbar").is_visible()
    assert not page.locator("#print-button").is_visible()
    print_to_png(page, "monthly-report-a4")
    page.emulate_media(media="screen")

    with page.expect_download() as download_info:
        page.click("#xlsx-link")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    assert "保康镇" in download.suggested_filename
    saved = tmp_path / "appendix.xlsx"
    download.save_as(saved)
    book = openpyxl.load_workbook(saved)
    assert len(book.sheetnames) == 6
    codes = [r[0] for r in book.worksheets[1].iter_rows(min_row=3, values_only=True)]
    assert codes and all(str(c).startswith("150521100") for c in codes)
    overdue_sheet = book.worksheets[3]
    titles = [r[1] for r in overdue_sheet.iter_rows(min_row=4, values_only=True)]
    assert len(titles) == 2 and all(t.startswith("研判报告测试案件") for t in titles)

    assert page_log.errors == []
    assert page_log.foreign_requests() == []
    time.sleep(0)  # nothing left running: the worker has exited
