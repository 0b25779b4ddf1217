"""Case vocabulary that is data, not workflow: severity, source, party kinds (pure)."""

from __future__ import annotations

import enum


class Severity(enum.StrEnum):
    general = "general"  # 一般
    major = "major"  # 较大
    serious = "serious"  # 重大
    especially_serious = "especially_serious"  # 特别重大


class Source(enum.StrEnum):
    grid_worker = "grid_worker"  # 网格员上报
    walk_in = "walk_in"  # 群众来访
    hotline_12345 = "hotline_12345"  # 12345 热线
    police_110 = "police_110"  # 110 非警务警情
    court_referral = "court_referral"  # 法院委派/委托
    petition = "petition"  # 信访
    department = "department"  # 部门移交


class PartyKind(enum.StrEnum):
    person = "person"
    organisation = "organisation"


class PartyRole(enum.StrEnum):
    applicant = "applicant"  # 申请人
    respondent = "respondent"  # 被申请人
    other = "other"  # 第三人/其他
