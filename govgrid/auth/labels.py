"""Names of roles, departments and unit levels in the user's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .roles import Department, Role

ROLE_LABELS = {
    Role.grid_worker: _l("grid worker"),
    Role.village_staff: _l("village station staff"),
    Role.township_dispatcher: _l("township centre dispatcher"),
    Role.mediator: _l("mediator"),
    Role.department_liaison: _l("department liaison"),
    Role.county_staff: _l("county centre staff"),
    Role.county_leader: _l("county leader"),
    Role.assessor: _l("assessor"),
    Role.admin: _l("administrator"),
}

DEPARTMENT_LABELS = {
    Department.police: _l("police station"),
    Department.justice: _l("justice office"),
    Department.court: _l("people's court"),
    Department.petition: _l("petitions office"),
    Department.labour: _l("human resources and social security"),
    Department.housing: _l("housing and construction"),
    Department.other: _l("other department"),
}

LEVEL_LABELS = {
    "county": _l("county"),
    "township": _l("township"),
    "village": _l("village"),
}
