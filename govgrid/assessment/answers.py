"""The assessment API's answers: rows as the response schemas' dicts, with their units'
codes and names read in one statement per list."""

from __future__ import annotations

from typing import Any

from .events import unit_labels
from .models import AssessmentScheme, MajorEvent, Sanction
from .rectifications import reports_of

EVENT_FIELDS = ("id", "kind", "severity", "occurred_at", "title", "summary", "deaths",
                "injuries", "people_involved", "case_id", "reported_late", "concealed",
                "recorded_by", "version", "created_at", "updated_at")
SANCTION_FIELDS = ("id", "step", "state", "trigger", "params", "evidence", "factors",
                   "reason", "proposed_by", "proposed_at", "decided_by", "decided_at",
                   "confirmed_at", "deadline", "disqualified_until", "rectified_at",
                   "superseded_by_id", "version")
SCHEME_FIELDS = ("id", "year", "version", "revision", "status", "note", "data", "created_by",
                 "created_at", "updated_at", "activated_at")


def _unit(labels: dict[int, tuple[str, str, str]], unit_id: int) -> dict[str, str]:
    code, name, level = labels.get(unit_id, ("", "", ""))
    return {"code": code, "name": name, "level": level}


def event_answers(rows: list[MajorEvent]) -> list[dict[str, Any]]:
    labels = unit_labels({row.unit_id for row in rows})
    return [{**{name: getattr(row, name) for name in EVENT_FIELDS},
             "unit": _unit(labels, row.unit_id)} for row in rows]


def sanction_answers(rows: list[Sanction], with_reports: bool = False
                     ) -> list[dict[str, Any]]:
    labels = unit_labels({row.unit_id for row in rows})
    return [{**{name: getattr(row, name) for name in SANCTION_FIELDS},
             "unit": _unit(labels, row.unit_id),
             "rectifications": reports_of(row.id) if with_reports else []} for row in rows]


def sanction_answer(row: Sanction) -> dict[str, Any]:
    return sanction_answers([row], with_reports=True)[0]


def scheme_answer(row: AssessmentScheme) -> dict[str, Any]:
    return {name: getattr(row, name) for name in SCHEME_FIELDS}
