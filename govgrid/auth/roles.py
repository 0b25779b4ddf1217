"""Roles, departments and what each role reaches (pure: no Flask, no database).

Jurisdiction follows the unit tree: higher levels read lower ones; nobody reads sideways or
up. Within that, some roles reach less than their unit's whole subtree.
"""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    grid_worker = "grid_worker"  # 网格员
    village_staff = "village_staff"  # 村(社区)综治工作站
    township_dispatcher = "township_dispatcher"  # 乡镇(街道)综治中心
    mediator = "mediator"  # 调解员
    department_liaison = "department_liaison"  # 部门联络员
    county_staff = "county_staff"  # 县级综治中心
    county_leader = "county_leader"  # 县领导 / 政法委
    assessor = "assessor"  # 考核人员
    admin = "admin"  # 系统管理员 (per county)


# The staff of a governance centre (综治中心/工作站): they accept, dispatch and act for the
# unit that holds a case, and hear about its time limits.
CENTRE_STAFF = frozenset({Role.village_staff, Role.township_dispatcher, Role.county_staff})


class Department(enum.StrEnum):
    police = "police"  # 派出所
    justice = "justice"  # 司法所
    court = "court"  # 法庭
    petition = "petition"  # 信访
    labour = "labour"  # 人社
    housing = "housing"  # 住建
    other = "other"


class CaseReach(enum.StrEnum):
    """Which cases a role reads inside its unit's subtree."""

    subtree = "subtree"  # every case in the unit's subtree
    own_cells = "own_cells"  # cases in the user's grid cells, and the user's own reports
    assigned = "assigned"  # cases assigned to the user


# Unit levels a user of each role may be bound to.
ROLE_LEVELS: dict[Role, frozenset[str]] = {
    Role.grid_worker: frozenset({"village"}),
    Role.village_staff: frozenset({"village"}),
    Role.township_dispatcher: frozenset({"township"}),
    Role.mediator: frozenset({"village", "township", "county"}),
    Role.department_liaison: frozenset({"township", "county"}),
    Role.county_staff: frozenset({"county"}),
    Role.county_leader: frozenset({"county"}),
    Role.assessor: frozenset({"county"}),
    Role.admin: frozenset({"county"}),
}

CASE_REACH: dict[Role, CaseReach] = {
    Role.grid_worker: CaseReach.own_cells,
    Role.mediator: CaseReach.assigned,
    Role.department_liaison: CaseReach.assigned,
}

# Grid workers see only their own cells, not the rest of their village's cells.
CELL_LIMITED_ROLES = frozenset({Role.grid_worker})


def case_reach(role: Role) -> CaseReach:
    return CASE_REACH.get(role, CaseReach.subtree)


def may_bind(role: Role, unit_level: str) -> bool:
    return unit_level in ROLE_LEVELS[role]


def needs_department(role: Role) -> bool:
    return role is Role.department_liaison
