"""One demo case's life, transition by transition, exactly as the case service would record it
(pure: no Flask, no database).

`CaseSim.act` asks the real state machine (`workflow.check`) before every step, so a history
the workflow would refuse cannot be generated, and then changes the case's columns the way
`cases.transitions._changes` / `_side_effects` do: same deadlines, same counters, same event
payload keys, a mediation session per `record_session`, a handler assignment per `assign` of a
real user. Steps dated at or after the end of the history are dropped, which is what leaves
the most recent cases open in whatever state they had reached.

People: each role in a case is a person with a key: the id of a demo user where one fits
(保南村's grid worker, 保康镇's dispatcher and mediator...), otherwise a negative stand-in that
is never written (actor_id, handler_id, mediator_id are NULL then). The keys let the
workflow's identity guards (own report, handler is not the follow-up visitor) be checked for
everyone. Event dicts carry this under keys starting with "_" that the loader does not store.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from govgrid.auth.roles import Role
from govgrid.cases import deadlines
from govgrid.cases.deadlines import Deadlines
from govgrid.cases.vocabulary import Severity
from govgrid.cases.workflow import Action, CaseFacts, CaseState, Effect, Level, check

# The payload keys transitions.py copies into the timeline entry (its `_changes` memo).
MEMO_KEYS = ("outcome", "satisfied", "route", "receiver", "target_unit_id", "mediator_id",
             "departments", "routes_explained", "duplicate_of")
NOTE_KEYS = ("note", "reason", "summary", "result")  # the first present becomes the note
_UP = {Level.village: Level.township, Level.township: Level.county}
# The demo county keeps the default policy (natural days), as a fresh county does.
CLOCK = Deadlines()


@dataclass(frozen=True)
class Actor:
    role: Role
    key: int  # a demo user's id (> 0), or a stand-in (< 0) that is stored as NULL
    unit_id: int

    @property
    def user_id(self) -> int | None:
        return self.key if self.key > 0 else None


@dataclass
class Cast:
    """Who may act on one case: one person per role and level."""

    reporter: Actor
    village_staff: Actor
    village_mediator: Actor
    dispatcher: Actor
    township_mediator: Actor
    county_staff: Actor
    county_mediator: Actor
    units: dict[Level, int]  # the case's village, township and county ids

    def staff(self, level: Level) -> Actor:
        return {Level.village: self.village_staff, Level.township: self.dispatcher,
                Level.county: self.county_staff}[level]

    def mediator(self, level: Level) -> Actor:
        return {Level.village: self.village_mediator, Level.township: self.township_mediator,
                Level.county: self.county_mediator}[level]


def real(key: Any) -> Any:
    """A person key as stored: stand-ins (negative ints) become NULL."""
    return None if isinstance(key, int) and not isinstance(key, bool) and key < 0 else key


@dataclass
class CaseSim:
    row: dict[str, Any]  # the `cases` row being built (column -> value)
    category_days: int | None
    units: dict[Level, int]  # the case's village, township and county ids
    end: dt.datetime  # steps at or after this moment did not happen yet
    category_code: str = ""
    events: list[dict[str, Any]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    assignments: list[dict[str, Any]] = field(default_factory=list)
    handler_key: int | None = None
    reporter_key: int | None = None
    stopped: bool = False
    last_at: dt.datetime | None = None
    # Typed copies of row["state"], row["owner_level"], row["severity"] (enum lookups by
    # value are the slowest part of a step otherwise).
    state: CaseState = CaseState.draft
    level: Level = Level.village
    severity: Severity = Severity.general
    _remaining_s: float = 0.0

    # --- creation (reporting.report_case, not a workflow transition) ----------------------

    def report(self, reporter: Actor, owner_id: int, owner_level: Level,
               at: dt.datetime) -> None:
        row = self.row
        self.reporter_key = reporter.key
        self.state, self.level = CaseState.reported, owner_level
        self.severity = Severity(row["severity"])
        row.update(owner_unit_id=owner_id, owner_level=owner_level,
                   state=CaseState.reported, version=1, reporter_id=reporter.user_id,
                   handler_id=None, outcome=None, referral_route=None, referral_receiver=None,
                   duplicate_of_id=None, extended=False, rebound_count=0, escalation_count=0,
                   reported_at=at, accepted_at=None, **CLOCK.accept(at).columns(),
                   resolved_at=None, resolved_late=None, closed_at=None, archived_at=None,
                   created_at=at, updated_at=at)
        self.last_at = at
        self.events.append(self._event("submit", None, CaseState.reported, reporter, at,
                                       {"source": row["source"]}, None, {}, late=False))

    # --- a transition ---------------------------------------------------------------------

    def act(self, action: Action, actor: Actor, at: dt.datetime,
            **inp: Any) -> bool:
        """Apply `action` at `at` if that moment lies before the end; False once stopped."""
        if self.stopped or self.last_at is None:
            return False
        at = max(at, self.last_at + dt.timedelta(minutes=1))  # the timeline moves forward
        if at >= self.end:
            self.stopped = True
            return False
        decision = check(action, self.facts(actor, at), inp)
        if not decision.ok:  # a bug in the plans, never a property of the data
            raise AssertionError(f"{action} refused: {decision.code} {dict(decision.params)}")
        row = self.row
        before = self.state
        late = row["due_at"] is not None and at > row["due_at"]
        memo = self._apply(action, decision.effects, decision.to_state, actor, at, inp)
        # Enum members are stored as they are: StrEnums are their values (and .value is slow).
        self.state = row["state"] = decision.to_state
        row["version"] += 1
        row["updated_at"] = at
        self.last_at = at
        note = None
        for key in NOTE_KEYS:
            if inp.get(key):
                note = str(inp[key])[:2000]
                break
        self.events.append(self._event(action, before, decision.to_state, actor, at,
                                       memo, note, inp, late=late))
        return True

    def facts(self, actor: Actor, at: dt.datetime) -> CaseFacts:
        row = self.row
        closed = row["closed_at"]
        return CaseFacts(
            state=self.state, level=self.level, actor_id=actor.key,
            actor_role=actor.role, actor_is_handler_unit=actor.unit_id == row["owner_unit_id"],
            case_id=row["id"], severity=self.severity, is_urgent=row["is_urgent"],
            reporter_id=self.reporter_key, handler_id=self.handler_key,
            extended=row["extended"],
            closed_days_ago=None if closed is None else (at - closed).total_seconds() / 86400)

    def resolve_limit(self) -> int:
        return CLOCK.resolve_limit(self.level, self.category_code, self.severity,
                                   self.category_days)

    def _resolve_due(self, at: dt.datetime) -> dict[str, Any]:
        return CLOCK.resolve(at, self.level, self.category_code, self.severity,
                             self.category_days).columns()

    def _apply(self, action: Action, effects: frozenset[Effect], to_state: CaseState,
               actor: Actor, at: dt.datetime, inp: dict[str, Any]) -> dict[str, Any]:
        """transitions._changes and _side_effects, on a dict (same order of updates)."""
        row, memo = self.row, {}
        if action is Action.accept:
            row.update(accepted_at=at, **self._resolve_due(at))
        if Effect.level_up in effects:
            memo["from_unit_id"] = row["owner_unit_id"]
            self.level = _UP[self.level]
            row.update(owner_unit_id=self.units[self.level], owner_level=self.level,
                       escalation_count=row["escalation_count"] + 1,
                       **self._resolve_due(at))
        if Effect.level_down in effects:
            memo["from_unit_id"] = row["owner_unit_id"]
            self.level = next(k for k, v in self.units.items() if v == inp["target_unit_id"])
            row.update(owner_unit_id=inp["target_unit_id"], owner_level=self.level,
                       **self._resolve_due(at))
        if Effect.clear_handler in effects or action is Action.assign:
            self._end_assignment(at)
        if Effect.clear_handler in effects:
            self.handler_key = None
        if Effect.actor_is_handler in effects:
            self.handler_key = actor.key
        if action is Action.assign:
            self.handler_key = inp["mediator_id"]
            if real(inp["mediator_id"]) is not None:
                self.assignments.append({
                    "county_id": row["county_id"], "case_id": row["id"],
                    "user_id": inp["mediator_id"], "kind": "handler", "task": None,
                    "active": True, "done_at": None, "created_at": at})
        row["handler_id"] = real(self.handler_key)
        if action in (Action.resolve, Action.resolve_on_spot):
            row["outcome"] = inp["outcome"]
        if Effect.start_follow_up_clock in effects:
            late = row["due_at"] is not None and at > row["due_at"]
            row.update(resolved_at=at, resolved_late=late, **CLOCK.follow_up(at).columns())
        if Effect.counts_as_rebound in effects:
            row.update(rebound_count=row["rebound_count"] + 1, closed_at=None, resolved_at=None,
                       resolved_late=None,
                       **self._resolve_due(at))
        if to_state is CaseState.closed:
            row.update(closed_at=at, **deadlines.NO_CLOCK)
        if action is Action.archive:
            row["archived_at"] = at
        if Effect.pause_clock in effects and row["due_at"] is not None:
            self._remaining_s = max(0.0, (row["due_at"] - at).total_seconds())
            memo["remaining_s"] = self._remaining_s
            row.update(deadlines.NO_CLOCK)
        if Effect.resume_clock in effects:
            row.update(CLOCK.resume(at, self._remaining_s).columns())
        if Effect.extend_deadline in effects:
            row.update(extended=True, **CLOCK.extend(
                row["due_started_at"] or at, row["due_at"] or at, self.resolve_limit()).columns())
        if action is Action.merge:
            row["duplicate_of_id"] = inp["duplicate_of"]
        if action is Action.refer:
            row.update(referral_route=inp["route"], referral_receiver=str(inp["receiver"]))
        if action is Action.record_session:
            self.sessions.append({
                "county_id": row["county_id"], "case_id": row["id"],
                "mediator_id": actor.user_id, "held_at": at, "place": inp.get("place"),
                "participants": list(inp.get("participants") or []),
                "summary": str(inp["summary"]), "result": inp.get("result"), "created_at": at})
        for key in MEMO_KEYS:
            if key in inp:
                value = inp[key]
                memo[key] = str(value) if isinstance(value, uuid.UUID) else real(value)
        return memo

    def _end_assignment(self, at: dt.datetime) -> None:
        for assignment in self.assignments:
            if assignment["active"]:
                assignment.update(active=False, done_at=at)

    def _event(self, action: str, before: CaseState | None, after: CaseState, actor: Actor,
               at: dt.datetime, payload: dict[str, Any], note: str | None,
               inp: dict[str, Any], *, late: bool) -> dict[str, Any]:
        return {
            "county_id": self.row["county_id"], "case_id": self.row["id"], "action": action,
            "from_state": before, "to_state": after,
            "actor_id": actor.user_id, "actor_unit_id": actor.unit_id, "at": at, "note": note,
            "payload": payload,
            # Not stored: who acted (role and person key) and the payload as submitted, so a
            # test can replay the timeline through workflow.check; whether the step came
            # after the time limit then running (a late acceptance or resolution).
            "_role": actor.role, "_actor": actor.key, "_input": inp, "_late": late,
        }
