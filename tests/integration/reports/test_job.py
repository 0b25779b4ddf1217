"""The report job, run inline on crafted cases: the analysis it needs is run first, the
figures, maps and lists are stored as HTML and the appendix as a blob, with progress."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import select

from govgrid.analysis.models import AnalysisRun, RunKind
from govgrid.auth.principal import SYSTEM, acting_as
from govgrid.reports.job import generate_report
from govgrid.reports.models import MonthlyReport
from govgrid.reports.service import queue_report, xlsx_file
from govgrid.timestamps import frozen_at

from .conftest import JUNE, NOW

BAOKANG = "150521100000"


def _township_id(db_session):
    from govgrid.auth.scope import unscoped
    from govgrid.geo.models import Unit

    return db_session.execute(select(Unit.id).where(Unit.code == BAOKANG)
                              .execution_options(**unscoped())).scalar_one()


def test_a_township_report_is_generated_with_its_analysis(app, crafted, db_session, tmp_path):
    app.config["FILES_DIR"] = str(tmp_path)
    with app.app_context(), acting_as(SYSTEM), frozen_at(NOW):
        report = queue_report(_township_id(db_session), JUNE)
        assert report.status == "queued"
        assert generate_report(report.id) == "done"
        assert generate_report(report.id) == "skipped"
        db_session.expire_all()
        report = db_session.get(MonthlyReport, report.id)
        runs = db_session.execute(select(AnalysisRun).where(
            AnalysisRun.kind == RunKind.hotspots, AnalysisRun.month == JUNE)).scalars().all()
        path = xlsx_file(report)
    assert report.status == "done" and report.progress == 100 and report.stage == "done"
    assert len(runs) == 1 and runs[0].status == "done"  # made for the report, inline
    html = report.html
    for section in ("indicators", "hotspots", "categories", "cases", "attention", "methods"):
        assert f'id="{section}"' in html
    assert html.count("<svg") == 2 and 'class="cells"' in html
    assert crafted.ids["urgent"][:8] in html and crafted.ids["overdue"][:8] in html
    assert crafted.ids["reopened"][:8] in html
    assert "/console?" in html and "metric=resolved" in html
    assert "保康镇" in html and "2031" in html
    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
    assert len(book.sheetnames) == 6
    cells = book.worksheets[1]
    codes = [row[0] for row in cells.iter_rows(min_row=3, values_only=True)]
    assert len(codes) > 10 and all(str(c).startswith("150521100") for c in codes)
    assert report.xlsx_size == path.stat().st_size


def test_a_failing_report_shows_its_error(app, crafted, db_session, monkeypatch, tmp_path):
    import govgrid.reports.content as content

    def broken(*args, **kwargs):
        raise RuntimeError("ink ran out")

    app.config["FILES_DIR"] = str(tmp_path)
    monkeypatch.setattr(content, "category_rows", broken)
    with app.app_context(), acting_as(SYSTEM), frozen_at(NOW):
        report = queue_report(_township_id(db_session), JUNE)
        with pytest.raises(RuntimeError):
            generate_report(report.id)
        db_session.expire_all()
        report = db_session.get(MonthlyReport, report.id)
    assert report.status == "failed" and "ink ran out" in report.error
    assert report.html is None and report.xlsx_sha256 is None
