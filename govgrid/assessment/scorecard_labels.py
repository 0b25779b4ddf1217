"""Words of the scorecards, the standing map and the annual table: ladder steps, deduction
lines, veto triggers and grades (等次), in the reader's language; and the fixed Chinese words
of the annual table, which keeps the layout a county office submits whatever the interface
language (like the printed 调解协议书)."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from .vocabulary import Step

STEP_LABELS = {
    Step.notice: _l("Notice (通报)"),
    Step.interview: _l("Interview (约谈)"),
    Step.supervision: _l("Supervision (挂牌督办)"),
    Step.veto: _l("Veto (一票否决)"),
}
GOOD_STANDING = _l("In good standing")

DEDUCTION_LABELS = {
    "homicide": _l("Homicide (命案)"),
    "mass_incident_major": _l("Major mass incident (重大群体性事件)"),
    "mass_incident": _l("Mass incident (群体性事件)"),
    "major_crime": _l("Major criminal case (重大刑事案件)"),
    "public_safety_accident_serious": _l("Serious public-safety accident (较大公共安全事故)"),
    "public_safety_accident": _l("Public-safety accident (公共安全事故)"),
    "late_report": _l("Urgent report made late (迟报)"),
    "concealed_report": _l("Urgent report concealed (瞒报)"),
}
VETO_LABELS = {
    "especially_serious_event": _l("An especially serious event (特别重大事件)"),
    "major_events_cluster": _l("Several major events in a short time"),
    "concealment": _l("An urgent report concealed (瞒报)"),
    "failed_twice": _l("Failed the assessment periods running"),
    "ladder_veto": _l("A one-vote veto confirmed on the ladder (一票否决)"),
}


class Grade(enum.StrEnum):
    """等次: 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ the pass score; below it, or vetoed, 不合格."""

    excellent = "excellent"
    good = "good"
    qualified = "qualified"
    unqualified = "unqualified"


GRADE_LABELS = {
    Grade.excellent: _l("Excellent (优秀)"),
    Grade.good: _l("Good (良好)"),
    Grade.qualified: _l("Qualified (合格)"),
    Grade.unqualified: _l("Unqualified (不合格)"),
}
EXCELLENT, GOOD = 90.0, 80.0


def grade(total: float, pass_score: float, vetoed: bool) -> Grade:
    if vetoed or total < pass_score:
        return Grade.unqualified
    if total >= EXCELLENT:
        return Grade.excellent
    return Grade.good if total >= GOOD else Grade.qualified


def label(table: dict[str, object], code: str) -> str:
    """A code's words, or the code itself for a line a county added to its scheme."""
    return str(table.get(code, code))


# ---- the annual table, in Chinese whatever the interface language -----------------------

ZH_INDICATORS = {
    "resolution_rate": "化解率", "on_time_rate": "按期办结率", "village_share": "小事不出村",
    "township_share": "大事不出镇", "county_share": "县级化解占比",
    "satisfaction_rate": "回访满意率", "rebound_rate": "反弹率", "overdue": "当前超期",
    "urgent_open": "未办结重大紧急事件",
}
ZH_DEDUCTIONS = {
    "homicide": "命案", "mass_incident_major": "重大群体性事件", "mass_incident": "群体性事件",
    "major_crime": "重大刑事案件", "public_safety_accident_serious": "较大公共安全事故",
    "public_safety_accident": "公共安全事故", "late_report": "迟报",
    "concealed_report": "瞒报",
}
ZH_VETOES = {
    "especially_serious_event": "发生特别重大事件", "major_events_cluster": "短期内多发重大事件",
    "concealment": "瞒报重大紧急事件", "failed_twice": "连续考核不合格",
    "ladder_veto": "已决定一票否决",
}
ZH_STEPS = {Step.notice: "通报", Step.interview: "约谈", Step.supervision: "挂牌督办",
            Step.veto: "一票否决"}
ZH_GRADES = {Grade.excellent: "优秀", Grade.good: "良好", Grade.qualified: "合格",
             Grade.unqualified: "不合格"}
