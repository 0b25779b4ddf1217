"""The report as HTML: the stored body of the A4 page (templates/reports/report_body.html),
rendered once by the job from a ReportContent and kept as generated.

Rendered inside a request context of its own, so links (the console with a figure's
case-list filter, a case's page) are built by url_for as on any page, relative to the site,
and the words come from the deployment's default language (the job has no reader)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import gettext as _

from ..cases.messages import STATE_LABELS
from ..timestamps import DISPLAY_TZ
from .compare import Change
from .content import Figure, IndicatorRow, ReportContent


def month_text(month: dt.date) -> str:
    return _("%(year)d-%(month)02d", year=month.year, month=month.month)


def title(unit_name: str, month: dt.date) -> str:
    return _("%(unit)s %(month)s social governance analysis report", unit=unit_name,
             month=month_text(month))


def value_text(figure: Figure | None, kind: str) -> str:
    if figure is None or figure.value is None:
        return "—"
    if kind == "rate":
        return f"{figure.value * 100:.1f}%"
    return f"{int(figure.value)}"


def change_text(c: Change, kind: str) -> str:
    if c.delta is None:
        return "—"
    sign = "+" if c.delta > 0 else ("−" if c.delta < 0 else "±")
    if kind == "rate":
        return _("%(arrow)s %(sign)s%(delta).1f pp", arrow=c.arrow, sign=sign,
                 delta=abs(c.delta))
    return _("%(arrow)s %(sign)s%(delta).1f%%", arrow=c.arrow, sign=sign, delta=abs(c.delta))


def console_url(query: dict[str, str] | None) -> str | None:
    return url_for("console.queue_page", **query) if query else None


def local_time(moment: dt.datetime | None, with_time: bool = True) -> str:
    if moment is None:
        return ""
    shown = moment.astimezone(DISPLAY_TZ)
    return shown.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def fraction_text(row: IndicatorRow) -> str:
    f = row.this
    if f.denominator is None:
        return ""
    return f"{f.numerator}/{f.denominator}"


def helpers() -> dict[str, Any]:
    return {"value_text": value_text, "change_text": change_text, "console_url": console_url,
            "local_time": local_time, "fraction_text": fraction_text,
            "month_text": month_text,
            "state_label": lambda state: str(STATE_LABELS.get(state, state)),
            "case_url": lambda case_id: url_for("cases_pages.case_page", case_id=case_id)}


def render_html(content: ReportContent, report_id: int) -> str:
    with current_app.test_request_context("/reports"):
        return render_template("reports/report_body.html", c=content, report_id=report_id,
                               title=title(content.unit.name, content.month), **helpers())
