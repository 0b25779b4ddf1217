"""The hot-spot part of a report: the cells of the report's unit in the county's hot-spot
run of the month (analysis.models.CellResult), the emerging hot spots, the cells needing
attention, and the two maps (Gi* class, risk grade). One statement for the cells, two for
the shapes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import literal, select

from ..analysis.labels import GRADE_COLOURS, HOT_COLOURS
from ..analysis.models import AnalysisRun, CellResult
from ..analysis.risk import from_data
from ..extensions import db
from ..geo.ltree import LTree
from ..geo.models import GridCell, Unit
from ..stats.places import Place
from . import svg_map
from .labels import explain, grade_label, grades, hot_classes, pattern_label

ATTENTION_GRADES = ("red", "orange")
EMERGING = ("new", "consecutive", "intensifying")  # the rising hot spots (analysis.risk.RISING)
MAX_ROWS = 50  # a printed table beyond this is an appendix's job (the xlsx has every cell)


@dataclass
class HotSpots:
    cells: list[dict[str, Any]] = field(default_factory=list)
    class_counts: dict[int, int] = field(default_factory=dict)
    grade_counts: dict[str, int] = field(default_factory=dict)
    emerging: list[dict[str, Any]] = field(default_factory=list)
    attention: list[dict[str, Any]] = field(default_factory=list)
    hot_map: str = ""
    grade_map: str = ""
    hot_legend: str = ""
    grade_legend: str = ""

    @property
    def hot_cells(self) -> int:
        return sum(n for k, n in self.class_counts.items() if k > 0)


def cell_rows(run_id: int, path: str) -> list[dict[str, Any]]:
    village = Unit.__table__.alias("report_village")
    rows = db.session.execute(
        select(CellResult.grid_cell_id, GridCell.code, GridCell.name,
               village.c.name.label("village"), CellResult.cases, CellResult.z,
               CellResult.q, CellResult.hot_class, CellResult.pattern,
               CellResult.pattern_side, CellResult.hot_months, CellResult.repeats,
               CellResult.escalated, CellResult.rebounded, CellResult.urgent,
               CellResult.score, CellResult.grade)
        .join(GridCell, GridCell.id == CellResult.grid_cell_id)
        .join(village, village.c.id == GridCell.village_id)
        .where(CellResult.run_id == run_id,
               CellResult.path.descendant_of(literal(path, LTree())))
        .order_by(GridCell.code)).mappings().all()
    out = []
    for row in rows:
        cell = dict(row)
        cell["pattern_label"] = (pattern_label(cell["pattern"], cell["pattern_side"])
                                 if cell["pattern"] != "none" else "")
        cell["grade_label"] = grade_label(cell["grade"])
        out.append(cell)
    return out


def gather(run: AnalysisRun, place: Place) -> HotSpots:
    cells = cell_rows(run.id, place.path)
    spots = HotSpots(cells=cells)
    spots.class_counts = dict(Counter(c["hot_class"] for c in cells))
    spots.grade_counts = dict(Counter(c["grade"] for c in cells))
    order = {p: i for i, p in enumerate(EMERGING)}
    spots.emerging = sorted(
        (c for c in cells if c["pattern_side"] > 0 and c["pattern"] in order),
        key=lambda c: (order[c["pattern"]], -(c["z"] or 0.0), c["code"]))[:MAX_ROWS]
    weights = dict(from_data(run.settings or {}).weights)
    spots.attention = [
        {**c, "facts": explain(c, weights)}
        for c in sorted((c for c in cells if c["grade"] in ATTENTION_GRADES),
                        key=lambda c: (-c["score"], c["code"]))[:MAX_ROWS]]
    shapes = svg_map.shapes(place.path, place.id)
    spots.hot_map = svg_map.draw(
        shapes, {c["grid_cell_id"]: HOT_COLOURS[c["hot_class"]] for c in cells},
        _("Hot spots (Getis-Ord Gi*) of %(name)s", name=place.name))
    spots.hot_legend = svg_map.legend(
        [svg_map.LegendItem(colour, str(label), spots.class_counts.get(k, 0))
         for k, (colour, label) in hot_classes().items()])
    spots.grade_map = svg_map.draw(
        shapes, {c["grid_cell_id"]: GRADE_COLOURS[c["grade"]] for c in cells
                 if c["grade"] in GRADE_COLOURS},
        _("Risk grades of %(name)s", name=place.name))
    spots.grade_legend = svg_map.legend(
        [svg_map.LegendItem(colour, str(label), spots.grade_counts.get(k, 0))
         for k, (colour, label) in grades().items()])
    return spots
