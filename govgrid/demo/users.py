"""Demo accounts, one or more for every role, all with the demo password (never use in
production). Listed in README.md."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select

from ..auth.models import User, UserGridCell
from ..auth.passwords import hash_password
from ..auth.roles import Department, Role
from ..extensions import db
from ..geo.models import GridCell, Unit
from ..unit_of_work import committing

DEMO_PASSWORD = "govgrid2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: Role
    unit_code: str
    department: Department | None = None


COUNTY = "150521000000"
BAOKANG = "150521100000"  # 保康镇 (the banner seat)
MENDA = "150521104000"  # 门达镇 (a second township, for "no sideways reading")
BAONAN = "150521100201"  # 保南村, in 保康镇

DEMO_USERS = (
    DemoUser("admin", "系统管理员", Role.admin, COUNTY),
    DemoUser("county.staff", "县综治中心 王芳", Role.county_staff, COUNTY),
    DemoUser("county.leader", "政法委 李强", Role.county_leader, COUNTY),
    DemoUser("assessor", "考核办 赵敏", Role.assessor, COUNTY),
    DemoUser("county.court", "人民法庭 陈静", Role.department_liaison, COUNTY, Department.court),
    DemoUser("baokang.dispatcher", "保康镇综治中心 刘洋", Role.township_dispatcher, BAOKANG),
    DemoUser("baokang.mediator", "保康镇调解员 孙丽", Role.mediator, BAOKANG),
    DemoUser("baokang.police", "保康派出所 周军", Role.department_liaison, BAOKANG,
             Department.police),
    DemoUser("baonan.staff", "保南村综治工作站 吴海", Role.village_staff, BAONAN),
    DemoUser("baonan.grid", "保南村网格员 郑红", Role.grid_worker, BAONAN),
    DemoUser("menda.dispatcher", "门达镇综治中心 包音", Role.township_dispatcher, MENDA),
)


def load_demo_users() -> int:
    """Create the demo accounts that do not exist yet; returns how many were created."""
    existing = set(db.session.execute(select(User.username)).scalars())
    units = {u.code: u for u in db.session.execute(
        select(Unit).where(Unit.code.in_({d.unit_code for d in DEMO_USERS}))).scalars()}
    password_hash = hash_password(DEMO_PASSWORD)  # one hash: Argon2 is slow on purpose
    created = 0
    with committing():
        for demo in DEMO_USERS:
            if demo.username in existing:
                continue
            unit = units[demo.unit_code]
            user = User(county_id=unit.county_id, unit_id=unit.id, username=demo.username,
                        display_name=demo.display_name, role=demo.role,
                        department=demo.department, password_hash=password_hash)
            db.session.add(user)
            db.session.flush()
            if demo.role is Role.grid_worker:
                cells = db.session.execute(
                    select(GridCell.id).where(GridCell.village_id == unit.id)).scalars().all()
                db.session.execute(insert(UserGridCell), [
                    {"user_id": user.id, "grid_cell_id": c, "county_id": unit.county_id}
                    for c in cells])
            created += 1
    return created
