"""How a demo case goes: a plan (resolved in the village, escalated, referred, rebound...) played
out as workflow steps with realistic delays (pure).

Timing follows the service's clocks: acceptance mostly within hours (some after 24 h), a
resolution mostly within the time limit that `accept`/`escalate`/a rebound started (some
overdue, some saved by the one extension), a follow-up visit within 15 days, archiving 90+
days after closure. Staff act in office hours (China Standard Time); urgent cases do not wait.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from govgrid.cases.workflow import Action, CaseState, Level, Outcome
from govgrid.demo.history_timeline import CaseSim, Cast

CST = ZoneInfo("Asia/Shanghai")
DAY = dt.timedelta(days=1)
_UP = {Level.village: Level.township, Level.township: Level.county}

# Plan -> how many levels the case climbs before it is settled.
ESCALATIONS = {"escalate": 1, "escalate2": 2}
OUTCOMES = ((Outcome.written_agreement, 0.50), (Outcome.oral_agreement, 0.35),
            (Outcome.withdrawn, 0.08), (Outcome.terminated, 0.07))
ON_SPOT_OUTCOMES = ((Outcome.oral_agreement, 0.7), (Outcome.written_agreement, 0.2),
                    (Outcome.withdrawn, 0.1))
REJECT_REASONS = ("不属于矛盾纠纷受理范围，已告知当事人向有关部门反映",
                  "已进入诉讼程序，依法不予受理", "反映事项已经处理完毕，无新情况新理由",
                  "当事人撤回申请")
SUMMARIES = ("分别听取双方当事人陈述，核实争议事实", "组织双方面对面调解，释法明理",
             "邀请村两委成员及乡贤参与调解，双方意见逐步接近", "实地查看现场，调取相关证据材料",
             "背对背做双方工作，提出调解方案")
FINAL_SUMMARY = "双方当事人在调解员主持下协商一致"
PARTIAL_SUMMARY = "就主要争议达成阶段性共识，剩余事项继续调解"


@dataclass(frozen=True)
class PlanContext:
    intake: Level  # the level that holds the case when it is reported
    push_down: bool  # the township hands a 12345/110 order down to the village
    urgent: bool
    duplicate_of: uuid.UUID | None  # merge plans: the case this one duplicates
    route: tuple[str, str]  # (legal route, receiver) for referrals
    participants: tuple[str, ...]
    places: dict[Level, str]  # where mediation sessions are held


def pick(rnd: random.Random, weighted: tuple[tuple[Outcome, float], ...]) -> Outcome:
    return rnd.choices([o for o, _ in weighted], [w for _, w in weighted])[0]


def office(t: dt.datetime, rnd: random.Random) -> dt.datetime:
    """The moment (UTC) moved into office hours, 08:00-18:30 China Standard Time: staff do not
    act at night. CST is UTC+8 all year (no summer time), so 08:00 local is 00:00 UTC and
    the next office morning after any out-of-hours moment is the next UTC midnight; doing
    this arithmetic in UTC avoids two time-zone conversions per step."""
    if t.hour + t.minute / 60 < 10.5:
        return t
    morning = t.replace(hour=0, minute=0, second=0, microsecond=0) + DAY
    return morning + dt.timedelta(minutes=rnd.uniform(0, 90))


def workday(t: dt.datetime, rnd: random.Random) -> dt.datetime:
    """Some office-hours moment (08:00-18:30 CST) of the local day of `t`: for steps that
    come days later, when in the day is anyone's guess (unlike `office`, which only moves
    night-time moments to the next morning and so suits delays of a few hours)."""
    local_day = (t + dt.timedelta(hours=8)).replace(hour=0, minute=0, second=0, microsecond=0)
    return local_day + dt.timedelta(hours=rnd.uniform(0, 10.5))  # 00:00 UTC = 08:00 CST


def hours(rnd: random.Random, median: float, sigma: float = 0.8) -> dt.timedelta:
    return dt.timedelta(hours=rnd.lognormvariate(math.log(median), sigma))


class Player:
    """Plays one plan on one case; every step goes through CaseSim.act (and so the workflow)."""

    def __init__(self, sim: CaseSim, cast: Cast, ctx: PlanContext, rnd: random.Random) -> None:
        self.sim, self.cast, self.ctx, self.rnd = sim, cast, ctx, rnd
        self.level = ctx.intake
        self.limit = sim.resolve_limit()

    def soon(self, t: dt.datetime, median_h: float, sigma: float = 0.8) -> dt.datetime:
        later = t + hours(self.rnd, median_h, sigma)
        return later if self.ctx.urgent else office(later, self.rnd)

    def on_day(self, t: dt.datetime) -> dt.datetime:
        """`t` moved into office hours of its day, and after the last step (a step planned
        for a moment already passed happens a little after the last one)."""
        when = t if self.ctx.urgent else workday(t, self.rnd)
        last = self.sim.last_at
        if last is not None and when <= last + dt.timedelta(minutes=10):
            when = office(last + hours(self.rnd, 1.5, 0.6), self.rnd)
        return when

    def days(self, t: dt.datetime, low: float, high: float) -> dt.datetime:
        return self.on_day(t + DAY * self.rnd.uniform(low, high))

    def play(self, plan: str) -> None:
        sim, rnd = self.sim, self.rnd
        staff = self.cast.staff(self.level)
        t = sim.row["reported_at"]
        if plan == "merge":
            t = self.soon(t, 3)
            if rnd.random() < 0.3 and sim.act(Action.accept, staff, t):
                t = self.soon(t, 4)
            sim.act(Action.merge, staff, t, duplicate_of=self.ctx.duplicate_of,
                    note="与已登记案件系同一纠纷，合并办理")
            return
        if plan == "reject":
            sim.act(Action.reject, staff, self.soon(t, 5), reason=rnd.choice(REJECT_REASONS))
            return
        if plan == "on_spot":  # the grid worker settles it there and then
            sim.act(Action.resolve_on_spot, self.cast.reporter, t + hours(rnd, 0.7, 0.6),
                    outcome=pick(rnd, ON_SPOT_OUTCOMES).value, note="网格员现场调解，当场化解")
            self.follow_up_and_close(plan)
            return
        if not sim.act(Action.accept, staff, self.accept_time(t)):
            return
        start = sim.last_at
        if self.ctx.push_down:
            sim.act(Action.push_down, self.cast.dispatcher, self.soon(start, 3),
                    target_unit_id=self.cast.units[Level.village], note="交由村综治工作站办理")
            self.level, start = Level.village, sim.last_at
        climbs = ESCALATIONS.get(plan, 0)
        if plan == "refer" and self.level is Level.village:
            climbs = 1  # only a township or the county refers to a legal route
        for _ in range(climbs):
            if self.level is Level.county or not self.escalate(start):
                break
            start = sim.last_at
        if plan == "refer" and self.level is not Level.village:
            self.refer(start)
            return
        if self.mediate(start, plan) and self.follow_up_and_close(plan):
            self.archive_later()

    def accept_time(self, reported: dt.datetime) -> dt.datetime:
        if self.ctx.urgent:  # the county takes it on within the hour
            return reported + dt.timedelta(minutes=self.rnd.uniform(5, 50))
        draw = self.rnd.random()
        if draw < 0.07:  # accepted late, after the 24 h limit
            return office(reported + dt.timedelta(hours=self.rnd.uniform(25, 72)), self.rnd)
        if draw < 0.19:
            return office(reported + dt.timedelta(hours=self.rnd.uniform(6, 20)), self.rnd)
        return self.soon(reported, 2.0)

    def escalate(self, start: dt.datetime) -> bool:
        """The holding centre tries (sometimes with a mediator), then hands the case up."""
        sim, rnd = self.sim, self.rnd
        staff = self.cast.staff(self.level)
        late = rnd.random() < 0.08
        when = start + DAY * self.limit * (rnd.uniform(1.02, 1.5) if late else
                                           rnd.uniform(0.15, 0.9))
        if rnd.random() < 0.6 and sim.act(Action.assign, staff, self.soon(start, 4),
                                          mediator_id=self.cast.mediator(self.level).key):
            self.sessions(sim.last_at, when, rnd.choice((1, 1, 2)))
        if not sim.act(Action.escalate, staff, self.on_day(when),
                       note="村级调解未果，上交乡镇综治中心" if self.level is Level.village
                       else "乡镇调解未果，上交县综治中心"):
            return False
        self.level = _UP[self.level]
        return True

    def sessions(self, after: dt.datetime, before: dt.datetime, count: int) -> None:
        med = self.cast.mediator(self.level)
        span = max((before - after).total_seconds(), 3600.0)
        for fraction in sorted(self.rnd.uniform(0.1, 0.95) for _ in range(count)):
            self.sim.act(Action.record_session, med,
                         self.on_day(after + dt.timedelta(seconds=span * fraction)),
                         summary=self.rnd.choice(SUMMARIES), place=self.ctx.places[self.level],
                         participants=list(self.ctx.participants))

    def mediate(self, start: dt.datetime, plan: str) -> bool:
        """Assign, hold sessions, resolve; True when the case reached `resolved`."""
        sim, rnd = self.sim, self.rnd
        staff, med = self.cast.staff(self.level), self.cast.mediator(self.level)
        if not sim.act(Action.assign, staff, self.soon(start, 2 if self.ctx.urgent else 3),
                       mediator_id=med.key):
            return False
        assigned, limit = sim.last_at, self.limit
        if self.ctx.urgent:
            limit = min(limit, 5)
        due = sim.row["due_at"]
        draw = rnd.random()
        if plan == "stall":  # forgotten, then finished long after the time limit
            done = due + DAY * limit * rnd.uniform(1.0, 4.0)
        elif draw < 0.095:  # overdue; a third of these are saved by the one extension
            done = due + DAY * limit * rnd.uniform(0.05, 0.6)
        else:
            done = start + DAY * limit * rnd.uniform(0.12, 0.9)
        done = max(done, assigned + dt.timedelta(hours=2))
        # Sessions are held in time order around an extension or a suspension, so each
        # interruption splits them into those before and those after it.
        if plan != "stall" and draw < 0.035 and due - assigned > 2 * DAY \
                and not sim.row["extended"]:  # the one extension the workflow allows
            when = max(self.on_day(due - DAY * rnd.uniform(0.3, 1.5)),
                       assigned + dt.timedelta(hours=1))
            self.sessions(assigned, when, 1)  # tried, and it needs longer
            sim.act(Action.extend, med, when, parties_consent=True,
                    note="经双方当事人同意，延长调解期限")
            assigned = sim.last_at
        elif plan != "partial" and rnd.random() < 0.012:  # e.g. a party in hospital
            pause = DAY * rnd.uniform(3, 20)
            sim.act(Action.suspend, med, self.on_day(assigned + (done - assigned) / 3),
                    reason="当事人住院治疗，暂无法参加调解")
            sim.act(Action.resume, med, self.on_day(sim.last_at + pause), note="恢复调解")
            done += pause
            assigned = sim.last_at
        if plan == "partial":
            mid = assigned + (done - assigned) / 2
            self.sessions(assigned, mid, 1)
            sim.act(Action.resolve, med, self.on_day(mid),
                    outcome=Outcome.partial.value, summary=PARTIAL_SUMMARY)
            if rnd.random() < 0.45:  # still working on the rest
                return False
            done = done + DAY * limit * rnd.uniform(0.3, 1.5)
            assigned = sim.last_at
        self.sessions(assigned, done, rnd.choices((1, 2, 3), (0.5, 0.35, 0.15))[0])
        outcome = pick(rnd, OUTCOMES)
        extra: dict[str, object] = {"summary": FINAL_SUMMARY}
        if outcome is Outcome.terminated:  # the workflow requires the routes explained
            extra = {"routes_explained": True, "note": "调解不成，已告知当事人依法维权途径"}
        elif outcome is Outcome.withdrawn:
            extra = {"note": "申请人撤回调解申请"}
        return sim.act(Action.resolve, med, self.on_day(done), outcome=outcome.value, **extra)

    def follow_up_and_close(self, plan: str) -> bool:
        """The follow-up visit (a dissatisfied one reopens: a rebound), then maybe a
        recurrence after closing (also a rebound); True when the case ends closed."""
        sim, rnd = self.sim, self.rnd
        staff = self.cast.staff(self.level)
        late = rnd.random() < 0.06
        visit = self.days(sim.last_at, *((15.5, 25) if late else (1, 13)))
        unhappy = plan == "rebound_followup"
        if not sim.act(Action.follow_up, staff, visit, satisfied=not unhappy,
                       note="当事人不满意，重新受理" if unhappy else "回访当事人，表示满意"):
            return False
        if unhappy and not self.settle_again(plan):
            return False
        if plan == "rebound_reopen":
            if not sim.act(Action.reopen, staff, self.days(sim.last_at, 5, 75),
                           reason="纠纷再次发生，当事人重新反映"):
                return False
            return self.settle_again(plan)
        return True

    def settle_again(self, plan: str) -> bool:
        if not self.mediate(self.sim.last_at, "resolve"):
            return False
        visit = self.days(self.sim.last_at, 2, 12)
        return self.sim.act(Action.follow_up, self.cast.staff(self.level), visit,
                            satisfied=True, note="再次回访，当事人表示满意")

    def refer(self, start: dt.datetime) -> None:
        sim, rnd = self.sim, self.rnd
        staff = self.cast.staff(self.level)
        if rnd.random() < 0.4 and sim.act(Action.assign, staff, self.soon(start, 4),
                                          mediator_id=self.cast.mediator(self.level).key):
            self.sessions(sim.last_at, sim.last_at + DAY * 3, 1)
        route, receiver = self.ctx.route
        if sim.act(Action.refer, staff, self.days(sim.last_at, 0.5, 6), route=route,
                   receiver=receiver, note="引导当事人通过法定途径解决"):
            sim.act(Action.close, staff, self.days(sim.last_at, 12, 90),
                    result=f"{receiver}已受理并办结，结果已反馈")
            self.archive_later()

    def archive_later(self) -> None:
        if self.sim.state is CaseState.closed and self.rnd.random() < 0.75:
            archivist = self.cast.county_staff if self.level is Level.county \
                else self.cast.dispatcher
            self.sim.act(Action.archive, archivist, self.days(self.sim.last_at, 91, 140))
