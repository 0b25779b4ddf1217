"""The words of the assessment (pure): ladder steps, sanction states, major-event kinds and
severities, aggravating and mitigating factors. Identifiers are English; the Chinese names
are in labels.py (through the catalog)."""

from __future__ import annotations

import enum


class Step(enum.StrEnum):
    """The ladder, lowest first (county rules art. 28–31)."""

    notice = "notice"  # 通报 (with a rectification deadline)
    interview = "interview"  # 约谈
    supervision = "supervision"  # 挂牌督办: yellow card, 6 months without awards or promotion
    veto = "veto"  # 一票否决: one year

    @property
    def rank(self) -> int:
        return LADDER.index(self)

    def next(self) -> Step:
        """The step above (the veto is the top: it stays)."""
        return LADDER[min(self.rank + 1, len(LADDER) - 1)]

    def previous(self) -> Step:
        return LADDER[max(self.rank - 1, 0)]


LADDER = (Step.notice, Step.interview, Step.supervision, Step.veto)


class SanctionState(enum.StrEnum):
    proposed = "proposed"  # raised by a rule or by hand, waiting for county staff
    dismissed = "dismissed"  # county staff said no (with a reason)
    confirmed = "confirmed"  # in force; rectification due by its deadline
    rectified = "rectified"  # the unit's rectification report was accepted
    superseded = "superseded"  # not rectified in time: the next step was confirmed
    expired = "expired"  # a disqualification period ran out


class EventKind(enum.StrEnum):
    """Major events in the register (重大事件登记)."""

    mass_incident = "mass_incident"  # 群体性事件
    homicide = "homicide"  # 命案
    major_crime = "major_crime"  # 重大刑事案件
    public_safety_accident = "public_safety_accident"  # 公共安全事故


class EventSeverity(enum.StrEnum):
    """Graded as the state's emergency rules grade events, lowest first."""

    ordinary = "ordinary"  # 一般
    serious = "serious"  # 较大
    major = "major"  # 重大
    especially_serious = "especially_serious"  # 特别重大


class Factor(enum.StrEnum):
    """Circumstances recorded on a sanction: 从重 (aggravating) and 从轻 (mitigating)."""

    late_report = "late_report"  # 迟报
    concealment = "concealment"  # 瞒报 / 谎报
    obstruction = "obstruction"  # 阻碍调查
    prompt_remedy = "prompt_remedy"  # 及时补救
    cooperation = "cooperation"  # 积极配合

    @property
    def aggravating(self) -> bool:
        return self in AGGRAVATING


AGGRAVATING = frozenset({Factor.late_report, Factor.concealment, Factor.obstruction})
MITIGATING = frozenset({Factor.prompt_remedy, Factor.cooperation})
