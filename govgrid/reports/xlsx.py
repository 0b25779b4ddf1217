"""The report's xlsx appendix: the same content as the HTML, in full (every grid cell, every
listed case up to caselists.APPENDIX_ROWS), as real numbers and dates (exports.xlsx_writer).
No personal data: case id, title, category, village, state and times only."""

from __future__ import annotations

import io
from typing import Any

from flask_babel import gettext as _

from ..cases.messages import STATE_LABELS
from ..exports.table import Column, Table
from ..exports.xlsx_writer import write_xlsx
from ..timestamps import DISPLAY_TZ
from .caselists import CaseList
from .content import Figure, ReportContent
from .labels import hot_classes
from .render import month_text


def _number(figure: Figure | None, kind: str) -> float | None:
    if figure is None or figure.value is None:
        return None
    return figure.value * 100 if kind == "rate" else figure.value


def indicators_table(c: ReportContent) -> Table:
    rows = [{
        "label": row.label, "this": _number(row.this, row.kind),
        "numerator": row.this.numerator, "denominator": row.this.denominator,
        "last": _number(row.last, row.kind), "vs_last": row.vs_last.delta,
        "last_year": _number(row.last_year, row.kind), "vs_last_year": row.vs_last_year.delta,
        "numerator_text": row.numerator_text, "denominator_text": row.denominator_text or "",
    } for row in c.indicators]
    return Table(_("Indicators"), [
        Column("label", _("Indicator")), Column("this", _("This month"), "decimal"),
        Column("numerator", _("Numerator"), "int"),
        Column("denominator", _("Denominator"), "int"),
        Column("last", _("Last month"), "decimal"),
        Column("vs_last", _("Change on last month"), "decimal"),
        Column("last_year", _("Same month last year"), "decimal"),
        Column("vs_last_year", _("Change on last year"), "decimal"),
        Column("numerator_text", _("Numerator counts"), width=50),
        Column("denominator_text", _("Denominator counts"), width=50),
    ], rows, notes=[_("Rates in per cent, their changes in percentage points; counts and "
                      "their changes in per cent."),
                    _("Data as of %(time)s (Beijing time).",
                      time=c.as_of.astimezone(DISPLAY_TZ).strftime("%Y-%m-%d %H:%M"))])


def cells_table(c: ReportContent) -> Table:
    words = hot_classes()
    rows = [{**cell, "hot": words[cell["hot_class"]][1]} for cell in c.hot.cells]
    return Table(_("Grid cells"), [
        Column("code", _("Grid cell"), width=18), Column("name", _("Name")),
        Column("village", _("Village")), Column("cases", _("Cases"), "int"),
        Column("z", _("Gi* z"), "decimal"), Column("q", _("Adjusted p"), "decimal"),
        Column("hot", _("Hot-spot class")), Column("pattern_label", _("Pattern")),
        Column("hot_months", _("Months hot"), "int"),
        Column("repeats", _("Repeat places"), "int"),
        Column("escalated", _("Escalations"), "int"),
        Column("rebounded", _("Rebounds"), "int"), Column("urgent", _("Urgent incidents"), "int"),
        Column("score", _("Risk score"), "decimal"), Column("grade_label", _("Risk grade")),
    ], rows)


def categories_table(c: ReportContent) -> Table:
    rows = [{"code": r.code, "name": r.name, "reported": r.reported,
             "reported_last": r.reported_last, "change": r.change.delta,
             "rate": r.resolution_rate} for r in c.categories]
    return Table(_("Categories"), [
        Column("code", _("Code")), Column("name", _("Category")),
        Column("reported", _("This month"), "int"),
        Column("reported_last", _("Last month"), "int"),
        Column("change", _("Change (%)"), "decimal"),
        Column("rate", _("Resolution rate"), "percent"),
    ], rows)


def cases_table(name: str, cases: CaseList) -> Table:
    rows = [{**row, "state": str(STATE_LABELS.get(row["state"], row["state"])),
             "category": row["category"] or "", "village": row["village"] or ""}
            for row in cases.rows]
    return Table(name, [
        Column("id", _("Case"), width=38), Column("title", _("Title")),
        Column("category", _("Category")), Column("village", _("Village")),
        Column("state", _("State")), Column("reported_at", _("Reported"), "datetime"),
        Column("due_at", _("Due by"), "datetime"),
    ], rows, notes=[_("%(total)d cases.", total=cases.total)])


def tables(c: ReportContent) -> list[Table]:
    return [indicators_table(c), cells_table(c), categories_table(c),
            cases_table(_("Overdue now"), c.overdue),
            cases_table(_("Reopened this month"), c.rebounds),
            cases_table(_("Urgent incidents"), c.urgent)]


def appendix_bytes(c: ReportContent) -> bytes:
    out = io.BytesIO()
    write_xlsx(tables(c), out)
    return out.getvalue()


def filename(c_unit_name: str, month: Any) -> str:
    """保康镇2026-11研判报告附表.xlsx, in the reader's language."""
    return _("%(unit)s %(month)s analysis report appendix", unit=c_unit_name,
             month=month_text(month)).replace(" ", "") + ".xlsx"

