"""Invented people for the demo history: parties' names, ID numbers, phones, and the case
titles and descriptions that mention them (pure).

ID numbers are valid GB 11643 numbers of this banner (region 150521, born 1950-2004, correct
check character), so the forms, the blind index and masking behave as with real ones; they
belong to nobody we know of. Names mix Han and Mongolian names (the banner is mostly
Mongolian, more so in 嘎查 and 苏木), and titles name parties the way case registers do
("张某与李某…").
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from govgrid.cases.vocabulary import PartyKind, PartyRole, Source
from govgrid.pii.idcard import check_char

REGION = "150521"
BORN_FROM, BORN_TO = dt.date(1950, 1, 1), dt.date(2004, 12, 31)
HAN_SURNAMES = tuple("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董于潘袁"
                     "蒋蔡杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆范金石贾夏付方白邹孟秦邱尹薛闫段侯史郝")
MONGOL_SURNAMES = tuple("包白宝韩吴金鲍敖佟海胡陈李王")
HAN_GIVEN = ("建国", "建华", "国强", "秀英", "桂兰", "玉兰", "淑珍", "志强", "海峰", "丽", "伟",
             "芳", "娜", "敏", "静", "磊", "军", "勇", "杰", "涛", "明", "超", "霞", "平", "刚",
             "红", "玉梅", "凤英", "春花", "德胜", "永刚", "文华", "金山", "宝山", "树林",
             "长青", "立新", "振华", "雪梅", "春燕", "国庆", "福林", "玉珍", "占军")
MONGOL_GIVEN = ("巴特尔", "乌力吉", "斯琴", "其木格", "额尔敦", "宝音", "那仁", "苏日娜",
                "阿拉坦", "布和", "朝鲁", "吉日嘎拉", "萨仁", "图雅", "孟和", "达来", "哈斯",
                "乌云", "格日勒", "满都拉", "敖敦", "其其格", "白音仓", "特木尔", "娜仁花")
PHONE_PREFIXES = tuple(f"13{d}" for d in range(10)) + tuple(
    f"15{d}" for d in (0, 1, 2, 3, 5, 6, 7, 8, 9)) + tuple(f"18{d}" for d in range(10))
# Respondents that are organisations, by category (top-level code, or leaf code first).
ORGANISATIONS = {
    "06": ("某建筑劳务有限公司", "某农牧业开发有限公司", "某建筑工程队", "某商贸有限公司"),
    "0606": (), "07": ("某物业服务有限公司",), "0702": ("某供热有限公司",),
    "08": ("某农资经销部", "某超市", "某家电商行"), "0805": ("某养生馆",),
    "09": ("某卫生院", "某诊所", "某民营医院"), "1103": ("某新能源有限公司",),
    "1201": ("某化工有限公司", "某屠宰加工厂"), "2101": ("某加工作坊",),
}
PARK_ORGANISATIONS = ("某化工有限公司", "某建材有限公司", "某食品加工有限公司", "某物流有限公司")
GROUP_CODES = frozenset({"0602", "1101", "2301", "2302", "2303", "2304"})  # many applicants
# Reports about a risk or a clue rather than a dispute between two people.
CLUE_TOPS = frozenset({"16", "19", "20", "21", "22"})
CLUE_CODES = frozenset({"1203", "1204", "1505", "2301", "2303", "2304"})
# Claims one side makes against an institution or a ruling, not against a second person.
SINGLE_CODES = frozenset({"0903", "1501", "1504", "1506", "2204", "9901"})
SPECIAL_TITLES = {"0502": "{v}与相邻嘎查村草场界址纠纷", "1503": "{a}与{b}诉前委派调解案件"}
SOURCE_PHRASES = {
    Source.grid_worker: "网格员走访排查发现", Source.walk_in: "当事人到综治中心来访反映",
    Source.hotline_12345: "12345热线转办工单", Source.police_110: "110非警务警情分流",
    Source.court_referral: "人民法院诉前委派调解", Source.petition: "信访部门转交",
    Source.department: "职能部门移交",
}


def id_number(rnd: random.Random) -> str:
    born = BORN_FROM + dt.timedelta(days=rnd.randrange((BORN_TO - BORN_FROM).days + 1))
    first17 = f"{REGION}{born:%Y%m%d}{rnd.randrange(1, 1000):03d}"
    return first17 + check_char(first17)


def phone(rnd: random.Random) -> str:
    return rnd.choice(PHONE_PREFIXES) + f"{rnd.randrange(10**8):08d}"


def person(rnd: random.Random, mongolian: bool, surname: str | None = None) -> str:
    if mongolian:
        return (surname or rnd.choice(MONGOL_SURNAMES)) + rnd.choice(MONGOL_GIVEN)
    return (surname or rnd.choice(HAN_SURNAMES)) + rnd.choice(HAN_GIVEN)


def short_place(township: str) -> str:
    for suffix in ("街道办事处", "苏木", "农场", "牧场", "镇", "乡"):
        if township.endswith(suffix):
            return township[: -len(suffix)]
    return township


def _organisation(rnd: random.Random, code: str, township: str, park: bool) -> str | None:
    names = ORGANISATIONS.get(code, ORGANISATIONS.get(code[:2]))
    if not names:
        return None
    if park and code[:2] == "06":
        names = PARK_ORGANISATIONS
    return short_place(township) + rnd.choice(names)


def parties(rnd: random.Random, code: str, township: str, village: str, pastoral: bool,
            park: bool) -> list[dict[str, Any]]:
    """Applicant and respondent (plaintext; the loader encrypts and masks like build_party)."""
    share = 0.6 if pastoral else 0.25
    applicant = person(rnd, rnd.random() < share)
    address = f"{township}{village}"
    rows = [{"kind": PartyKind.person.value, "role": PartyRole.applicant.value,
             "name": applicant, "id_number": id_number(rnd), "phone": phone(rnd),
             "address": address}]
    org = _organisation(rnd, code, township, park)
    if org is not None:
        rows.append({"kind": PartyKind.organisation.value, "role": PartyRole.respondent.value,
                     "name": org, "id_number": None, "phone": phone(rnd), "address": address})
    else:
        # Family disputes are mostly between relatives who share a surname.
        kin = code[:2] == "01" and code != "0101" and rnd.random() < 0.6
        respondent = person(rnd, rnd.random() < share, applicant[0] if kin else None)
        rows.append({"kind": PartyKind.person.value, "role": PartyRole.respondent.value,
                     "name": respondent, "id_number": id_number(rnd), "phone": phone(rnd),
                     "address": address})
    return rows


def title(code: str, leaf_name: str, village: str, rows: list[dict[str, Any]],
          people: int) -> str:
    a = rows[0]["name"][0] + "某"
    other = rows[1]
    b = other["name"] if other["kind"] == PartyKind.organisation.value \
        else other["name"][0] + "某"
    if code in SPECIAL_TITLES:
        return SPECIAL_TITLES[code].format(v=village, a=a, b=b)
    if code in SINGLE_CODES:
        return f"{village}{a}{leaf_name}"
    if code in GROUP_CODES:
        return f"{village}{a}等{people}人{leaf_name}"
    if code in CLUE_CODES or code[:2] in CLUE_TOPS:
        return f"{village}{leaf_name}（{a}反映）"
    return f"{village}{a}与{b}{leaf_name}"


def description(source: Source, case_title: str, amount: str | None, people: int) -> str:
    text = f"{SOURCE_PHRASES[source]}：{case_title}。涉及{people}人"
    if amount is not None:
        text += f"，涉及金额约{float(amount):,.0f}元"
    return text + "。"
