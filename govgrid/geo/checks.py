"""The set-based PostGIS checks of an import, each one statement over the whole temp table.

`importer` loads the file's features into TEMP; these checks read it together with the
existing units (GiST-indexed) and mark in it which features are usable (valid geometry, known
parent, first of its code), so each later check only looks at features worth checking.

Tolerances: the survey and our boundaries are never bit-identical, so a sliver counts only
when it exceeds both SLIVER_M2 and SLIVER_SHARE of the feature (areas on the spheroid).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import text
from sqlalchemy.orm import Session

from .problems import Problem, ProblemKind, Severity, problem

SLIVER_M2 = 1.0
SLIVER_SHARE = 1e-6
GAP_SHARE = 1e-6
TEMP = "boundary_import"  # created and filled by importer._load, dropped on commit/rollback


@dataclass(frozen=True)
class LevelSpec:
    level: str
    table: str
    parent_level: str
    parent_fk: str  # column of `table` pointing at the parent unit
    prefix: int  # leading digits a code shares with its parent's code
    pattern: str  # a well-formed code (province..township 9 digits are never 000 below)


# --- geometry -----------------------------------------------------------------------------

_POLYGONAL = "raw IS NOT NULL AND NOT ST_IsEmpty(raw) AND GeometryType(raw) IN " \
    "('POLYGON', 'MULTIPOLYGON')"


def geometry_checks(session: Session, repair: bool) -> list[Problem]:
    """Sets TEMP.geom for every polygonal, valid (or, with `repair`, repaired) feature; the
    features left without one are reported here and skipped by the spatial checks."""
    problems = []
    session.execute(text(
        f"UPDATE {TEMP} SET geom = ST_Multi(raw) WHERE {_POLYGONAL} AND ST_IsValid(raw)"))
    rows = session.execute(text(f"""
        SELECT idx, code, GeometryType(raw) AS type,
               CASE WHEN raw IS NULL OR ST_IsEmpty(raw) THEN 'empty'
                    WHEN GeometryType(raw) NOT IN ('POLYGON', 'MULTIPOLYGON') THEN 'other'
                    ELSE ST_IsValidReason(raw) END AS reason
        FROM {TEMP} WHERE geom IS NULL AND NOT unreadable ORDER BY idx""")).all()
    invalid = []
    for r in rows:
        if r.reason == "empty":
            problems.append(problem(ProblemKind.empty_geometry, _l("The geometry is empty."),
                                    r.idx, r.code))
        elif r.reason == "other":
            problems.append(problem(ProblemKind.not_polygon, _l(
                "The geometry is a %(type)s; boundaries must be polygons.", type=r.type),
                r.idx, r.code, type=r.type))
        elif not repair:
            problems.append(problem(ProblemKind.invalid_geometry, _l(
                "The geometry is invalid: %(reason)s (--repair fixes it with ST_MakeValid).",
                reason=r.reason), r.idx, r.code, reason=r.reason))
        else:
            invalid.append(r)
    if invalid:
        # ST_MakeValid may add lines or points where a ring touched itself; keep the areas.
        repaired = dict(session.execute(text(f"""
            WITH fixed AS (
                SELECT idx, ST_Multi(ST_CollectionExtract(ST_MakeValid(raw), 3)) AS g
                FROM {TEMP} WHERE idx = ANY(:ids))
            UPDATE {TEMP} t SET geom = CASE WHEN ST_IsEmpty(fixed.g) THEN NULL ELSE fixed.g END
            FROM fixed WHERE fixed.idx = t.idx RETURNING t.idx, t.geom IS NOT NULL"""),
            {"ids": [r.idx for r in invalid]}).all())
        for r in invalid:
            if repaired[r.idx]:
                problems.append(problem(ProblemKind.repaired, _l(
                    "The invalid geometry (%(reason)s) was repaired with ST_MakeValid.",
                    reason=r.reason), r.idx, r.code, Severity.warning, reason=r.reason))
            else:
                problems.append(problem(ProblemKind.invalid_geometry, _l(
                    "The geometry is invalid (%(reason)s) and nothing is left after repair.",
                    reason=r.reason), r.idx, r.code, reason=r.reason))
    return problems


# --- codes and parents --------------------------------------------------------------------

def code_checks(session: Session, spec: LevelSpec, county_id: int) -> list[Problem]:
    """Codes and parents against the existing units. Run after `geometry_checks`: it sets
    TEMP.parent_id / existing_id and marks `usable` the features the spatial checks take."""
    problems = []

    def q(sql: str, **params: Any) -> Sequence[Any]:
        return session.execute(text(sql), {"cid": county_id, **params}).all()

    for r in q(f"""SELECT code, array_agg(idx ORDER BY idx) AS idxs FROM {TEMP}
                   WHERE code IS NOT NULL GROUP BY code HAVING count(*) > 1 ORDER BY min(idx)"""):
        problems.append(problem(ProblemKind.duplicate_code, _l(
            "The code %(code)s occurs %(n)s times (features %(indexes)s).", code=r.code,
            n=len(r.idxs), indexes=", ".join(map(str, r.idxs))), r.idxs[1], r.code,
            indexes=r.idxs))
    session.execute(text(f"""
        UPDATE {TEMP} t SET first = false FROM (
            SELECT idx, row_number() OVER (PARTITION BY code ORDER BY idx) AS n
            FROM {TEMP} WHERE code IS NOT NULL) d
        WHERE d.idx = t.idx AND d.n > 1"""))
    session.execute(text(f"""
        UPDATE {TEMP} t SET parent_id = p.id, parent_path = p.path::text FROM units p
        WHERE p.code = t.parent_code AND p.level = CAST(:lvl AS unit_level)
          AND p.county_id = :cid"""), {"lvl": spec.parent_level, "cid": county_id})
    for r in q(f"""SELECT idx, code, parent_code FROM {TEMP}
                   WHERE parent_id IS NULL AND parent_code IS NOT NULL ORDER BY idx"""):
        problems.append(problem(ProblemKind.unknown_parent, _l(
            "The parent %(parent)s is not a %(level)s of this county.", parent=r.parent_code,
            level=spec.parent_level), r.idx, r.code, parent_code=r.parent_code))
    session.execute(text(f"UPDATE {TEMP} t SET existing_id = e.id FROM {spec.table} e "
                         "WHERE e.code = t.code"))
    for r in q(f"""SELECT t.idx, t.code, ep.code AS was FROM {TEMP} t
                   JOIN {spec.table} e ON e.id = t.existing_id
                   JOIN units ep ON ep.id = e.{spec.parent_fk}
                   WHERE t.first AND t.parent_id IS NOT NULL
                     AND (e.county_id <> :cid OR e.{spec.parent_fk} <> t.parent_id)
                   ORDER BY t.idx"""):
        problems.append(problem(ProblemKind.code_conflict, _l(
            "%(code)s already exists under %(was)s; an import does not move units to another "
            "parent.", code=r.code, was=r.was), r.idx, r.code, existing_parent=r.was))
    for r in q(f"""SELECT idx, code FROM {TEMP} WHERE name IS NULL AND existing_id IS NULL
                   AND code IS NOT NULL ORDER BY idx"""):
        problems.append(problem(ProblemKind.bad_name, _l("A new unit needs a name."), r.idx,
                                r.code))
    # A file replaces the whole subdivision of each parent it touches: an existing child left
    # out would keep its old boundary under, or over, the new ones.
    for r in q(f"""SELECT e.code, e.name, p.code AS parent FROM {spec.table} e
                   JOIN units p ON p.id = e.{spec.parent_fk}
                   WHERE e.{spec.parent_fk} IN (SELECT parent_id FROM {TEMP})
                     AND NOT EXISTS (SELECT 1 FROM {TEMP} t WHERE t.code = e.code)
                   ORDER BY e.code"""):
        problems.append(problem(ProblemKind.missing_sibling, _l(
            "%(code)s %(name)s exists under %(parent)s but is not in the file; a file must "
            "hold every child of each parent it covers.", code=r.code, name=r.name,
            parent=r.parent), None, r.code, parent_code=r.parent))
    uncovered = [r.code for r in q(f"""
        SELECT code FROM units p WHERE p.county_id = :cid AND p.level = CAST(:lvl AS unit_level)
          AND NOT EXISTS (SELECT 1 FROM {TEMP} t WHERE t.parent_id = p.id) ORDER BY code""",
        lvl=spec.parent_level)]
    covers_any = q(f"SELECT 1 FROM {TEMP} WHERE parent_id IS NOT NULL LIMIT 1")
    if uncovered and covers_any:  # with no parent covered, the errors say why
        problems.append(problem(ProblemKind.parents_not_covered, _l(
            "%(n)s %(level)s units have no features in this file and were not checked for "
            "gaps: %(codes)s", n=len(uncovered), level=spec.parent_level,
            codes=", ".join(uncovered[:20]) + (" …" if len(uncovered) > 20 else "")),
            severity=Severity.warning, codes=uncovered))
    session.execute(text(f"""UPDATE {TEMP} SET usable = true WHERE geom IS NOT NULL
                             AND parent_id IS NOT NULL AND first AND code_ok"""))
    return problems


# --- containment, overlaps, gaps ------------------------------------------------------------

def _lonlat(x: float | None, y: float | None) -> list[float] | None:
    return None if x is None else [round(x, 7), round(y or 0.0, 7)]


def spatial_checks(session: Session, spec: LevelSpec) -> list[Problem]:
    """Containment in the parent, overlaps, gaps: only over the `usable` features, so a
    broken feature is reported once, not again as every overlap or gap it causes."""
    session.execute(text(f"CREATE INDEX ON {TEMP} USING gist (geom)"))
    session.execute(text(f"ANALYZE {TEMP}"))
    tol = {"abs": SLIVER_M2, "rel": SLIVER_SHARE, "gap": GAP_SHARE}
    q = lambda sql: session.execute(text(sql), tol).all()  # noqa: E731
    problems = []
    for r in q(f"""
        WITH pairs AS MATERIALIZED (
            SELECT t.idx, t.code, p.code AS parent, ST_Difference(t.geom, p.boundary) AS g,
                   ST_Area(t.geom::geography) AS area
            FROM {TEMP} t JOIN units p ON p.id = t.parent_id
            WHERE t.usable AND NOT ST_CoveredBy(t.geom, p.boundary))
        SELECT idx, code, parent, m2, area, ST_X(pt) AS x, ST_Y(pt) AS y FROM (
            SELECT *, ST_Area(g::geography) AS m2, ST_PointOnSurface(g) AS pt FROM pairs) s
        WHERE m2 > GREATEST(:abs, :rel * area) ORDER BY idx"""):
        problems.append(problem(ProblemKind.outside_parent, _l(
            "%(m2)s m² (%(share)s%%) of the feature lies outside its parent %(parent)s, e.g. "
            "near %(at)s.", m2=round(r.m2, 1), share=round(100 * r.m2 / r.area, 2),
            parent=r.parent, at=_lonlat(r.x, r.y)), r.idx, r.code, parent_code=r.parent,
            outside_m2=r.m2, at=_lonlat(r.x, r.y)))
    for r in q(f"""
        WITH pairs AS MATERIALIZED (
            SELECT a.idx, a.code, b.idx AS other_idx, b.code AS other,
                   ST_Intersection(a.geom, b.geom) AS g
            FROM {TEMP} a JOIN {TEMP} b ON a.idx < b.idx AND ST_Intersects(a.geom, b.geom)
            WHERE a.usable AND b.usable)
        SELECT idx, code, other_idx, other, m2, ST_X(pt) AS x, ST_Y(pt) AS y FROM (
            SELECT *, ST_Area(g::geography) AS m2, ST_PointOnSurface(g) AS pt FROM pairs) s
        WHERE m2 > :abs ORDER BY idx, other_idx"""):
        problems.append(problem(ProblemKind.overlap, _l(
            "Overlaps %(other)s (feature %(other_idx)s) by %(m2)s m², e.g. near %(at)s.",
            other=r.other, other_idx=r.other_idx, m2=round(r.m2, 1), at=_lonlat(r.x, r.y)),
            r.idx, r.code, other_code=r.other, other_index=r.other_idx, overlap_m2=r.m2,
            at=_lonlat(r.x, r.y)))
    # Only parents whose features all passed the checks above: a gap where an invalid
    # feature was left out would only repeat that error.
    for r in q(f"""
        WITH kids AS MATERIALIZED (
            SELECT parent_id, ST_Union(geom) AS u FROM {TEMP} WHERE parent_id IS NOT NULL
            GROUP BY parent_id HAVING bool_and(usable)),
        gaps AS MATERIALIZED (
            SELECT p.code, ST_Area(p.boundary::geography) AS area,
                   ST_Difference(p.boundary, k.u) AS g
            FROM kids k JOIN units p ON p.id = k.parent_id)
        SELECT code, area, m2, ST_X(pt) AS x, ST_Y(pt) AS y FROM (
            SELECT code, area, ST_Area(g::geography) AS m2,
                   (SELECT ST_PointOnSurface(d.geom) FROM ST_Dump(g) d
                    ORDER BY ST_Area(d.geom) DESC LIMIT 1) AS pt FROM gaps) s
        WHERE m2 > :gap * area ORDER BY code"""):
        problems.append(problem(ProblemKind.gap, _l(
            "The features under %(parent)s leave %(m2)s m² of it uncovered, largest gap near "
            "%(at)s.", parent=r.code, m2=round(r.m2, 1), at=_lonlat(r.x, r.y)), None, r.code,
            gap_m2=r.m2, at=_lonlat(r.x, r.y)))
    if spec.level != "grid":
        problems += _children_outside(session, spec, tol)
    return problems


def _children_outside(session: Session, spec: LevelSpec, tol: dict[str, float]) -> list[Problem]:
    """A new township boundary may leave its existing villages (or a village its cells)
    outside; import the children next. A warning, or parents could never move first."""
    table, fk = ("units", "parent_id") if spec.level == "township" else ("grid_cells",
                                                                         "village_id")
    rows = session.execute(text(f"""
        WITH pairs AS MATERIALIZED (
            SELECT t.idx, t.code, c.code AS child, c.boundary AS cb, t.geom
            FROM {TEMP} t JOIN {table} c ON c.{fk} = t.existing_id
            WHERE t.usable AND NOT ST_CoveredBy(c.boundary, t.geom))
        SELECT idx, code, array_agg(child ORDER BY child) AS children FROM pairs
        WHERE ST_Area(ST_Difference(cb, geom)::geography)
              > GREATEST(:abs, :rel * ST_Area(cb::geography))
        GROUP BY idx, code ORDER BY idx"""), tol).all()
    return [problem(ProblemKind.children_outside, _l(
        "The new boundary leaves these existing children partly outside; import them next: "
        "%(children)s", children=", ".join(r.children)), r.idx, r.code, Severity.warning,
        children=r.children) for r in rows]


__all__ = ["GAP_SHARE", "SLIVER_M2", "SLIVER_SHARE", "TEMP", "LevelSpec", "code_checks",
           "geometry_checks", "spatial_checks"]
