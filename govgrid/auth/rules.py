"""The jurisdiction rule of every scoped model, in one place so it can be read at a glance.

Each rule is SQL that compares a row with the current principal's scope settings (see
scope.py); importing this module registers them, and create_app does so. A model that
returns units, grid cells, people, cases, parties, files or notifications must have a rule
here: the access-matrix test walks every API route to prove it. Subqueries inside rules name
tables, not mapped classes: loader criteria apply to mapped entities only, so a rule's own
subquery is not filtered a second time (which would nest rules inside rules).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, cast, exists, func, or_, select
from sqlalchemy.dialects.postgresql import ARRAY

from ..analysis.models import AnalysisRun, CellResult, PredictionCheck, RiskSetting
from ..assessment.models import AssessmentScheme, MajorEvent, RectificationReport, Sanction
from ..cases.models import Case, CaseAssignment, CaseEvent, Party
from ..cases.records import Agreement, Attachment, MediationSession, MediatorProfile
from ..geo.ltree import LTree
from ..geo.models import GridCell, Unit
from ..notifications.models import Notification
from ..reports.models import MonthlyReport
from ..sla.models import ExtensionRequest, SlaNotice, SupervisionOrder
from ..sla.urgent_models import UrgentClock, UrgentReport
from .models import ApiToken, User, UserGridCell
from .scope import register


def scope_path() -> Any:
    return cast(func.current_setting("govgrid.scope_path", True), LTree())


def scope_user() -> Any:
    return cast(func.nullif(func.current_setting("govgrid.scope_user", True), ""), Integer)


def cells_unlimited() -> ColumnElement[bool]:
    return func.current_setting("govgrid.scope_cells", True) == ""


def scope_cells() -> Any:
    return cast(func.nullif(func.current_setting("govgrid.scope_cells", True), ""),
                ARRAY(Integer))


def unit_rule(cls: Any) -> ColumnElement[bool]:
    """A unit is readable when it lies at or below the principal's unit."""
    return cls.path.descendant_of(scope_path())


def grid_cell_rule(cls: Any) -> ColumnElement[bool]:
    """Cells below the principal's unit; a grid worker only their own cells."""
    return and_(cls.path.descendant_of(scope_path()),
                or_(cells_unlimited(), cls.id == func.any(scope_cells())))


def county_wide_rule(cls: Any) -> ColumnElement[bool]:
    """County-wide rows (an analysis run, its predictive checks' run, the risk settings) are
    read by everyone at or below their county: a township sees the run that coloured its
    cells, never another county's."""
    return or_(cls.path.descendant_of(scope_path()), cls.path.ancestor_of(scope_path()))


def cell_result_rule(cls: Any) -> ColumnElement[bool]:
    """A cell's analysis result is read like the cell."""
    return and_(cls.path.descendant_of(scope_path()),
                or_(cells_unlimited(), cls.grid_cell_id == func.any(scope_cells())))


def run_child_rule(cls: Any) -> ColumnElement[bool]:
    runs = AnalysisRun.__table__.c
    return cls.run_id.in_(select(runs.id).where(county_wide_rule(runs)))


def risk_setting_rule(cls: Any) -> ColumnElement[bool]:
    units = Unit.__table__.c
    return cls.county_id.in_(select(units.id).where(county_wide_rule(units)))


def sanction_child_rule(cls: Any) -> ColumnElement[bool]:
    """Rectification reports are read with their sanction (like its unit)."""
    sanctions = Sanction.__table__.c
    return exists(select(sanctions.id).where(sanctions.id == cls.sanction_id,
                                             unit_rule(sanctions))
                  .correlate_except(Sanction.__table__))


def user_rule(cls: Any) -> ColumnElement[bool]:
    """People are read like the units they belong to: a township sees its own staff and
    those of its villages, never a sibling township's."""
    return cls.unit_id.in_(_units_in_scope())


def _units_in_scope() -> Any:
    units = Unit.__table__.c
    return select(units.id).where(units.path.descendant_of(scope_path()))


def profile_rule(cls: Any) -> ColumnElement[bool]:
    """A mediator's registry entry is read like the mediator."""
    users = User.__table__.c
    return cls.user_id.in_(select(users.id).where(users.unit_id.in_(_units_in_scope())))


def cell_assignment_rule(cls: Any) -> ColumnElement[bool]:
    cells = GridCell.__table__.c
    return cls.grid_cell_id.in_(select(cells.id).where(grid_cell_rule(cells)))


def own_rows_rule(cls: Any) -> ColumnElement[bool]:
    return cls.user_id == scope_user()


def scope_reach() -> Any:
    return func.current_setting("govgrid.scope_reach", True)


def case_rule(cls: Any) -> ColumnElement[bool]:
    """Cases by where they happened (location_path), then by the reader's reach: a centre
    reads its whole subtree; a grid worker the cases in their cells and their own reports;
    mediators and department liaisons the cases assigned to them."""
    in_subtree = cls.location_path.descendant_of(scope_path())
    own_cells = or_(cls.grid_cell_id == func.any(scope_cells()), cls.reporter_id == scope_user())
    assignments = CaseAssignment.__table__.c
    assigned = exists(select(assignments.id).where(
        assignments.case_id == cls.id, assignments.user_id == scope_user(),
        assignments.active.is_(True)))
    return or_(
        and_(scope_reach() == "subtree", in_subtree),
        and_(scope_reach() == "own_cells", in_subtree, own_cells),
        and_(scope_reach() == "assigned", assigned),
    )


def case_child_rule(cls: Any) -> ColumnElement[bool]:
    """Parties, timeline entries and assignments are read with their case. The case rule is
    written out here (not left to propagation into the subquery) so it certainly applies."""
    cases = Case.__table__.c
    # Never correlate `cases` with the enclosing query: a query that joins the case itself
    # (a clock with its case's title) would otherwise leave this subquery with no FROM.
    return exists(select(cases.id).where(cases.id == cls.case_id, case_rule(cases))
                  .correlate_except(Case.__table__))


register(Unit, unit_rule)
register(GridCell, grid_cell_rule)
register(AnalysisRun, county_wide_rule)
register(CellResult, cell_result_rule)
register(PredictionCheck, run_child_rule)
register(RiskSetting, risk_setting_rule)
register(AssessmentScheme, risk_setting_rule)  # county-wide, like the risk settings
register(MajorEvent, unit_rule)  # a township reads its own and its villages' events
register(Sanction, unit_rule)
register(RectificationReport, sanction_child_rule)
register(MonthlyReport, unit_rule)  # a township reads its own report, not the county's
register(User, user_rule)
register(UserGridCell, cell_assignment_rule)
register(ApiToken, own_rows_rule)
register(Case, case_rule)
register(Party, case_child_rule)
register(CaseEvent, case_child_rule)
register(CaseAssignment, case_child_rule)
register(MediationSession, case_child_rule)
register(Agreement, case_child_rule)
register(Attachment, case_child_rule)
register(ExtensionRequest, case_child_rule)
register(SupervisionOrder, case_child_rule)
register(SlaNotice, case_child_rule)
register(MediatorProfile, profile_rule)
register(Notification, own_rows_rule)
register(UrgentClock, case_child_rule)
register(UrgentReport, case_child_rule)
