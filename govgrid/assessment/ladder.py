"""The sanction ladder as a pure state machine with an explicit clock (county rules
art. 28–31): 通报 with a rectification deadline → if not rectified, 约谈 → 挂牌督办 (six
months' disqualification) → 一票否决 (one year). No real time is read here: `now` and every
date are arguments. They may be dates or datetimes (not mixed); the service passes local
(Asia/Shanghai) ones, so that months and days are the county's.

- Deadline: confirmed_at + the step's rectification days (+ the scheme's mitigation days
  when the sanction is mitigated, 从轻); the veto has none.
- Disqualification (挂牌督办, 一票否决): until add_months(confirmed_at, months), that moment
  excluded — confirmed 2024-03-10, six months, disqualified up to 2024-09-09 inclusive and
  expired on 2024-09-10. Rectifying does not shorten it.
- In force: a confirmed 通报 / 约谈 until rectified or superseded; a confirmed or rectified
  挂牌督办 / 一票否决 until its disqualification ends.
- 从重: any aggravating factor (迟报, 瞒报, 阻碍) raises the proposed step by one, never
  beyond the veto. 从轻: only mitigating factors (及时补救, 积极配合) and no aggravating one
  keep the step and extend its rectification deadline; a factor that is itself the trigger
  is not counted again (`propose(..., ignore=...)`).
- Folding: a new proposal for a unit that already has the same or a higher step in force, or
  the same step proposed, is folded into that sanction (its evidence is added there), not
  raised again.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from .scheme import Scheme
from .vocabulary import AGGRAVATING, MITIGATING, Factor, SanctionState, Step

DISQUALIFYING = frozenset({Step.supervision, Step.veto})


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, clamped to the month's end (31 Aug + 6 →
    28 Feb or 29 Feb in a leap year). Keeps the time of a datetime."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    following = date(year + month // 12, month % 12 + 1, 1)
    return day.replace(year=year, month=month,
                       day=min(day.day, (following - timedelta(days=1)).day))


@dataclass(frozen=True)
class Sanction:
    id: int
    step: Step
    state: SanctionState
    confirmed_at: date | None = None
    deadline: date | None = None  # rectification due by (included)
    rectified_at: date | None = None
    factors: frozenset[Factor] = frozenset()
    disqualified_until: date | None = None  # first moment no longer disqualified


def aggravated(factors: Iterable[Factor]) -> bool:
    return any(f in AGGRAVATING for f in factors)


def mitigated(factors: Iterable[Factor]) -> bool:
    """从轻 applies: a mitigating factor and no aggravating one."""
    factors = set(factors)
    return bool(factors & MITIGATING) and not factors & AGGRAVATING


@dataclass(frozen=True)
class Decision:
    step: Step  # the step to propose
    base: Step  # what the trigger called for
    aggravated: bool
    mitigated: bool  # the deadline will be extended when confirmed


def propose(step: Step, factors: Iterable[Factor], ignore: Iterable[Factor] = ()) -> Decision:
    """从重 / 从轻 on a step. `ignore`: factors that are the trigger itself (a late report
    proposing a 通报 is not also aggravated by being late)."""
    counted = set(factors) - set(ignore)
    if aggravated(counted):
        return Decision(step.next(), step, True, False)
    return Decision(step, step, False, mitigated(counted))


def terms(step: Step, confirmed_at: date, scheme: Scheme,
          factors: Iterable[Factor] = ()) -> tuple[date | None, date | None]:
    """(rectification deadline, disqualified until) of a step confirmed at a moment."""
    days = scheme.rectification_days.get(step)
    if days is not None and mitigated(factors):
        days += scheme.mitigation_days
    months = scheme.disqualification_months.get(step)
    return (None if days is None else confirmed_at + timedelta(days=days),
            None if months is None else add_months(confirmed_at, months))


def in_force(sanction: Sanction, now: date) -> bool:
    if sanction.step in DISQUALIFYING:
        return (sanction.state in (SanctionState.confirmed, SanctionState.rectified)
                and sanction.disqualified_until is not None
                and now < sanction.disqualified_until)
    return sanction.state is SanctionState.confirmed


@dataclass(frozen=True)
class Standing:
    step: Step | None  # the highest step in force; None: in good standing
    sanction_id: int | None  # the sanction behind it (the latest confirmed of that step)
    in_force: tuple[int, ...]  # every sanction in force, by id
    disqualified_until: date | None  # the latest end of a disqualification in force


def standing(history: Iterable[Sanction], now: date) -> Standing:
    live = sorted((s for s in history if in_force(s, now)), key=lambda s: s.id)
    if not live:
        return Standing(None, None, (), None)
    top = max(live, key=lambda s: (s.step.rank, s.confirmed_at or now, s.id))
    ends = [s.disqualified_until for s in live if s.disqualified_until is not None]
    return Standing(top.step, top.id, tuple(s.id for s in live), max(ends) if ends else None)


@dataclass(frozen=True)
class Overdue:
    sanction: Sanction  # the evidence: confirmed, deadline passed, not rectified
    next_step: Step


def overdue(history: Iterable[Sanction], now: date) -> list[Overdue]:
    """Confirmed sanctions in force whose deadline has passed unrectified, by id, each with
    the next step to propose (art. 29–31). The veto has no next step."""
    return [Overdue(s, s.step.next()) for s in sorted(history, key=lambda s: s.id)
            if s.state is SanctionState.confirmed and s.step is not Step.veto
            and s.deadline is not None and now > s.deadline and in_force(s, now)]


def to_expire(history: Iterable[Sanction], now: date) -> list[Sanction]:
    """Disqualifications that have run out but are not yet marked expired, by id."""
    return [s for s in sorted(history, key=lambda s: s.id)
            if s.step in DISQUALIFYING
            and s.state in (SanctionState.confirmed, SanctionState.rectified)
            and s.disqualified_until is not None and now >= s.disqualified_until]


def folds_into(step: Step, history: Iterable[Sanction], now: date) -> Sanction | None:
    """The sanction a new proposal of `step` folds into: the highest in force at or above
    it, else a pending proposal of the same step (the earliest first); None: raise it."""
    history = list(history)
    live = [s for s in history if in_force(s, now) and s.step.rank >= step.rank]
    if live:
        return max(live, key=lambda s: (s.step.rank, -s.id))
    pending = [s for s in history if s.state is SanctionState.proposed and s.step is step]
    return min(pending, key=lambda s: s.id) if pending else None


class Action(enum.StrEnum):
    confirm = "confirm"  # proposed → confirmed: the clock starts
    dismiss = "dismiss"  # proposed → dismissed (a reason is required)
    rectify = "rectify"  # confirmed → rectified (an accepted rectification report)
    supersede = "supersede"  # confirmed → superseded (the next step was confirmed)
    expire = "expire"  # confirmed / rectified → expired (disqualification ran out)


FROM: Mapping[Action, tuple[SanctionState, ...]] = {
    Action.confirm: (SanctionState.proposed,),
    Action.dismiss: (SanctionState.proposed,),
    Action.rectify: (SanctionState.confirmed,),
    Action.supersede: (SanctionState.confirmed,),
    Action.expire: (SanctionState.confirmed, SanctionState.rectified),
}


@dataclass(frozen=True)
class Refusal:
    code: str  # wrong_state, reason_required, report_required, does_not_expire, not_yet
    params: Mapping[str, Any] = field(default_factory=dict)


def transition(sanction: Sanction, action: Action, now: date, scheme: Scheme, *,
               reason: str | None = None, report: Any = None) -> Sanction | Refusal:
    """The sanction after `action` at `now`, or why not. Confirming sets confirmed_at, the
    deadline and the disqualification end from the scheme and the recorded factors."""
    if sanction.state not in FROM[action]:
        return Refusal("wrong_state", {"state": str(sanction.state), "action": str(action)})
    if action is Action.dismiss and not (reason or "").strip():
        return Refusal("reason_required")
    if action is Action.rectify and (report is None or report == ""):
        return Refusal("report_required")
    if action is Action.expire:
        if sanction.step not in DISQUALIFYING:
            return Refusal("does_not_expire", {"step": str(sanction.step)})
        until = sanction.disqualified_until
        if until is None or now < until:
            return Refusal("not_yet", {"until": until.isoformat() if until else None})
    if action is Action.confirm:
        deadline, until = terms(sanction.step, now, scheme, sanction.factors)
        return replace(sanction, state=SanctionState.confirmed, confirmed_at=now,
                       deadline=deadline, disqualified_until=until)
    if action is Action.rectify:
        return replace(sanction, state=SanctionState.rectified, rectified_at=now)
    return replace(sanction, state={Action.dismiss: SanctionState.dismissed,
                                    Action.supersede: SanctionState.superseded,
                                    Action.expire: SanctionState.expired}[action])
