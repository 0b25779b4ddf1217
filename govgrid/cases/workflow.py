"""The case state machine of DESIGN §4 (pure: no Flask, no database).

One table, `TRANSITIONS`, says for every action: from which states, to which state, which roles,
which payload fields and which guards. `check` applies a row in a fixed order (state, role,
required fields, guards) and answers `Allowed` (the new state plus the effects the service must
carry out) or the first `Refusal`. Jurisdiction scoping, optimistic locking, the timeline row,
clocks and notifications belong to the service; it acts on the effects named here.

阶段性化解 (`Outcome.partial`) is not a resolution: `resolve` with it keeps the case `mediating`
(still on its time limit, still owned, still needing a final outcome) and flags
`Effect.partial_resolution` so the service records the stage result and the indicators count it
separately. Only a full outcome reaches `resolved`, so state-based counts of resolved and closed
cases (化解率, 按期办结率) never include partial ones.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from govgrid.auth.roles import CENTRE_STAFF, Role
from govgrid.cases.vocabulary import Severity  # pure, shared with the models


class CaseState(enum.StrEnum):
    draft = "draft"  # 草稿: on the phone (offline) or being typed at intake
    reported = "reported"  # 已上报, waiting for the owning centre to accept
    accepted = "accepted"  # 已受理, not yet assigned
    mediating = "mediating"  # 调解中 / 处置中: a handler is assigned
    suspended = "suspended"  # 挂起: mediation paused, clocks stopped
    resolved = "resolved"  # 已化解, waiting for the follow-up visit
    closed = "closed"  # 已办结
    archived = "archived"  # 已归档 (terminal)
    rejected = "rejected"  # 不予受理 (terminal)
    merged = "merged"  # 已合并 into the case it duplicates (terminal)
    referred = "referred"  # 已转办 to a legal route; tracked until the receiver reports back


# Not finished and not out of our hands for good: what the case list's `open` filter, the
# console's queue and the statistics' "unresolved" mean.
OPEN_STATES = (CaseState.reported, CaseState.accepted, CaseState.mediating,
               CaseState.suspended, CaseState.resolved, CaseState.referred)


class Action(enum.StrEnum):
    submit = "submit"  # 上报
    accept = "accept"  # 受理
    return_ = "return"  # 退回
    reject = "reject"  # 不予受理
    merge = "merge"  # 合并重复件
    resolve_on_spot = "resolve_on_spot"  # 当场化解
    assign = "assign"  # 分派调解员
    record_session = "record_session"  # 记录调解
    resolve = "resolve"  # 化解
    escalate = "escalate"  # 上交
    pull_up = "pull_up"  # 提级
    push_down = "push_down"  # 降级
    refer = "refer"  # 转办 (法定途径)
    start_joint = "start_joint"  # 联合处置 (分部门子任务)
    complete_subtask = "complete_subtask"  # 完成子任务
    suspend = "suspend"  # 挂起
    resume = "resume"  # 恢复
    follow_up = "follow_up"  # 回访
    reopen = "reopen"  # 反弹重启
    close = "close"  # 办结 (转办件)
    archive = "archive"  # 归档
    extend = "extend"  # 延期 (once, both parties consenting)
    auto_escalate = "auto_escalate"  # 超期自动提级 (the platform, when the county says so)


class Outcome(enum.StrEnum):
    written_agreement = "written_agreement"  # 书面调解协议
    oral_agreement = "oral_agreement"  # 口头协议
    partial = "partial"  # 阶段性化解: the case stays open (see the module docstring)
    withdrawn = "withdrawn"  # 撤回
    terminated = "terminated"  # 终止调解, statutory routes explained to the parties


class LegalRoute(enum.StrEnum):
    litigation = "litigation"  # 诉讼
    arbitration = "arbitration"  # 仲裁
    administrative_review = "administrative_review"  # 行政复议
    petition = "petition"  # 信访
    department = "department"  # 职能部门


class Level(enum.StrEnum):
    village = "village"
    township = "township"
    county = "county"


class Effect(enum.StrEnum):
    """What the service must do besides moving the state and writing the timeline row."""

    starts_urgent_clocks = "starts_urgent_clocks"  # urgent report: start the 1 h / 3 h / 6 h clocks
    start_follow_up_clock = "start_follow_up_clock"  # resolved: follow-up visit due (15 days)
    partial_resolution = "partial_resolution"  # record a 阶段性化解 stage; state stays mediating
    counts_as_rebound = "counts_as_rebound"  # 反弹: counted in the rebound rate
    level_up = "level_up"  # owner becomes the parent unit's centre
    level_down = "level_down"  # owner becomes payload["target_unit_id"] (a child unit)
    back_to_sender = "back_to_sender"  # 退回: owner goes back to the unit that routed it here
    clear_handler = "clear_handler"  # the new owner chooses its own handler
    actor_is_handler = "actor_is_handler"  # record the actor as handler (so no self follow-up)
    pause_clock = "pause_clock"  # suspend: the time limit stops
    resume_clock = "resume_clock"  # resume: the time limit runs again
    extend_deadline = "extend_deadline"  # the one extension of the mediation time limit
    notify_receiver = "notify_receiver"  # refer: send the case to payload["receiver"]
    create_subtasks = "create_subtasks"  # start_joint: one sub-task per payload["departments"]


_LEVELS = (Level.village, Level.township, Level.county)

# The one level each level-bound role acts at (consistent with roles.ROLE_LEVELS). Mediators
# and department liaisons work at any level on what they are assigned, so they are not here.
ROLE_LEVEL: dict[Role, Level] = {
    Role.village_staff: Level.village,
    Role.township_dispatcher: Level.township,
    Role.county_staff: Level.county,
    Role.county_leader: Level.county,
}


def parent_level(level: str) -> Level | None:
    index = _LEVELS.index(Level(level))
    return _LEVELS[index + 1] if index + 1 < len(_LEVELS) else None


@dataclass(frozen=True)
class CaseFacts:
    """What the guards may read; the service fills it from the case and the current user."""

    state: CaseState
    level: Level  # level of the owning unit
    actor_id: int
    actor_role: Role
    actor_is_handler_unit: bool = False  # the actor's unit owns (holds) the case
    actor_department_involved: bool = False  # liaison: a referral or sub-task is theirs
    case_id: object = None  # the case's id (a UUID in the models), for the merge guard
    severity: Severity = Severity.general
    is_urgent: bool = False
    reporter_id: int | None = None
    handler_id: int | None = None  # current mediator / handler
    open_subtasks: int = 0
    extended: bool = False  # the mediation time limit was already extended once
    closed_days_ago: float | None = None  # None: not closed, or unknown (then not blocked)
    reopen_window_days: float = 90.0  # DESIGN's follow-up window for rebounds; per county
    actor_is_platform: bool = False  # the platform itself (the deadline sweep), not a person

    @property
    def small_case(self) -> bool:
        """Eligible for 当场化解: a general (一般) case that is not urgent."""
        return self.severity == Severity.general and not self.is_urgent


# --- decisions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Allowed:
    action: Action
    to_state: CaseState
    effects: frozenset[Effect] = frozenset()
    ok: ClassVar[bool] = True


class _Refused:
    """Every refusal has a stable `code`, `params` for its message, and an HTTP status."""

    code: str
    params: Mapping[str, object]
    ok: ClassVar[bool] = False
    http_status: ClassVar[int] = 422

    @property
    def message(self) -> str:
        """English; the Chinese text is looked up by the same code, with the same params."""
        template = GUARD_MESSAGES.get(self.code) or REFUSAL_MESSAGES[self.code]
        return template % dict(self.params)


@dataclass(frozen=True)
class InvalidState(_Refused):
    action: Action
    state: CaseState
    allowed_states: frozenset[CaseState]
    code: ClassVar[str] = "invalid_state"
    http_status: ClassVar[int] = 409  # the case has moved on (or never was there)

    @property
    def params(self) -> dict[str, object]:
        allowed = ", ".join(sorted(self.allowed_states))
        return {"action": self.action, "state": self.state, "allowed": allowed}


@dataclass(frozen=True)
class RoleNotAllowed(_Refused):
    action: Action
    role: Role
    allowed_roles: frozenset[Role]
    code: ClassVar[str] = "role_not_allowed"
    http_status: ClassVar[int] = 403

    @property
    def params(self) -> dict[str, object]:
        return {"action": self.action, "role": self.role}


@dataclass(frozen=True)
class MissingFields(_Refused):
    action: Action
    fields: tuple[str, ...]
    code: ClassVar[str] = "missing_fields"

    @property
    def params(self) -> dict[str, object]:
        return {"action": self.action, "fields": ", ".join(self.fields)}


@dataclass(frozen=True)
class GuardFailure(_Refused):
    code: str  # stable: the key of GUARD_MESSAGES and of the translated messages
    params: Mapping[str, object] = field(default_factory=dict, hash=False)


Refusal = InvalidState | RoleNotAllowed | MissingFields | GuardFailure
Decision = Allowed | Refusal

REFUSAL_MESSAGES: dict[str, str] = {
    "invalid_state": "Cannot %(action)s a case that is %(state)s (allowed from: %(allowed)s).",
    "role_not_allowed": "Your role (%(role)s) may not %(action)s a case.",
    "missing_fields": "Required for %(action)s: %(fields)s.",
}

GUARD_MESSAGES: dict[str, str] = {
    "not_reporter": "Only the person who reported this case may do this.",
    "resolve_on_spot_not_small": "Only general, non-urgent cases may be resolved on the spot.",
    "on_spot_outcome": "A case resolved on the spot must end in an agreement or be withdrawn.",
    "wrong_level": "This case is held at %(level)s level; your role acts at %(role_level)s level.",
    "not_owning_unit": "Only the centre that holds this case may do this.",
    "not_handler": "Only the mediator assigned to this case may do this.",
    "department_not_involved": "Your department has no referral or sub-task on this case.",
    "unknown_outcome": "Unknown outcome: %(value)s.",
    "terminated_needs_routes": "A terminated mediation must record that the parties were told "
    "their legal routes.",
    "open_subtasks": "%(count)s department sub-task(s) are still open.",
    "no_open_subtasks": "This case has no open department sub-task.",
    "escalate_at_top": "The case is already held at county level; there is no level above.",
    "pull_up_at_top": "A county-level case cannot be pulled up further.",
    "not_level_above": "Only the %(parent)s level may pull up a %(level)s-level case.",
    "push_down_at_bottom": "A village-level case cannot be pushed down further.",
    "unknown_route": "Unknown legal route: %(value)s.",
    "merge_into_self": "A case cannot be merged into itself.",
    "no_consent": "An extension needs the consent of both parties.",
    "already_extended": "The mediation time limit has already been extended once.",
    "follow_up_by_handler": "The follow-up visit must be made by someone other than the handler.",
    "reopen_window_passed": "The case was closed %(days)s days ago; it can be reopened only "
    "within %(window)s days.",
    "platform_only": "Only the platform itself takes this action, when a case is overdue.",
}


# --- guards: (facts, payload) -> GuardFailure | None ---------------------------------------
# A guard that reads a payload field passes when the field is absent: required fields are
# checked before guards, and available_actions runs the guards with an empty payload.

Payload = Mapping[str, object]
Guard = Callable[[CaseFacts, Payload], GuardFailure | None]
_STAFF = CENTRE_STAFF


def own_report(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    return None if facts.actor_id == facts.reporter_id else GuardFailure("not_reporter")


def small_case_only(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    return None if facts.small_case else GuardFailure("resolve_on_spot_not_small")


def on_spot_outcome(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    # Partial or terminated means the dispute is not settled: that is mediation, not 当场化解.
    ok = (Outcome.written_agreement, Outcome.oral_agreement, Outcome.withdrawn)
    outcome = payload.get("outcome")
    return None if outcome is None or outcome in ok else GuardFailure("on_spot_outcome")


def owning_centre(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    """Level-bound staff act only on cases their own centre holds (other roles: no-op)."""
    if facts.actor_role not in _STAFF:
        return None
    role_level = ROLE_LEVEL[facts.actor_role]
    if role_level != facts.level:
        return GuardFailure("wrong_level", {"level": facts.level, "role_level": role_level})
    return None if facts.actor_is_handler_unit else GuardFailure("not_owning_unit")


def mediator_is_handler(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    if facts.actor_role is Role.mediator and facts.actor_id != facts.handler_id:
        return GuardFailure("not_handler")
    return None


def department_involved(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    if facts.actor_role is Role.department_liaison and not facts.actor_department_involved:
        return GuardFailure("department_not_involved")
    return None


def _member(value: object, kind: type[enum.StrEnum]) -> bool:
    return isinstance(value, str) and value in kind.__members__.values()


def known_outcome(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    outcome = payload.get("outcome")
    if outcome is None or _member(outcome, Outcome):
        return None
    return GuardFailure("unknown_outcome", {"value": outcome})


def routes_explained(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    # 终止调解 must tell the parties where to go next (诉讼、仲裁、行政复议、信访).
    if payload.get("outcome") == Outcome.terminated and payload.get("routes_explained") is not True:
        return GuardFailure("terminated_needs_routes")
    return None


def no_open_subtasks(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    # A 阶段性化解 may be recorded while departments are still at work; nothing final may.
    if facts.open_subtasks > 0 and payload.get("outcome") != Outcome.partial:
        return GuardFailure("open_subtasks", {"count": facts.open_subtasks})
    return None


def has_open_subtasks(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    return None if facts.open_subtasks > 0 else GuardFailure("no_open_subtasks")


def below_county(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    return GuardFailure("escalate_at_top") if facts.level == Level.county else None


def by_the_platform(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    return None if facts.actor_is_platform else GuardFailure("platform_only")


def one_level_up(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    """提级 takes a case exactly one level up, done by that level (or the county leader)."""
    parent = parent_level(facts.level)
    if parent is None:
        return GuardFailure("pull_up_at_top")
    if ROLE_LEVEL.get(facts.actor_role) != parent:
        return GuardFailure("not_level_above", {"level": facts.level, "parent": parent})
    return None


def above_village(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    return GuardFailure("push_down_at_bottom") if facts.level == Level.village else None


def known_route(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    route = payload.get("route")
    if route is None or _member(route, LegalRoute):
        return None
    return GuardFailure("unknown_route", {"value": route})


def not_self_merge(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    target = payload.get("duplicate_of")
    if target is not None and facts.case_id is not None and str(target) == str(facts.case_id):
        return GuardFailure("merge_into_self")
    return None


def parties_consent(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    consent = payload.get("parties_consent")
    return None if consent is None or consent is True else GuardFailure("no_consent")


def not_extended(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    return GuardFailure("already_extended") if facts.extended else None


def not_by_handler(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    # 回访 checks the handler's work, so the handler may not do it.
    if facts.handler_id is not None and facts.actor_id == facts.handler_id:
        return GuardFailure("follow_up_by_handler")
    return None


def within_reopen_window(facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    days, window = facts.closed_days_ago, facts.reopen_window_days
    if days is not None and days > window:
        params = {"days": int(days), "window": int(window)}
        return GuardFailure("reopen_window_passed", params)
    return None


# --- routers: where an action leads when that depends on the facts or the payload ------------

Router = Callable[[CaseFacts, Payload], tuple[CaseState, frozenset[Effect]]]
_NONE: frozenset[Effect] = frozenset()


def _submitted(facts: CaseFacts, payload: Payload) -> tuple[CaseState, frozenset[Effect]]:
    return CaseState.reported, frozenset({Effect.starts_urgent_clocks} if facts.is_urgent else ())


def _returned(facts: CaseFacts, payload: Payload) -> tuple[CaseState, frozenset[Effect]]:
    if facts.state == CaseState.reported:  # back to the reporter to complete the report
        return CaseState.draft, _NONE
    return CaseState.reported, frozenset({Effect.back_to_sender, Effect.clear_handler})


def _resolved(facts: CaseFacts, payload: Payload) -> tuple[CaseState, frozenset[Effect]]:
    if payload["outcome"] == Outcome.partial:
        return CaseState.mediating, frozenset({Effect.partial_resolution})
    return CaseState.resolved, frozenset({Effect.start_follow_up_clock})


def _followed_up(facts: CaseFacts, payload: Payload) -> tuple[CaseState, frozenset[Effect]]:
    if payload["satisfied"] is True:
        return CaseState.closed, _NONE
    return CaseState.accepted, frozenset({Effect.counts_as_rebound})  # dissatisfied: reopened


def _joined(facts: CaseFacts, payload: Payload) -> tuple[CaseState, frozenset[Effect]]:
    return (CaseState.mediating if facts.state == CaseState.accepted else facts.state), _NONE


def _stay(facts: CaseFacts, payload: Payload) -> tuple[CaseState, frozenset[Effect]]:
    return facts.state, _NONE


@dataclass(frozen=True)
class Transition:
    action: Action
    from_states: frozenset[CaseState]
    to_state: CaseState | Router
    allowed_roles: frozenset[Role]
    required: tuple[str, ...] = ()
    guards: tuple[Guard, ...] = ()
    effects: frozenset[Effect] = frozenset()

    def target(self, facts: CaseFacts, payload: Payload) -> tuple[CaseState, frozenset[Effect]]:
        if isinstance(self.to_state, CaseState):
            return self.to_state, self.effects
        to_state, extra = self.to_state(facts, payload)
        return to_state, self.effects | extra


# --- the table ------------------------------------------------------------------------------

_S = CaseState
_R = Role
_UPPER = frozenset({_R.township_dispatcher, _R.county_staff})
_REPORTERS = _STAFF | {_R.grid_worker}
_MEDIATORS = _STAFF | {_R.mediator}


def _s(*states: CaseState) -> frozenset[CaseState]:
    return frozenset(states)


def _e(*effects: Effect) -> frozenset[Effect]:
    return frozenset(effects)


_ROWS = (
    # 上报: the reporter sends their draft; an urgent case starts its reporting clocks.
    Transition(Action.submit, _s(_S.draft), _submitted, _REPORTERS, guards=(own_report,)),
    # 受理: the owning centre takes the case on.
    Transition(Action.accept, _s(_S.reported), _S.accepted, _STAFF, guards=(owning_centre,)),
    # 退回: before acceptance back to the reporter (to complete it) -> draft; after acceptance
    # back to the unit that routed it here -> reported.
    Transition(Action.return_, _s(_S.reported, _S.accepted), _returned, _STAFF,
               required=("reason",), guards=(owning_centre,)),
    # 不予受理: refused with a reason (terminal).
    Transition(Action.reject, _s(_S.reported), _S.rejected, _STAFF,
               required=("reason",), guards=(owning_centre,)),
    # 合并: a duplicate of another case (terminal; the other case carries on).
    Transition(Action.merge, _s(_S.reported, _S.accepted), _S.merged, _STAFF,
               required=("duplicate_of",), guards=(not_self_merge, owning_centre)),
    # 当场化解: the grid worker settles their own small report on the spot; still followed up.
    Transition(Action.resolve_on_spot, _s(_S.draft, _S.reported), _S.resolved,
               frozenset({_R.grid_worker}),
               required=("outcome",), guards=(own_report, small_case_only, on_spot_outcome),
               effects=_e(Effect.actor_is_handler, Effect.start_follow_up_clock)),
    # 分派 / 改派: (re)assign a mediator or handler.
    Transition(Action.assign, _s(_S.accepted, _S.mediating), _S.mediating, _STAFF,
               required=("mediator_id",), guards=(owning_centre,)),
    # 记录调解: a mediation session; liaisons record on cases referred or shared with them.
    Transition(Action.record_session, _s(_S.mediating, _S.referred), _stay,
               _MEDIATORS | {_R.department_liaison}, required=("summary",),
               guards=(owning_centre, mediator_is_handler, department_involved)),
    # 化解: full outcome -> resolved; 阶段性化解 (partial) stays mediating, flagged.
    Transition(Action.resolve, _s(_S.mediating), _resolved, _MEDIATORS, required=("outcome",),
               guards=(known_outcome, routes_explained, no_open_subtasks, owning_centre,
                       mediator_is_handler)),
    # 上交: the holding centre hands the case to the level above (accepted there).
    Transition(Action.escalate, _s(_S.accepted, _S.mediating), _S.accepted, _STAFF,
               guards=(below_county, owning_centre),
               effects=_e(Effect.level_up, Effect.clear_handler)),
    # 超期自动提级: the deadline sweep moves a case overdue beyond the county's limit up a
    # level (SYSTEM acts with the admin role; the guard keeps real admins out).
    Transition(Action.auto_escalate, _s(_S.reported, _S.accepted, _S.mediating), _S.accepted,
               frozenset({_R.admin}), guards=(by_the_platform, below_county),
               effects=_e(Effect.level_up, Effect.clear_handler)),
    # 提级 (督办): the level above takes the case up itself.
    Transition(Action.pull_up, _s(_S.reported, _S.accepted, _S.mediating), _S.accepted,
               _UPPER | {_R.county_leader}, required=("reason",), guards=(one_level_up,),
               effects=_e(Effect.level_up, Effect.clear_handler)),
    # 降级: the holding centre hands the case down to one of its units (accepted there).
    Transition(Action.push_down, _s(_S.reported, _S.accepted, _S.mediating), _S.accepted, _UPPER,
               required=("target_unit_id",), guards=(above_village, owning_centre),
               effects=_e(Effect.level_down, Effect.clear_handler)),
    # 转办: to a legal route and a named receiver; tracked until the receiver reports back.
    Transition(Action.refer, _s(_S.accepted, _S.mediating), _S.referred, _UPPER,
               required=("route", "receiver"), guards=(known_route, owning_centre),
               effects=_e(Effect.notify_receiver)),
    # 联合处置: one sub-task per department; an accepted case is then being handled.
    Transition(Action.start_joint, _s(_S.accepted, _S.mediating, _S.referred), _joined, _UPPER,
               required=("departments",), guards=(owning_centre,),
               effects=_e(Effect.create_subtasks)),
    # 完成子任务: a department reports its part done.
    Transition(Action.complete_subtask, _s(_S.mediating, _S.referred), _stay,
               frozenset({_R.department_liaison}), required=("subtask_id", "result"),
               guards=(has_open_subtasks, department_involved)),
    # 挂起: mediation paused (e.g. a party in hospital); the time limit stops.
    Transition(Action.suspend, _s(_S.mediating), _S.suspended, _MEDIATORS, required=("reason",),
               guards=(owning_centre, mediator_is_handler), effects=_e(Effect.pause_clock)),
    # 恢复: mediation goes on; the time limit runs again.
    Transition(Action.resume, _s(_S.suspended), _S.mediating, _MEDIATORS,
               guards=(owning_centre, mediator_is_handler), effects=_e(Effect.resume_clock)),
    # 回访: by someone other than the handler; satisfied -> closed, dissatisfied -> reopened.
    Transition(Action.follow_up, _s(_S.resolved), _followed_up, _STAFF, required=("satisfied",),
               guards=(not_by_handler, owning_centre)),
    # 反弹: a closed case comes back within the window; counts as a rebound.
    Transition(Action.reopen, _s(_S.closed), _S.accepted, _STAFF, required=("reason",),
               guards=(within_reopen_window, owning_centre),
               effects=_e(Effect.counts_as_rebound)),
    # 办结 (转办件): the receiver's result is in; no sub-task may be left open.
    Transition(Action.close, _s(_S.referred), _S.closed, _UPPER | {_R.department_liaison},
               required=("result",),
               guards=(no_open_subtasks, owning_centre, department_involved)),
    # 归档: closed cases only; jurisdiction (township archives its subtree) is the service's.
    Transition(Action.archive, _s(_S.closed), _S.archived, _UPPER),
    # 延期: once, with both parties' consent.
    Transition(Action.extend, _s(_S.mediating), _S.mediating, _UPPER | {_R.mediator},
               required=("parties_consent",),
               guards=(parties_consent, not_extended, owning_centre, mediator_is_handler),
               effects=_e(Effect.extend_deadline)),
)  # fmt: skip

TRANSITIONS: dict[Action, Transition] = {row.action: row for row in _ROWS}


# --- entry points ---------------------------------------------------------------------------


def _blank(value: object) -> bool:
    # False and 0 are answers; None, "" and empty collections are not.
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, list | tuple | set | frozenset | dict) and not value


def _first_failure(row: Transition, facts: CaseFacts, payload: Payload) -> GuardFailure | None:
    for guard in row.guards:
        failure = guard(facts, payload)
        if failure is not None:
            return failure
    return None


def check(action: Action, facts: CaseFacts, payload: Payload) -> Decision:
    """May the actor in `facts` do `action` with `payload`? State, role, fields, then guards."""
    row = TRANSITIONS[Action(action)]
    if facts.state not in row.from_states:
        return InvalidState(row.action, facts.state, row.from_states)
    if facts.actor_role not in row.allowed_roles:
        return RoleNotAllowed(row.action, facts.actor_role, row.allowed_roles)
    missing = tuple(name for name in row.required if _blank(payload.get(name)))
    if missing:
        return MissingFields(row.action, missing)
    failure = _first_failure(row, facts, payload)
    if failure is not None:
        return failure
    to_state, effects = row.target(facts, payload)
    return Allowed(row.action, to_state, effects)


def available_actions(facts: CaseFacts) -> list[Action]:
    """Actions to offer in the UI: state and role pass, and so do the guards that need no
    payload (so a handler is not offered the follow-up, nor the county an escalation)."""
    return [
        row.action
        for row in _ROWS
        if facts.state in row.from_states
        and facts.actor_role in row.allowed_roles
        and _first_failure(row, facts, {}) is None
    ]
