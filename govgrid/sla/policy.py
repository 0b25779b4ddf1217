"""A county's deadline policy (pure): data with the defaults of DESIGN §5.

The policy is stored as JSON per county (`sla_policies`) and read into this immutable form.
Resolution limits come, most specific first, from the policy's rules (by level, category
code prefix and severity), then the category's own limit, then the severity's default.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ..cases.vocabulary import Severity
from ..cases.workflow import Level
from .calendar import DayKind

DEFAULT_RESOLVE_DAYS: Mapping[Severity, int] = MappingProxyType({
    Severity.general: 7, Severity.major: 15, Severity.serious: 30,
    Severity.especially_serious: 30,
})


@dataclass(frozen=True)
class Rule:
    """A resolution limit for cases matching every field given (None matches anything)."""

    days: int
    level: Level | None = None
    category: str | None = None  # a category code or its prefix ("02" = every 02xx)
    severity: Severity | None = None

    def matches(self, level: Level, category_code: str, severity: Severity) -> bool:
        return ((self.level is None or self.level is level)
                and (self.category is None or category_code.startswith(self.category))
                and (self.severity is None or self.severity is severity))

    def specificity(self) -> tuple[int, int]:
        given = sum(x is not None for x in (self.level, self.category, self.severity))
        return given, len(self.category or "")


@dataclass(frozen=True)
class UrgentLimits:
    """Reporting clocks of urgent incidents, in hours from occurrence (DESIGN §5)."""

    county_hours: float = 1  # 重大: reach the county
    upper_hours: float = 3  # 重大: reach the level above the county
    general_hours: float = 6  # 一般突发事件: reach the county
    alarm_share: float = 0.25  # alarm when this share of the clock is left
    # Category groups whose 重大/特别重大 cases start the clocks even when not marked urgent:
    # 治安隐患, 校园及周边安全, 安全生产隐患, 群体性事件苗头.
    categories: tuple[str, ...] = ("16", "20", "21", "23")


@dataclass(frozen=True)
class DeadlinePolicy:
    day_kind: DayKind = DayKind.natural
    accept_hours: float = 24  # 受理: always clock hours
    resolve_days: Mapping[Severity, int] = field(default_factory=lambda: DEFAULT_RESOLVE_DAYS)
    follow_up_days: int = 15  # 回访 after resolution
    rules: tuple[Rule, ...] = ()
    due_soon_share: float = 0.2  # 将到期: the last 20 % of a stage's time
    urge_after_days: int = 1  # 催办: the day after the due day
    supervise_after_days: int = 3  # 督办 order after this many overdue days
    supervision_reply_days: int = 3  # the target unit replies within this many days
    # 自动提级 after this many overdue days, per owning level; absent = never.
    escalate_after_days: Mapping[Level, int] = field(default_factory=dict)
    extension_max_days: int = 30  # one 延期申请 asks for at most this many days
    urgent: UrgentLimits = field(default_factory=UrgentLimits)

    def resolve_limit(self, level: Level, category_code: str, severity: Severity,
                      category_days: int | None) -> int:
        matching = [r for r in self.rules if r.matches(level, category_code, severity)]
        if matching:
            return max(matching, key=lambda r: r.specificity()).days
        return category_days or self.resolve_days[severity]

    def due_soon_at(self, start: dt.datetime, due: dt.datetime) -> dt.datetime:
        return due - (due - start) * self.due_soon_share


DEFAULT_POLICY = DeadlinePolicy()


def to_data(policy: DeadlinePolicy) -> dict[str, Any]:
    """The JSON form stored in the database and shown by the API."""
    return {
        "day_kind": policy.day_kind.value,
        "accept_hours": policy.accept_hours,
        "resolve_days": {s.value: d for s, d in policy.resolve_days.items()},
        "follow_up_days": policy.follow_up_days,
        "rules": [{k: (v.value if hasattr(v, "value") else v)
                   for k, v in dataclasses.asdict(r).items() if v is not None}
                  for r in policy.rules],
        "due_soon_share": policy.due_soon_share,
        "urge_after_days": policy.urge_after_days,
        "supervise_after_days": policy.supervise_after_days,
        "supervision_reply_days": policy.supervision_reply_days,
        "escalate_after_days": {lv.value: d for lv, d in policy.escalate_after_days.items()},
        "extension_max_days": policy.extension_max_days,
        "urgent": dataclasses.asdict(policy.urgent),
    }


def from_data(data: Mapping[str, Any]) -> DeadlinePolicy:
    """Read validated JSON (sla/schemas.py validates what people submit); absent keys take
    the defaults, so a county stores only what it changes."""
    base = DEFAULT_POLICY
    resolve = dict(base.resolve_days)
    resolve.update({Severity(k): int(v) for k, v in data.get("resolve_days", {}).items()})
    return DeadlinePolicy(
        day_kind=DayKind(data.get("day_kind", base.day_kind)),
        accept_hours=float(data.get("accept_hours", base.accept_hours)),
        resolve_days=MappingProxyType(resolve),
        follow_up_days=int(data.get("follow_up_days", base.follow_up_days)),
        rules=tuple(Rule(days=int(r["days"]),
                         level=Level(r["level"]) if r.get("level") else None,
                         category=r.get("category") or None,
                         severity=Severity(r["severity"]) if r.get("severity") else None)
                    for r in data.get("rules", [])),
        due_soon_share=float(data.get("due_soon_share", base.due_soon_share)),
        urge_after_days=int(data.get("urge_after_days", base.urge_after_days)),
        supervise_after_days=int(data.get("supervise_after_days",
                                          base.supervise_after_days)),
        supervision_reply_days=int(data.get("supervision_reply_days",
                                            base.supervision_reply_days)),
        escalate_after_days={Level(k): int(v)
                             for k, v in data.get("escalate_after_days", {}).items()
                             if v is not None},
        extension_max_days=int(data.get("extension_max_days", base.extension_max_days)),
        urgent=_urgent(data.get("urgent", {})),
    )


def _urgent(data: Mapping[str, Any]) -> UrgentLimits:
    merged = {**dataclasses.asdict(UrgentLimits()), **data}
    merged["categories"] = tuple(str(c) for c in merged["categories"])
    return UrgentLimits(**merged)
