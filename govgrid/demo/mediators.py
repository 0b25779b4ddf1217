"""Demo mediator registry (调解员库): a profile for the demo mediator `baokang.mediator`, and
more demo mediators across the townships with varied specialties, training, caseload limits
and places, so that dispatch suggestions have something to choose between. Deterministic
and idempotent: accounts and profiles that exist are left as they are.

The extra accounts stay out of 保康镇, whose demo staff other tests enumerate; its own
mediator is `baokang.mediator` (users.DEMO_USERS)."""

from __future__ import annotations

from dataclasses import dataclass

from geoalchemy2.elements import WKTElement
from sqlalchemy import case, func, select

from ..auth.models import User
from ..auth.passwords import hash_password
from ..auth.roles import Role
from ..cases.records import MediatorProfile
from ..extensions import db
from ..geo.models import Unit
from ..unit_of_work import committing
from .users import BAOKANG, DEMO_PASSWORD, MENDA


@dataclass(frozen=True)
class DemoMediator:
    username: str
    display_name: str | None  # None: an account of users.DEMO_USERS, created there
    unit_code: str
    specialties: tuple[str, ...]
    legal_training: bool
    languages: tuple[str, ...] = ("zh",)
    max_active_cases: int = 10
    # Where in the unit they sit: its centroid (if inside it) or its point on surface, so two
    # mediators of one township do not share a point.
    at: str = "centroid"


DEMO_MEDIATORS = (
    DemoMediator("baokang.mediator", None, BAOKANG, ("02", "03", "0401"), True, ("zh", "mn")),
    DemoMediator("baokangjiedao.mediator2", "保康街道调解员 李娜", "150521403000",
                 ("07", "0801", "0205", "1301"), True, ("zh",), 15),
    DemoMediator("menda.mediator2", "门达镇调解员 包青山", MENDA, ("04", "0501", "1701"),
                 False, ("mn", "zh"), 10, at="surface"),
    DemoMediator("shebotu.mediator2", "舍伯吐镇调解员 韩志刚", "150521102000",
                 ("0401", "0402", "0403", "11"), True, ("zh",), 12),
    DemoMediator("baolongshan.mediator2", "宝龙山镇调解员 吴晓梅", "150521101000",
                 ("01", "0204"), False, ("zh",), 6),
    DemoMediator("bayantala.mediator2", "巴彦塔拉镇调解员 那日苏", "150521103000",
                 ("05", "17", "0502"), False, ("mn", "zh"), 10),
    DemoMediator("huatugula.mediator2", "花吐古拉镇调解员 赵卫东", "150521108000",
                 ("1101", "1102", "1105", "06"), True, ("zh",), 12),
    DemoMediator("daliji.mediator2", "代力吉镇调解员 乌云", "150521109000",
                 ("06", "0602", "13"), True, ("mn", "zh"), 8),
    # A village mediator (村人民调解委员会), below a township's centre.
    DemoMediator("menda.mediator3", "门达镇前进村调解员 郑大山", "150521104202",
                 ("02", "03", "0301"), False, ("zh",), 5),
)


def _places(codes: set[str]) -> dict[str, tuple[int, int, str, str]]:
    """unit code -> (unit id, county id, WKT of its centroid, WKT of its point on surface)."""
    centroid = func.ST_Centroid(Unit.boundary)
    inside = case((func.ST_Within(centroid, Unit.boundary), centroid),
                  else_=func.ST_PointOnSurface(Unit.boundary))
    rows = db.session.execute(
        select(Unit.code, Unit.id, Unit.county_id, func.ST_AsText(inside).label("centroid"),
               func.ST_AsText(func.ST_PointOnSurface(Unit.boundary)).label("surface"))
        .where(Unit.code.in_(codes))).all()
    return {r.code: (r.id, r.county_id, r.centroid, r.surface) for r in rows}


def load_demo_mediators() -> tuple[int, int]:
    """Create the missing demo mediator accounts and profiles; returns how many of each."""
    names = [m.username for m in DEMO_MEDIATORS]
    users: dict[str, int] = {
        row.username: row.id for row in db.session.execute(
            select(User.username, User.id).where(User.username.in_(names)))}
    with_profile = set(db.session.execute(
        select(MediatorProfile.user_id).where(MediatorProfile.user_id.in_(users.values())))
        .scalars())
    places = _places({m.unit_code for m in DEMO_MEDIATORS})
    # One hash for every new account: Argon2 is slow on purpose.
    missing = [m for m in DEMO_MEDIATORS if m.username not in users and m.display_name]
    password_hash = hash_password(DEMO_PASSWORD) if missing else ""
    accounts = profiles = 0
    with committing():
        for demo in DEMO_MEDIATORS:
            unit_id, county_id, centroid, surface = places[demo.unit_code]
            if demo.username not in users:
                if demo.display_name is None:
                    continue  # a users.DEMO_USERS account not loaded (yet)
                user = User(county_id=county_id, unit_id=unit_id, username=demo.username,
                            display_name=demo.display_name, role=Role.mediator,
                            password_hash=password_hash)
                db.session.add(user)
                db.session.flush()
                users[demo.username] = user.id
                accounts += 1
            if users[demo.username] in with_profile:
                continue
            db.session.add(MediatorProfile(
                county_id=county_id, user_id=users[demo.username],
                specialties=list(demo.specialties), legal_training=demo.legal_training,
                languages=list(demo.languages), max_active_cases=demo.max_active_cases,
                location=WKTElement(centroid if demo.at == "centroid" else surface, srid=4326),
                is_available=True, extra={"demo": True}))
            profiles += 1
    return accounts, profiles
