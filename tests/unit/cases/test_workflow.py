"""The case state machine (DESIGN §4): the table, its guards, and paths through it."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import uuid
from collections import deque

import pytest

from govgrid.auth.roles import ROLE_LEVELS, Role
from govgrid.cases import workflow
from govgrid.cases.workflow import (
    GUARD_MESSAGES,
    REFUSAL_MESSAGES,
    ROLE_LEVEL,
    TRANSITIONS,
    Action,
    Allowed,
    CaseFacts,
    CaseState,
    Effect,
    GuardFailure,
    InvalidState,
    Level,
    MissingFields,
    Outcome,
    RoleNotAllowed,
    available_actions,
    check,
)

S = CaseState
REPORTER, STAFF, MEDIATOR, OTHER = 1, 2, 3, 4


def facts(state: CaseState, role: Role, **changes: object) -> CaseFacts:
    """A case held by the actor's own village centre, reported by REPORTER."""
    base: dict[str, object] = {
        "state": state,
        "level": Level.village,
        "actor_id": STAFF,
        "actor_role": role,
        "actor_is_handler_unit": True,
        "reporter_id": REPORTER,
        "handler_id": MEDIATOR,
        "case_id": 7,
    }
    base.update(changes)
    return CaseFacts(**base)  # type: ignore[arg-type]


# One or more passing examples per action: (role, from state, fact changes, payload, to state).
EXAMPLES: dict[Action, list[tuple[Role, CaseState, dict, dict, CaseState]]] = {
    Action.submit: [(Role.grid_worker, S.draft, {"actor_id": REPORTER}, {}, S.reported)],
    Action.accept: [(Role.village_staff, S.reported, {}, {}, S.accepted)],
    Action.return_: [
        (Role.village_staff, S.reported, {}, {"reason": "缺少现场照片"}, S.draft),
        (Role.village_staff, S.accepted, {}, {"reason": "不属本村"}, S.reported),
    ],
    Action.reject: [(Role.village_staff, S.reported, {}, {"reason": "不属于矛盾纠纷"}, S.rejected)],
    Action.merge: [(Role.village_staff, S.reported, {}, {"duplicate_of": 6}, S.merged)],
    Action.resolve_on_spot: [
        (Role.grid_worker, S.draft, {"actor_id": REPORTER}, {"outcome": "oral_agreement"},
         S.resolved),
    ],
    Action.assign: [(Role.village_staff, S.accepted, {}, {"mediator_id": MEDIATOR}, S.mediating)],
    Action.record_session: [
        (Role.mediator, S.mediating, {"actor_id": MEDIATOR}, {"summary": "双方到场"}, S.mediating),
        (Role.department_liaison, S.referred, {"actor_department_involved": True},
         {"summary": "司法所调解"}, S.referred),
    ],
    Action.resolve: [
        (Role.mediator, S.mediating, {"actor_id": MEDIATOR}, {"outcome": "written_agreement"},
         S.resolved),
        (Role.mediator, S.mediating, {"actor_id": MEDIATOR}, {"outcome": "partial"}, S.mediating),
    ],
    Action.escalate: [(Role.village_staff, S.accepted, {}, {}, S.accepted)],
    Action.pull_up: [
        (Role.township_dispatcher, S.accepted, {"actor_is_handler_unit": False},
         {"reason": "涉及多村"}, S.accepted),
    ],
    Action.push_down: [
        (Role.township_dispatcher, S.accepted, {"level": Level.township},
         {"target_unit_id": 150521100201}, S.accepted),
    ],
    Action.refer: [
        (Role.township_dispatcher, S.mediating, {"level": Level.township},
         {"route": "litigation", "receiver": "科左中旗人民法院"}, S.referred),
    ],
    Action.start_joint: [
        (Role.township_dispatcher, S.accepted, {"level": Level.township},
         {"departments": ["police", "labour"]}, S.mediating),
    ],
    Action.complete_subtask: [
        (Role.department_liaison, S.mediating,
         {"open_subtasks": 1, "actor_department_involved": True},
         {"subtask_id": 11, "result": "已垫付工资"}, S.mediating),
    ],
    Action.suspend: [
        (Role.mediator, S.mediating, {"actor_id": MEDIATOR}, {"reason": "当事人住院"}, S.suspended),
    ],
    Action.resume: [(Role.village_staff, S.suspended, {}, {}, S.mediating)],
    Action.follow_up: [
        (Role.village_staff, S.resolved, {}, {"satisfied": True}, S.closed),
        (Role.village_staff, S.resolved, {}, {"satisfied": False}, S.accepted),
    ],
    Action.reopen: [
        (Role.village_staff, S.closed, {"closed_days_ago": 10}, {"reason": "再次纠纷"}, S.accepted),
    ],
    Action.close: [
        (Role.department_liaison, S.referred, {"actor_department_involved": True},
         {"result": "法院已判决"}, S.closed),
    ],
    Action.archive: [(Role.township_dispatcher, S.closed, {}, {}, S.archived)],
    Action.extend: [
        (Role.mediator, S.mediating, {"actor_id": MEDIATOR}, {"parties_consent": True},
         S.mediating),
    ],
    # The deadline sweep (SYSTEM acts with the admin role and is the platform).
    Action.auto_escalate: [
        (Role.admin, S.mediating, {"actor_is_platform": True}, {}, S.accepted),
        (Role.admin, S.reported, {"actor_is_platform": True}, {}, S.accepted),
    ],
}  # fmt: skip

ACTIONS = list(TRANSITIONS)


def example(action: Action) -> tuple[CaseFacts, dict]:
    role, state, changes, payload, _ = EXAMPLES[action][0]
    return facts(state, role, **changes), payload


def test_the_table_has_one_row_per_action_and_an_example_for_each():
    assert set(TRANSITIONS) == set(Action)
    assert all(row.action is action for action, row in TRANSITIONS.items())
    assert set(EXAMPLES) == set(TRANSITIONS), "add an example for the new row"


@pytest.mark.parametrize(
    "action,role,state,changes,payload,to_state",
    [(a, *ex) for a, examples in EXAMPLES.items() for ex in examples],
    ids=lambda value: str(value) if isinstance(value, str) else None,
)
def test_allowed(action, role, state, changes, payload, to_state):
    decision = check(action, facts(state, role, **changes), payload)
    assert decision == Allowed(action, to_state, decision.effects)
    assert decision.ok


@pytest.mark.parametrize("action", ACTIONS)
def test_refused_from_every_other_state(action):
    good, payload = example(action)
    row = TRANSITIONS[action]
    for state in set(CaseState) - row.from_states:
        decision = check(action, dataclasses.replace(good, state=state), payload)
        assert decision == InvalidState(action, state, row.from_states)
        assert not decision.ok and decision.http_status == 409
        assert state in decision.message


@pytest.mark.parametrize("action", ACTIONS)
def test_refused_for_every_other_role(action):
    good, payload = example(action)
    row = TRANSITIONS[action]
    assert set(Role) - row.allowed_roles, "every action is refused to someone"
    for role in set(Role) - row.allowed_roles:
        decision = check(action, dataclasses.replace(good, actor_role=role), payload)
        assert isinstance(decision, RoleNotAllowed) and decision.role == role
        assert decision.http_status == 403


@pytest.mark.parametrize(
    "action,name", [(a, name) for a, row in TRANSITIONS.items() for name in row.required]
)
@pytest.mark.parametrize("blank", ["absent", None, "  ", []])
def test_refused_without_a_required_field(action, name, blank):
    good, payload = example(action)
    payload = {k: v for k, v in payload.items() if k != name}
    if blank != "absent":
        payload[name] = blank
    decision = check(action, good, payload)
    assert decision == MissingFields(action, (name,))
    assert name in decision.message and decision.http_status == 422


def test_false_and_zero_are_answers_not_blanks():
    good, _ = example(Action.follow_up)
    assert check(Action.follow_up, good, {"satisfied": False}).ok
    good, _ = example(Action.push_down)
    assert check(Action.push_down, good, {"target_unit_id": 0}).ok


# --- guards ---------------------------------------------------------------------------------

GUARD_CASES = {
    # code: (action, facts changes on top of the action's first example, payload changes)
    "platform_only": (Action.auto_escalate, {"actor_is_platform": False}, {}),
    "follow_up_by_handler": (Action.follow_up, {"handler_id": STAFF}, {}),
    "escalate_at_top": (
        Action.escalate, {"level": Level.county, "actor_role": Role.county_staff}, {}),
    "resolve_on_spot_not_small": (Action.resolve_on_spot, {"severity": "major"}, {}),
    "already_extended": (Action.extend, {"extended": True}, {}),
    "reopen_window_passed": (Action.reopen, {"closed_days_ago": 120.5}, {}),
    "terminated_needs_routes": (Action.resolve, {}, {"outcome": "terminated"}),
    "open_subtasks": (Action.close, {"open_subtasks": 2}, {}),
    "push_down_at_bottom": (Action.push_down, {"level": Level.village}, {}),
    "pull_up_at_top": (
        Action.pull_up, {"level": Level.county, "actor_role": Role.county_staff}, {}),
    "not_level_above": (Action.pull_up, {"actor_role": Role.county_staff}, {}),
    "not_reporter": (Action.resolve_on_spot, {"actor_id": OTHER}, {}),
    "on_spot_outcome": (Action.resolve_on_spot, {}, {"outcome": "partial"}),
    "wrong_level": (Action.accept, {"level": Level.township}, {}),
    "not_owning_unit": (Action.accept, {"actor_is_handler_unit": False}, {}),
    "not_handler": (Action.resolve, {"actor_id": OTHER}, {}),
    "department_not_involved": (Action.close, {"actor_department_involved": False}, {}),
    "unknown_outcome": (Action.resolve, {}, {"outcome": "settled"}),
    "no_open_subtasks": (Action.complete_subtask, {"open_subtasks": 0}, {}),
    "unknown_route": (Action.refer, {}, {"route": "mediation"}),
    "merge_into_self": (Action.merge, {"case_id": 6}, {}),
    "no_consent": (Action.extend, {}, {"parties_consent": False}),
}  # fmt: skip


@pytest.mark.parametrize("code", list(GUARD_CASES))
def test_guard_refuses_with_its_code_and_a_formatted_message(code):
    action, changes, payload_changes = GUARD_CASES[code]
    good, payload = example(action)
    decision = check(action, dataclasses.replace(good, **changes), {**payload, **payload_changes})
    assert isinstance(decision, GuardFailure) and decision.code == code
    assert decision.http_status == 422
    assert "%(" not in decision.message


def test_every_guard_message_is_exercised():
    assert set(GUARD_CASES) == set(GUARD_MESSAGES)
    assert set(REFUSAL_MESSAGES) == {"invalid_state", "role_not_allowed", "missing_fields"}


def test_follow_up_is_by_someone_other_than_the_handler():
    on_spot = check(Action.resolve_on_spot, *example(Action.resolve_on_spot))
    assert Effect.actor_is_handler in on_spot.effects  # the grid worker becomes the handler
    good, payload = example(Action.follow_up)
    assert check(Action.follow_up, good, payload).ok
    by_handler = dataclasses.replace(good, handler_id=STAFF)
    assert check(Action.follow_up, by_handler, payload).code == "follow_up_by_handler"


def test_terminated_with_routes_explained_is_resolved():
    good, _ = example(Action.resolve)
    payload = {"outcome": Outcome.terminated, "routes_explained": True}
    assert check(Action.resolve, good, payload) == Allowed(
        Action.resolve, S.resolved, frozenset({Effect.start_follow_up_clock})
    )


def test_partial_stays_mediating_and_is_flagged_even_with_subtasks_open():
    good, _ = example(Action.resolve)
    good = dataclasses.replace(good, open_subtasks=1)
    assert check(Action.resolve, good, {"outcome": "partial"}) == Allowed(
        Action.resolve, S.mediating, frozenset({Effect.partial_resolution})
    )
    assert check(Action.resolve, good, {"outcome": "oral_agreement"}).code == "open_subtasks"


def test_urgent_cases_are_not_small_and_start_the_urgent_clocks():
    good, payload = example(Action.submit)
    assert check(Action.submit, good, payload).effects == frozenset()
    urgent = dataclasses.replace(good, is_urgent=True)
    assert check(Action.submit, urgent, payload).effects == {Effect.starts_urgent_clocks}
    assert not urgent.small_case
    on_spot, payload = example(Action.resolve_on_spot)
    urgent = dataclasses.replace(on_spot, is_urgent=True)
    assert check(Action.resolve_on_spot, urgent, payload).code == "resolve_on_spot_not_small"


def test_reopen_on_the_last_day_of_the_window_is_fine():
    good, payload = example(Action.reopen)
    edge = dataclasses.replace(good, closed_days_ago=30, reopen_window_days=30)
    assert check(Action.reopen, edge, payload).ok
    late = dataclasses.replace(edge, closed_days_ago=30.5)
    assert check(Action.reopen, late, payload).params == {"days": 30, "window": 30}


def test_merge_compares_ids_of_any_type():
    good, _ = example(Action.merge)
    case_id = uuid.uuid4()
    good = dataclasses.replace(good, case_id=case_id)
    assert check(Action.merge, good, {"duplicate_of": str(case_id)}).code == "merge_into_self"
    assert check(Action.merge, good, {"duplicate_of": str(uuid.uuid4())}).ok


def test_county_leader_may_only_pull_up_township_cases():
    leader = facts(S.mediating, Role.county_leader, level=Level.township,
                   actor_is_handler_unit=False)  # fmt: skip
    assert check(Action.pull_up, leader, {"reason": "提级督办"}).effects == {
        Effect.level_up, Effect.clear_handler
    }  # fmt: skip
    village = dataclasses.replace(leader, level=Level.village)
    assert check(Action.pull_up, village, {"reason": "提级督办"}).code == "not_level_above"


def test_role_levels_agree_with_the_units_roles_may_be_bound_to():
    for role, level in ROLE_LEVEL.items():
        assert level in ROLE_LEVELS[role]


# --- paths ----------------------------------------------------------------------------------


def test_every_state_is_reachable_from_draft():
    reached, queue = {S.draft}, deque([S.draft])
    while queue:
        state = queue.popleft()
        for action, examples in EXAMPLES.items():
            if state not in TRANSITIONS[action].from_states:
                continue
            for role, _, changes, payload, _ in examples:
                decision = check(action, facts(state, role, **changes), payload)
                if decision.ok and decision.to_state not in reached:
                    reached.add(decision.to_state)
                    queue.append(decision.to_state)
    assert reached == set(CaseState)


def test_terminal_states_have_no_way_out():
    sources = set().union(*(row.from_states for row in TRANSITIONS.values()))
    assert set(CaseState) - sources == {S.archived, S.rejected, S.merged}


def step(current: CaseFacts, action: Action, payload: dict, **actor: object) -> CaseFacts:
    decision = check(action, dataclasses.replace(current, **actor), payload)
    assert decision.ok, (action, decision)
    return dataclasses.replace(current, state=decision.to_state)


def test_happy_path_from_draft_to_archive():
    case = facts(S.draft, Role.grid_worker, actor_id=REPORTER, handler_id=None)
    case = step(case, Action.submit, {})
    village = {"actor_role": Role.village_staff, "actor_id": STAFF, "actor_is_handler_unit": True}
    case = step(case, Action.accept, {}, **village)
    case = step(case, Action.assign, {"mediator_id": MEDIATOR}, **village)
    case = dataclasses.replace(case, handler_id=MEDIATOR)
    mediator = {"actor_role": Role.mediator, "actor_id": MEDIATOR}
    case = step(case, Action.record_session, {"summary": "第一次调解"}, **mediator)
    case = step(case, Action.extend, {"parties_consent": True}, **mediator)
    case = step(case, Action.resolve, {"outcome": Outcome.written_agreement}, **mediator)
    assert case.state is S.resolved
    case = step(case, Action.follow_up, {"satisfied": True}, **village)
    assert case.state is S.closed
    case = step(case, Action.archive, {}, actor_role=Role.township_dispatcher, actor_id=OTHER)
    assert case.state is S.archived


def test_escalated_then_referred_then_closed_by_the_receiver():
    case = facts(S.accepted, Role.village_staff)
    decision = check(Action.escalate, case, {})
    assert decision == Allowed(
        Action.escalate, S.accepted, frozenset({Effect.level_up, Effect.clear_handler})
    )
    case = dataclasses.replace(case, level=Level.township, handler_id=None)
    township = {"actor_role": Role.township_dispatcher, "actor_id": OTHER}
    case = step(case, Action.refer, {"route": "arbitration", "receiver": "劳动仲裁院"}, **township)
    liaison = {"actor_role": Role.department_liaison, "actor_department_involved": True,
               "actor_is_handler_unit": False}  # fmt: skip
    case = step(case, Action.close, {"result": "仲裁裁决已履行"}, **liaison)
    assert case.state is S.closed


def test_rebound_paths_are_flagged():
    closed = facts(S.closed, Role.township_dispatcher, level=Level.township, closed_days_ago=40)
    assert check(Action.reopen, closed, {"reason": "纠纷再起"}) == Allowed(
        Action.reopen, S.accepted, frozenset({Effect.counts_as_rebound})
    )
    resolved = facts(S.resolved, Role.village_staff)
    assert check(Action.follow_up, resolved, {"satisfied": False}) == Allowed(
        Action.follow_up, S.accepted, frozenset({Effect.counts_as_rebound})
    )


# --- what the UI offers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "case,expected",
    [
        (facts(S.draft, Role.grid_worker, actor_id=REPORTER),
         [Action.submit, Action.resolve_on_spot]),
        (facts(S.draft, Role.grid_worker, actor_id=REPORTER, severity="major"), [Action.submit]),
        (facts(S.draft, Role.grid_worker, actor_id=OTHER), []),
        (facts(S.reported, Role.village_staff),
         [Action.accept, Action.return_, Action.reject, Action.merge]),
        (facts(S.reported, Role.township_dispatcher, actor_is_handler_unit=False),
         [Action.pull_up]),
        (facts(S.mediating, Role.mediator, actor_id=MEDIATOR),
         [Action.record_session, Action.resolve, Action.suspend, Action.extend]),
        (facts(S.mediating, Role.mediator, actor_id=MEDIATOR, extended=True),
         [Action.record_session, Action.resolve, Action.suspend]),
        (facts(S.mediating, Role.mediator, actor_id=OTHER), []),
        (facts(S.accepted, Role.county_staff, level=Level.county),
         [Action.merge, Action.return_, Action.assign, Action.push_down, Action.refer,
          Action.start_joint]),
        (facts(S.resolved, Role.village_staff), [Action.follow_up]),
        (facts(S.resolved, Role.village_staff, handler_id=STAFF), []),
        (facts(S.mediating, Role.county_leader, level=Level.township), [Action.pull_up]),
        (facts(S.mediating, Role.assessor), []),
        (facts(S.closed, Role.admin), []),
    ],
)  # fmt: skip
def test_available_actions(case, expected):
    assert sorted(available_actions(case)) == sorted(expected)


def test_the_module_is_pure():
    tree = ast.parse(inspect.getsource(workflow))
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module.split(".")[0] for node in ast.walk(tree)
         if isinstance(node, ast.ImportFrom) and node.module}  # fmt: skip
    assert imported <= {"__future__", "collections", "dataclasses", "enum", "typing", "govgrid"}
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert {m for m in modules if m and m.startswith("govgrid")} <= {
        "govgrid.auth.roles", "govgrid.cases.vocabulary"
    }  # fmt: skip
