"""The dashboard's answers as export tables (xlsx / CSV with Chinese headers): the ranking of
the places one level down, with each rate's numerator and denominator beside it so the file
can be checked by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _

from ..exports.table import DISPLAY_TZ, Column, Table
from . import labels
from .indicators import INDICATORS, Kind


def ranking_table(answer: dict[str, Any]) -> Table:
    place = answer["place"]
    columns = [Column("rank", _("Rank"), "int", 6), Column("code", _("Code"), "text", 16),
               Column("name", _("Name"), "text", 18)]
    for indicator in INDICATORS:
        label = labels.name(indicator.key)
        if indicator.kind is Kind.rate:
            columns += [Column(indicator.key, label, "percent", 14),
                        Column(f"{indicator.key}.n", _("%(what)s: numerator", what=label),
                               "int"),
                        Column(f"{indicator.key}.d", _("%(what)s: denominator", what=label),
                               "int")]
        else:
            columns.append(Column(indicator.key, label, "int", 12))
    rows = []
    for row in answer["rows"]:
        out: dict[str, Any] = {"rank": row["rank"], "code": row["place"]["code"],
                               "name": row["place"]["name"]}
        for figure in row["indicators"]:
            out[figure["key"]] = figure["value"]
            out[f"{figure['key']}.n"] = figure["numerator"]
            out[f"{figure['key']}.d"] = figure["denominator"]
        rows.append(out)
    notes = [_("Period: %(first)s to %(last)s (Asia/Shanghai), reported cases as they stand "
               "at %(as_of)s.", first=answer["first"], last=answer["last"],
               as_of=_local(answer["as_of"]))]
    for indicator in INDICATORS:
        below = labels.denominator_text(indicator.key)
        notes.append(f"{labels.name(indicator.key)}: {labels.numerator_text(indicator.key)}"
                     + (f" ÷ {below}" if below else ""))
    return Table(title=_("Indicators of the units of %(place)s", place=place["name"]),
                 columns=columns, rows=rows, notes=notes)


def _local(instant: str) -> str:
    """An ISO instant as Asia/Shanghai wall-clock time, to the minute."""
    return dt.datetime.fromisoformat(instant).astimezone(DISPLAY_TZ).strftime("%Y-%m-%d %H:%M")
