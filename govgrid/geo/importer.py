"""Import surveyed boundaries: validate a whole file in PostGIS, then write all of it or nothing.

The features go into a TEMP table inside the import's transaction; every check (in `checks`)
is one set-based statement against it and the existing units (GiST-indexed), so a county-wide
grid file costs a few dozen statements, not a few per feature. The service owns the
transaction: it commits when the file passes and rolls back otherwise (the temp table goes
with either).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import text
from sqlalchemy.orm import Session

from ..audit.recorder import record
from ..extensions import db
from .checks import TEMP, LevelSpec, code_checks, geometry_checks, spatial_checks
from .counties import find_county_id
from .ltree import child_path
from .problems import Problem, ProblemKind, Severity, problem
from .readers import RawFeature, to_wkb

NAME_MAX = 100  # units.name / grid_cells.name are VARCHAR(100)
# Serialises imports: two files validated against the same parents must not both be written.
LOCK_KEY = "govgrid.geo.import"

LEVELS = {
    "township": LevelSpec("township", "units", "county", "parent_id", 6,
                          r"[0-9]{6}(?!000)[0-9]{3}000"),
    "village": LevelSpec("village", "units", "township", "parent_id", 9,
                         r"[0-9]{6}(?!000)[0-9]{3}(?!000)[0-9]{3}"),
    "grid": LevelSpec("grid", "grid_cells", "village", "village_id", 12,
                      r"[0-9]{6}(?!000)[0-9]{3}(?!000)[0-9]{3}[0-9]{3}"),
}
CELL_KINDS = {"comprehensive": "comprehensive", "综合网格": "comprehensive",
              "综合": "comprehensive", "dedicated": "dedicated", "专属网格": "dedicated",
              "专属": "dedicated"}


@dataclass
class ImportReport:
    level: str
    county_code: str
    feature_count: int
    problems: list[Problem]
    dry_run: bool
    written: bool = False
    inserted: int = 0
    updated: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors

    def of_kind(self, kind: ProblemKind) -> list[Problem]:
        return [p for p in self.problems if p.kind is kind]


def derive_parent_code(code: str, spec: LevelSpec) -> str:
    """The parent's code by the national scheme: the shared prefix padded to 12 digits."""
    return code[: spec.prefix].ljust(12, "0")


def import_boundaries(
    features: Sequence[RawFeature], level: str, county_code: str, repair: bool = False,
    dry_run: bool = False, *, prior_problems: Iterable[Problem] = (),
) -> ImportReport:
    """Check every feature; write them (update by code, insert new) only if nothing failed.

    `prior_problems` are the reader's file-level findings: they count as errors here too, and
    a wrong CRS skips the spatial checks, which would only repeat it once per feature."""
    spec = LEVELS[level]
    prior = list(prior_problems)
    if not features and not any(p.is_error for p in prior):
        prior.append(problem(ProblemKind.unreadable_file, _l("The file contains no features.")))
    report = ImportReport(level, county_code, len(features), list(prior), dry_run)
    session = db.session
    try:
        county_id = find_county_id(session, county_code)
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": LOCK_KEY})
        report.problems += _load(session, features, spec, prior)
        report.problems += geometry_checks(session, repair)
        report.problems += code_checks(session, spec, county_id)
        if any(p.kind is ProblemKind.wrong_crs for p in prior):
            report.problems.append(problem(
                ProblemKind.spatial_checks_skipped, _l(
                    "Containment, overlap and gap checks were skipped until the coordinates "
                    "are WGS 84 degrees."), severity=Severity.warning))
        elif features:
            report.problems += spatial_checks(session, spec)
        if report.errors or dry_run:
            session.rollback()
            return report
        report.inserted, report.updated = _write(session, spec, county_id)
        # The boundaries are written with set-based SQL, which the automatic capture does not
        # see: one entry records the import as a whole.
        record("geo.import", object_type=level, county_id=county_id, summary={
            "features": len(features), "inserted": report.inserted, "updated": report.updated,
            "codes": sorted(f.code for f in features if f.code)[:2000]})
        session.commit()
        report.written = True
        return report
    except Exception:
        session.rollback()
        raise


# --- loading and the checks that need no database -----------------------------------------

def _feature_problems(f: RawFeature, spec: LevelSpec, code_ok: bool) -> list[Problem]:
    found = []
    if f.code is None:
        found.append(problem(ProblemKind.missing_code, _l("The feature has no code."), f.index))
    elif not code_ok:
        found.append(problem(ProblemKind.bad_code, _l(
            "%(code)s is not a %(level)s code (%(digits)s digits of the statistical division "
            "code).", code=f.code, level=spec.level, digits=15 if spec.level == "grid" else 12),
            f.index, f.code))
    elif f.parent_code and f.code[: spec.prefix] != f.parent_code[: spec.prefix]:
        found.append(problem(ProblemKind.parent_mismatch, _l(
            "The code %(code)s does not start with its parent's code %(parent)s.",
            code=f.code, parent=f.parent_code), f.index, f.code, parent_code=f.parent_code))
    if f.name is not None and len(f.name) > NAME_MAX:
        found.append(problem(ProblemKind.bad_name, _l(
            "The name is longer than %(max)s characters.", max=NAME_MAX), f.index, f.code))
    kind = f.properties.get("kind")
    if spec.level == "grid" and kind not in (None, "") and str(kind) not in CELL_KINDS:
        found.append(problem(ProblemKind.bad_kind, _l(
            "Unknown grid cell kind %(kind)s (comprehensive/综合网格 or dedicated/专属网格).",
            kind=kind), f.index, f.code))
    return found


def _load(session: Session, features: Sequence[RawFeature], spec: LevelSpec,
          prior: list[Problem]) -> list[Problem]:
    # first, usable, parent_id, parent_path and existing_id are filled in by `checks`.
    session.execute(text(f"DROP TABLE IF EXISTS pg_temp.{TEMP}"))
    session.execute(text(f"""
        CREATE TEMP TABLE {TEMP} (
            idx integer PRIMARY KEY, code text, code_ok boolean NOT NULL, name text,
            parent_code text, kind text, raw geometry(Geometry, 4326),
            geom geometry(MultiPolygon, 4326), first boolean NOT NULL DEFAULT true,
            usable boolean NOT NULL DEFAULT false, parent_id integer, parent_path text,
            existing_id integer, path text, unreadable boolean NOT NULL
        ) ON COMMIT DROP"""))
    unreadable = {p.index for p in prior if p.kind is ProblemKind.unreadable_geometry}
    problems, rows = [], []
    for f in features:
        code_ok = f.code is not None and re.fullmatch(spec.pattern, f.code) is not None
        problems += _feature_problems(f, spec, code_ok)
        derived = derive_parent_code(f.code, spec) if code_ok and f.code else None
        kind = CELL_KINDS.get(str(f.properties.get("kind"))) if spec.level == "grid" else None
        rows.append({"idx": f.index, "code": f.code, "code_ok": code_ok, "name": f.name,
                     "parent_code": f.parent_code or derived, "kind": kind,
                     "wkb": to_wkb(f.geometry), "unreadable": f.index in unreadable})
    if rows:
        session.execute(text(f"""
            INSERT INTO {TEMP} (idx, code, code_ok, name, parent_code, kind, raw, unreadable)
            VALUES (:idx, :code, :code_ok, :name, :parent_code, :kind,
                    ST_GeomFromWKB(:wkb, 4326), :unreadable)"""), rows)
    return problems


# --- writing ----------------------------------------------------------------------------------

def _write(session: Session, spec: LevelSpec, county_id: int) -> tuple[int, int]:
    """Update existing rows by code (boundary, name, kind; population kept), insert the rest."""
    kind = ", kind = COALESCE(CAST(t.kind AS cell_kind), e.kind)" if spec.level == "grid" else ""
    updated = session.execute(text(f"""
        UPDATE {spec.table} e SET boundary = t.geom, name = COALESCE(t.name, e.name){kind}
        FROM {TEMP} t WHERE e.id = t.existing_id""")).rowcount
    new = session.execute(text(
        f"SELECT idx, code, parent_path FROM {TEMP} WHERE existing_id IS NULL")).all()
    if not new:
        return 0, updated
    session.execute(text(f"UPDATE {TEMP} SET path = :path WHERE idx = :idx"),
                    [{"idx": r.idx, "path": child_path(r.parent_path, r.code)} for r in new])
    if spec.level == "grid":
        session.execute(text(f"""
            INSERT INTO grid_cells (county_id, village_id, code, name, kind, path, boundary,
                                    households, population)
            SELECT :cid, parent_id, code, name, CAST(COALESCE(kind, 'comprehensive') AS cell_kind),
                   CAST(path AS ltree), geom, 0, 0
            FROM {TEMP} WHERE existing_id IS NULL ORDER BY idx"""), {"cid": county_id})
    else:
        session.execute(text(f"""
            INSERT INTO units (county_id, parent_id, level, code, name, path, boundary,
                               population, households)
            SELECT :cid, parent_id, CAST(:lvl AS unit_level), code, name, CAST(path AS ltree),
                   geom, 0, 0
            FROM {TEMP} WHERE existing_id IS NULL ORDER BY idx"""),
            {"cid": county_id, "lvl": spec.level})
    return len(new), updated


__all__ = ["ImportReport", "LEVELS", "derive_parent_code", "import_boundaries"]

