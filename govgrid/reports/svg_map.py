"""Maps for a printed report: the grid cells of a county or township as inline SVG.

No tile server is reachable from a report (it is printed, archived, opened years later), so
the map is drawn from our own boundaries: PostGIS scales each cell into a frame 1,000 units
wide (longitude shrunk by the cosine of the middle latitude, so the shapes keep their
proportions at these latitudes), simplifies it by a fraction of a unit and writes it as an
SVG path (ST_AsSVG, which also turns y downwards). The places one level down (townships of
a county, villages of a township) are drawn over the cells as outlines with their names.
Colouring is pure (`draw`): one geometry query serves every map of the report.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from sqlalchemy import func, literal, select

from ..extensions import db
from ..geo.ltree import LTree
from ..geo.models import GridCell, Unit

WIDTH = 1000.0
SIMPLIFY = 0.4  # frame units: under half a pixel when printed 17 cm wide
NO_DATA = "#f2f2f2"


@dataclass(frozen=True)
class Outline:
    name: str
    d: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Shapes:
    width: float
    height: float
    cells: dict[int, str]  # grid cell id -> SVG path data
    outlines: list[Outline]


@dataclass(frozen=True)
class LegendItem:
    colour: str
    label: str
    count: int | None = None


def shapes(path: str, child_parent_id: int) -> Shapes:
    """The cells under the unit with `path`, and the outlines of the units whose parent is
    `child_parent_id` (the report's unit), in one frame. Two statements."""
    under = GridCell.path.descendant_of(literal(path, LTree()))
    extent = func.ST_Extent(GridCell.boundary)
    box = db.session.execute(select(func.ST_XMin(extent), func.ST_YMin(extent),
                                    func.ST_XMax(extent), func.ST_YMax(extent)).where(under)).one()
    if box[0] is None:
        return Shapes(WIDTH, WIDTH / 2, {}, [])
    xmin, ymin, xmax, ymax = (float(v) for v in box)
    ky = WIDTH / max((xmax - xmin) * math.cos(math.radians((ymin + ymax) / 2)), 1e-9)
    kx = ky * math.cos(math.radians((ymin + ymax) / 2))
    height = (ymax - ymin) * ky

    def frame(geometry):  # type: ignore[no-untyped-def]
        return func.ST_Affine(geometry, kx, 0.0, 0.0, ky, -xmin * kx, -ymax * ky)

    def svg(geometry):  # type: ignore[no-untyped-def]
        return func.ST_AsSVG(func.ST_SimplifyPreserveTopology(frame(geometry), SIMPLIFY), 0, 1)

    cells = dict(db.session.execute(
        select(GridCell.id, svg(GridCell.boundary)).where(under)).all())
    label = frame(func.ST_PointOnSurface(Unit.boundary))
    outlines = [Outline(name, d, float(x), -float(y)) for name, d, x, y in db.session.execute(
        select(Unit.name, svg(Unit.boundary), func.ST_X(label), func.ST_Y(label))
        .where(Unit.parent_id == child_parent_id).order_by(Unit.code))]
    return Shapes(WIDTH, height, cells, outlines)


def draw(shapes: Shapes, fills: Mapping[int, str], title: str) -> str:
    """An <svg> of the cells filled with `fills` (cell id -> colour; NO_DATA for the rest),
    the outlines and their names. Pure. The legend is the page's (legend()), in HTML, so
    it prints at the text's size however small the map is drawn."""
    w, h = shapes.width, shapes.height
    font = max(w / 48, 9.0)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="report-map" role="img" '
             f'viewBox="0 0 {w:.0f} {h:.0f}" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>",
             '<g class="cells" stroke="#ffffff" stroke-width="0.8">']
    for cell_id, d in shapes.cells.items():
        parts.append(f'<path d="{d}" fill="{fills.get(cell_id, NO_DATA)}"/>')
    parts.append('</g><g class="outlines" fill="none" stroke="#333333" stroke-width="1.8">')
    parts.extend(f'<path d="{o.d}"/>' for o in shapes.outlines)
    parts.append(f'</g><g class="names" font-size="{font:.0f}" text-anchor="middle" '
                 'fill="#222222" stroke="#ffffff" stroke-width="3" paint-order="stroke">')
    parts.extend(f'<text x="{o.label_x:.1f}" y="{o.label_y:.1f}">{escape(o.name)}</text>'
                 for o in shapes.outlines)
    parts.append("</g></svg>")
    return "".join(parts)


def legend(items: Sequence[LegendItem]) -> str:
    """The map's legend as an HTML list (swatch, words, count)."""
    out = ['<ul class="map-legend">']
    for item in items:
        count = "" if item.count is None else f" <span class=\"count\">{item.count}</span>"
        out.append(f'<li><span class="swatch" style="background:{item.colour}"></span>'
                   f"{escape(item.label)}{count}</li>")
    out.append("</ul>")
    return "".join(out)
