"""Cases written straight into the database with exactly the facts an indicator reads
(state, outcome, holder, clocks, rebounds), for the statistics tests: going through the
workflow would take dozens of requests per case and could not put a case in the past."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select

from govgrid.auth.scope import unscoped
from govgrid.cases.models import Case, CaseEvent, Category
from govgrid.cases.vocabulary import Severity, Source
from govgrid.cases.workflow import CaseState, Level
from govgrid.geo.models import GridCell, Unit
from govgrid.timestamps import DISPLAY_TZ

BAONAN = "150521100201"  # 保南村, 保康镇


def local(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    """An instant given in Asia/Shanghai wall-clock time."""
    return dt.datetime(year, month, day, hour, tzinfo=DISPLAY_TZ)


class CaseFactory:
    """make(state, reported_at, **facts) -> Case in a grid cell of one village."""

    def __init__(self, session: Any, village_code: str = BAONAN, cell_index: int = 0) -> None:
        # Plain values, not ORM objects: a test client's request ends the session they were
        # loaded in, and the factory outlives requests.
        self.session = session
        options = unscoped()
        village = session.execute(select(Unit.id, Unit.parent_id, Unit.county_id)
                                  .where(Unit.code == village_code)
                                  .execution_options(**options)).one()
        cell = session.execute(select(GridCell.id, GridCell.path,
                                      GridCell.boundary.ST_PointOnSurface().label("point"))
                               .where(GridCell.village_id == village.id)
                               .order_by(GridCell.code).offset(cell_index).limit(1)
                               .execution_options(**options)).one()
        self.village_id, self.township_id, self.county_id = village
        self.cell_id, self.cell_path, self.point = cell.id, cell.path, cell.point
        self.category_id = session.execute(select(Category.id).where(Category.code == "0201")
                                           .execution_options(**options)).scalar_one()

    def make(self, state: CaseState, reported_at: dt.datetime | None, *,
             owner_level: Level = Level.village, **facts: Any) -> Case:
        owner = {Level.village: self.village_id, Level.township: self.township_id,
                 Level.county: self.county_id}[owner_level]
        case = Case(
            id=uuid.uuid4(), county_id=self.county_id, township_id=self.township_id,
            village_id=self.village_id, grid_cell_id=self.cell_id,
            location_path=self.cell_path, owner_unit_id=owner, owner_level=owner_level,
            point=self.point, category_id=self.category_id, severity=Severity.general,
            source=Source.grid_worker, title="统计测试", description="", state=state,
            reported_at=reported_at, **facts)
        self.session.add(case)
        self.session.flush()
        return case

    def visit(self, case: Case, at: dt.datetime, satisfied: bool | None) -> None:
        """A follow-up visit (回访) on the case's timeline."""
        payload = {} if satisfied is None else {"satisfied": satisfied}
        self.session.add(CaseEvent(county_id=self.county_id, case_id=case.id,
                                   action="follow_up", from_state="resolved",
                                   to_state="closed" if satisfied else "accepted", at=at,
                                   payload=payload))
        self.session.flush()
