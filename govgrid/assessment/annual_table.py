"""The annual assessment table (年度考核结果汇总表) a county office submits, as an export table
(exports/table.py) built from the year's scorecards: 序号, 乡镇(街道), each indicator's value
and score, 扣分 (the total) and its items, 一票否决, 总分, 排名, 等次, the ladder status today
and the scheme version used. In Chinese whatever the interface language: it is the form the
county submits. The title row names the county and year; 填报单位 and 填报日期 go under it
(the exports have notes under the title, not footers).

等次: 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ the scheme's pass score; below it, or vetoed, 不合格.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..exports.table import DISPLAY_TZ, Column, Table
from .scorecard_labels import (
    ZH_DEDUCTIONS,
    ZH_GRADES,
    ZH_INDICATORS,
    ZH_STEPS,
    ZH_VETOES,
    Grade,
)
from .vocabulary import Step


def title(county: str, year: int) -> str:
    return f"{county}{year}年度平安建设（综治工作）考核结果汇总表"


def _number(value: float) -> str:
    return f"{value:g}"


def deduction_items(row: dict[str, Any]) -> str:
    """扣分明细: 命案1起扣5分；迟报2起扣4分 (capped lines say so)."""
    items = []
    for line in row["deductions"]:
        name = ZH_DEDUCTIONS.get(line["code"], line["code"])
        capped = "（封顶）" if line["capped"] else ""
        items.append(f"{name}{line['count']}起扣{_number(line['points'])}分{capped}")
    return "；".join(items)


def veto_text(row: dict[str, Any]) -> str:
    if not row["vetoes"]:
        return "否"
    return "是（" + "；".join(ZH_VETOES.get(v["code"], v["code"]) for v in row["vetoes"]) + "）"


def ladder_text(standing: dict[str, Any]) -> str:
    if standing["step"] is None:
        return "正常"
    text = ZH_STEPS[Step(standing["step"])]
    if standing["disqualified_until"]:
        text += f"（取消评先评优资格至{standing['disqualified_until']}前）"
    return text


def annual_table(answer: dict[str, Any], year: int, now: dt.datetime) -> Table:
    place = answer["place"]
    unit_header = "乡镇(街道)" if answer["level"] == "township" else "村(社区)"
    columns = [Column("no", "序号", "int", 6), Column("unit", unit_header, "text", 16)]
    keys = [i["key"] for i in answer["rows"][0]["indicators"]] if answer["rows"] else []
    for key in keys:
        name = ZH_INDICATORS.get(key, key)
        columns += [Column(key, name, "percent", 12),
                    Column(f"{key}.points", f"{name}得分", "decimal", 10)]
    columns += [Column("deducted", "扣分", "decimal", 8),
                Column("deduction_items", "扣分明细", "text", 30),
                Column("veto", "一票否决", "text", 16),
                Column("total", "总分", "decimal", 8), Column("rank", "排名", "int", 6),
                Column("grade", "等次", "text", 8),
                Column("ladder", "督导状态", "text", 20),
                Column("scheme_version", "考核方案版本", "text", 12)]
    version = answer["scheme_version"]
    version_text = f"第{version}版" if version else "默认方案"
    rows = []
    for number, row in enumerate(answer["rows"], start=1):
        out: dict[str, Any] = {
            "no": number, "unit": row["unit"]["name"], "deducted": row["deducted"],
            "deduction_items": deduction_items(row), "veto": veto_text(row),
            "total": row["total"], "rank": row["rank"],
            "grade": ZH_GRADES[Grade(row["grade"])], "ladder": ladder_text(row["standing"]),
            "scheme_version": version_text}
        for item in row["indicators"]:
            out[item["key"]] = item["value"]
            out[f"{item['key']}.points"] = item["scaled"] if item["value"] is not None else None
        rows.append(out)
    period = answer["period"]
    today = now.astimezone(DISPLAY_TZ)
    notes = [
        f"填报单位：{place['name']}",
        f"填报日期：{today.year}年{today.month}月{today.day}日",
        f"考核期间：{period['first']}至{period['last']}"
        + ("（年度未结束，数据截至当日）" if period["running"] else ""),
        f"考核方案：{year}年度{version_text}；合格线{_number(answer['pass_score'])}分；"
        "等次：优秀≥90分，良好≥80分，合格≥合格线，低于合格线或一票否决为不合格",
    ]
    return Table(title=title(place["name"], year), columns=columns, rows=rows, notes=notes)

