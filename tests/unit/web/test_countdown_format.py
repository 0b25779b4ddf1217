"""Countdowns (static/js/countdown.js) show days once a time limit is a day or more away,
in the page's language; shorter ones stay HH:MM:SS. Run in Node when it is installed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

MODULE = Path(__file__).resolve().parents[3] / "govgrid" / "static" / "js" / "countdown.js"

SCRIPT = """
globalThis.document = { documentElement: { lang: %s }, querySelectorAll: () => [] };
const { formatDuration } = await import(%s);
console.log(JSON.stringify([formatDuration(167 * 3600 + 59 * 60 + 58), formatDuration(3599),
                            formatDuration(-(86400 + 3600)), formatDuration(86399)]));
"""


def run(lang: str) -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("no Node.js")
    script = SCRIPT % (json.dumps(lang), json.dumps(MODULE.as_uri()))
    done = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True,
                          text=True, check=True, timeout=30)
    return json.loads(done.stdout)


def test_days_in_chinese() -> None:
    assert run("zh-CN") == ["6天 23:59:58", "00:59:59", "1天 01:00:00", "23:59:59"]


def test_days_in_english() -> None:
    assert run("en")[0] == "6 d 23:59:58"
