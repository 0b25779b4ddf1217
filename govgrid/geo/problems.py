"""What a boundary import found wrong: one `Problem` per finding, of a `ProblemKind`.

The readers report file-level problems (unreadable file, wrong CRS), the importer and its
checks per-feature and map problems; sharing these types lets the CLI print them all as one
report grouped by kind.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.StrEnum):
    error = "error"  # the file is refused
    warning = "warning"  # reported; does not stop the import


class ProblemKind(enum.StrEnum):
    # File level (readers)
    unreadable_file = "unreadable_file"
    missing_field = "missing_field"
    wrong_crs = "wrong_crs"
    crs_note = "crs_note"
    unreadable_geometry = "unreadable_geometry"
    # Per feature (importer)
    empty_geometry = "empty_geometry"
    not_polygon = "not_polygon"
    invalid_geometry = "invalid_geometry"
    repaired = "repaired"
    missing_code = "missing_code"
    bad_code = "bad_code"
    duplicate_code = "duplicate_code"
    bad_name = "bad_name"
    bad_kind = "bad_kind"
    unknown_parent = "unknown_parent"
    parent_mismatch = "parent_mismatch"
    code_conflict = "code_conflict"
    outside_parent = "outside_parent"
    overlap = "overlap"
    gap = "gap"
    missing_sibling = "missing_sibling"
    children_outside = "children_outside"
    parents_not_covered = "parents_not_covered"
    spatial_checks_skipped = "spatial_checks_skipped"


@dataclass(frozen=True)
class Problem:
    """One finding about the file. `index` is the 0-based feature number in the file."""

    kind: ProblemKind
    severity: Severity
    message: object  # a lazy string: rendered in whatever locale is active when printed
    index: int | None = None
    code: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.error


def problem(kind: ProblemKind, message: object, index: int | None = None,
            code: str | None = None, severity: Severity = Severity.error,
            **details: Any) -> Problem:
    """A `Problem`, an error unless said otherwise; the checks pass their details as keywords."""
    return Problem(kind, severity, message, index, code, details)
