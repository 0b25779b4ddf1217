"""The seeded two-level dispute/incident category dictionary (govgrid/cases/data/categories.json).

Pure: reads the JSON file only, so a bad edit to the data fails here, before any migration or
seed command loads it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[3] / "govgrid" / "cases" / "data" / "categories.json"

SEVERITIES = {"general", "major", "serious", "especially_serious"}
# DESIGN §5: resolve time limit by severity (一般 / 较大 / 重大).
DEFAULT_DAYS = {"general": 7, "major": 15, "serious": 30}
DEPARTMENTS = {"police", "justice", "court", "petition", "labour", "housing", "other"}

TOP_KEYS = {"code": str, "name": str, "name_en": str, "children": list}
LEAF_KEYS = {
    "code": str,
    "name": str,
    "name_en": str,
    "default_severity": str,
    "time_limit_days": int,
    "departments": list,
    "weight": (int, float),
    "dedup_radius_m": int,
}
LEAF_OPTIONAL = {"note": str}

# The first-level categories named in the issue, matched by a keyword in the name.
REQUIRED_KEYWORDS = [
    "婚姻家庭", "邻里", "宅基地", "土地承包", "草场", "劳资", "物业", "消费", "医疗",
    "交通事故", "征地拆迁", "环境污染", "合同", "损害赔偿", "涉法涉诉", "治安", "其他",
]  # fmt: skip


@pytest.fixture(scope="module")
def raw() -> str:
    return DATA.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tree(raw: str) -> list[dict]:
    return json.loads(raw)


@pytest.fixture(scope="module")
def leaves(tree: list[dict]) -> list[dict]:
    return [leaf for top in tree for leaf in top["children"]]


def _is_type(value, expected) -> bool:
    # bool is an int in Python; never accept it for a number field.
    return isinstance(value, expected) and not isinstance(value, bool)


def test_file_is_pretty_printed_in_stable_form(raw: str, tree: list[dict]) -> None:
    assert raw == json.dumps(tree, ensure_ascii=False, indent=2) + "\n", (
        "rewrite with json.dumps(data, ensure_ascii=False, indent=2) plus a final newline"
    )


def test_schema_fields_present_and_typed(tree: list[dict]) -> None:
    assert isinstance(tree, list)
    for top in tree:
        assert set(top) == set(TOP_KEYS), top.get("code")
        for key, typ in TOP_KEYS.items():
            assert _is_type(top[key], typ), (top["code"], key)
        for leaf in top["children"]:
            extra = set(leaf) - set(LEAF_KEYS) - set(LEAF_OPTIONAL)
            assert not extra, (leaf.get("code"), extra)
            for key, typ in LEAF_KEYS.items():
                assert key in leaf, (leaf.get("code"), key)
                assert _is_type(leaf[key], typ), (leaf["code"], key, leaf[key])
            for key, typ in LEAF_OPTIONAL.items():
                if key in leaf:
                    assert _is_type(leaf[key], typ) and leaf[key].strip(), (leaf["code"], key)
            for key in ("name", "name_en"):
                assert leaf[key].strip() == leaf[key] and leaf[key], (leaf["code"], key)
            assert leaf["name_en"].isascii(), leaf["code"]
        assert top["name"].strip() and top["name_en"].strip()


def test_sizes(tree: list[dict], leaves: list[dict]) -> None:
    assert 18 <= len(tree) <= 24
    for top in tree:
        assert 3 <= len(top["children"]) <= 7, top["code"]
    assert 90 <= len(leaves) <= 130


def test_codes_unique_well_formed_and_ordered(tree: list[dict], leaves: list[dict]) -> None:
    top_codes = [top["code"] for top in tree]
    assert all(re.fullmatch(r"\d{2}", c) for c in top_codes), top_codes
    assert len(set(top_codes)) == len(top_codes)
    assert top_codes == sorted(top_codes)
    for top in tree:
        child_codes = [leaf["code"] for leaf in top["children"]]
        for code in child_codes:
            assert re.fullmatch(r"\d{4}", code), code
            assert code.startswith(top["code"]), (top["code"], code)
        assert child_codes == sorted(child_codes), top["code"]
    leaf_codes = [leaf["code"] for leaf in leaves]
    assert len(set(leaf_codes)) == len(leaf_codes)


def test_names_unique(tree: list[dict], leaves: list[dict]) -> None:
    for items in (tree, leaves):
        for key in ("name", "name_en"):
            names = [item[key] for item in items]
            assert len(set(names)) == len(names), key


def test_severities_and_departments_from_allowed_sets(leaves: list[dict]) -> None:
    for leaf in leaves:
        assert leaf["default_severity"] in SEVERITIES, leaf["code"]
        deps = leaf["departments"]
        assert deps, leaf["code"]
        assert set(deps) <= DEPARTMENTS, (leaf["code"], deps)
        assert len(set(deps)) == len(deps), leaf["code"]


def test_severity_mix(tree: list[dict], leaves: list[dict]) -> None:
    counts = {s: sum(leaf["default_severity"] == s for leaf in leaves) for s in SEVERITIES}
    assert counts["especially_serious"] == 0, "特别重大 is never a default"
    assert counts["general"] > len(leaves) / 2
    assert 0 < counts["serious"] <= 8
    by_keyword = {kw: top for top in tree for kw in ("民族宗教", "群体性") if kw in top["name"]}
    assert {leaf["default_severity"] for leaf in by_keyword["民族宗教"]["children"]} <= {
        "major",
        "serious",
    }
    assert {leaf["default_severity"] for leaf in by_keyword["群体性"]["children"]} == {"serious"}


def test_time_limits_consistent_with_severity(leaves: list[dict]) -> None:
    for leaf in leaves:
        days = leaf["time_limit_days"]
        assert days > 0, leaf["code"]
        if "note" not in leaf:
            assert days == DEFAULT_DAYS[leaf["default_severity"]], (
                f"{leaf['code']}: {days} days for {leaf['default_severity']} needs a note"
            )


def test_weights_sum_to_100(leaves: list[dict]) -> None:
    assert all(leaf["weight"] > 0 for leaf in leaves)
    assert abs(sum(leaf["weight"] for leaf in leaves) - 100) <= 0.01


def test_dedup_radius_plausible(leaves: list[dict]) -> None:
    for leaf in leaves:
        assert 50 <= leaf["dedup_radius_m"] <= 10_000, leaf["code"]


@pytest.mark.parametrize("keyword", REQUIRED_KEYWORDS)
def test_required_first_level_categories_present(tree: list[dict], keyword: str) -> None:
    assert any(keyword in top["name"] for top in tree), keyword


def test_common_rural_categories_weigh_most(tree: list[dict]) -> None:
    totals = {top["name"]: sum(leaf["weight"] for leaf in top["children"]) for top in tree}
    ranked = sorted(totals, key=totals.get, reverse=True)
    top_eight = " ".join(ranked[:8])
    for keyword in ("婚姻家庭", "邻里", "土地承包", "草场", "宅基地", "劳资"):
        assert keyword in top_eight, (keyword, ranked[:8])
    mass = next(name for name in totals if "群体性" in name)
    assert totals[mass] == min(totals.values())
