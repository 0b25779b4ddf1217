"""What each role may do, beyond what it may read (pure).

Reading is governed by jurisdiction (scope.py); this table governs actions. Services check
`require(principal, Permission.X)` before acting.
"""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from .principal import Principal
from .roles import Role


class Permission(enum.StrEnum):
    manage_users = "manage_users"
    read_audit = "read_audit"
    unmask_personal_data = "unmask_personal_data"
    manage_mediators = "manage_mediators"  # the mediator registry (调解员库)
    manage_deadline_policy = "manage_deadline_policy"  # 时限规定 and the holiday calendar
    run_analysis = "run_analysis"  # 研判: hot-spot runs, backtests and monthly reports
    manage_risk_settings = "manage_risk_settings"  # the risk grade's weights and thresholds
    manage_assessment = "manage_assessment"  # the assessment scheme (考核方案)
    record_major_events = "record_major_events"  # the register of major events
    decide_sanctions = "decide_sanctions"  # raise, confirm, dismiss sanctions; review 整改


GRANTS: dict[Permission, frozenset[Role]] = {
    Permission.manage_users: frozenset({Role.admin}),
    Permission.read_audit: frozenset({Role.admin, Role.assessor, Role.county_leader}),
    # Unmasking is further limited to people who handle the case (cases issue).
    Permission.unmask_personal_data: frozenset(set(Role) - {Role.assessor}),
    # Those who dispatch cases keep the registry they dispatch from.
    Permission.manage_mediators: frozenset({Role.township_dispatcher, Role.county_staff,
                                            Role.admin}),
    # The county sets its own time limits (DESIGN §5); its admin and its centre keep them.
    Permission.manage_deadline_policy: frozenset({Role.county_staff, Role.admin}),
    # The county centre analyses; a township centre may ask for its own monthly report.
    Permission.run_analysis: frozenset({Role.county_staff, Role.admin,
                                        Role.township_dispatcher}),
    Permission.manage_risk_settings: frozenset({Role.county_staff, Role.admin}),
    Permission.manage_assessment: frozenset({Role.county_staff, Role.admin}),
    # The county centre keeps the register; a township centre enters its own township's.
    Permission.record_major_events: frozenset({Role.county_staff, Role.admin,
                                               Role.township_dispatcher}),
    Permission.decide_sanctions: frozenset({Role.county_staff, Role.admin,
                                            Role.county_leader}),
}


class Forbidden(DomainError):
    status = 403


def allowed(principal: Principal, permission: Permission) -> bool:
    return principal.is_system or (principal.role in GRANTS[permission])


def require(principal: Principal, permission: Permission) -> None:
    if not allowed(principal, permission):
        raise Forbidden(_l("You are not allowed to do this."))


def require_role(principal: Principal, roles: frozenset[Role] | set[Role],
                 refusal: object) -> Principal:
    """For pages made for some roles (the console, the dashboard): the principal, or 403 with
    `refusal`, the page's own words on who it is for."""
    if not (principal.is_system or principal.role in roles):
        raise Forbidden(refusal)
    return principal
