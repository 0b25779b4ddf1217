"""Fixtures for jurisdiction tests: a second county, and units around each demo user."""

import pytest
from shapely.geometry import MultiPolygon, box


@pytest.fixture
def other_county(db_session):
    """A second county (科尔沁左翼后旗, 150522) with one township, village, cell and user,
    far from the demo county. Lives only in the test's transaction."""
    from geoalchemy2.shape import from_shape
    from sqlalchemy import insert

    from govgrid.auth.models import User
    from govgrid.auth.passwords import hash_password
    from govgrid.auth.roles import Role
    from govgrid.geo.models import CellKind, GridCell, Unit, UnitLevel
    from govgrid.geo.paths import next_unit_id

    square = MultiPolygon([box(120.0, 42.0, 120.1, 42.1)])
    county_id = next_unit_id(db_session)
    rows = [
        (county_id, None, UnitLevel.county, "150522000000", "科尔沁左翼后旗", "150522000000"),
        (None, county_id, UnitLevel.township, "150522100000", "甘旗卡镇",
         "150522000000.150522100000"),
    ]
    ids = {}
    for unit_id, parent, level, code, name, path in rows:
        values = {"county_id": county_id, "parent_id": parent, "level": level, "code": code,
                  "name": name, "path": path, "boundary": from_shape(square, 4326),
                  "population": 0, "households": 0}
        if unit_id:
            values["id"] = unit_id
        ids[code] = db_session.execute(insert(Unit).values(**values).returning(Unit.id)).scalar()
    village = db_session.execute(insert(Unit).values(
        county_id=county_id, parent_id=ids["150522100000"], level=UnitLevel.village,
        code="150522100201", name="后旗某村", path="150522000000.150522100000.150522100201",
        boundary=from_shape(square, 4326), population=0, households=0,
    ).returning(Unit.id)).scalar()
    db_session.execute(insert(GridCell).values(
        county_id=county_id, village_id=village, code="150522100201001", name="后旗某村第1网格",
        kind=CellKind.comprehensive, path="150522000000.150522100000.150522100201.150522100201001",
        boundary=from_shape(square, 4326), households=0, population=0))
    db_session.execute(insert(User).values(
        county_id=county_id, unit_id=ids["150522100000"], username="houqi.dispatcher",
        display_name="后旗调度员", role=Role.township_dispatcher,
        password_hash=hash_password("x1234567"), is_active=True))
    return {"county": "150522000000", "township": "150522100000", "village": "150522100201",
            "cell": "150522100201001", "user": "houqi.dispatcher"}
