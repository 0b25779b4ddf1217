"""The map's quantile classes (static/js/dashboard/classes.js), run in Node when it is
installed: equal values never straddle a break, every value falls in a class, colours span
the palette."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

MODULE = (Path(__file__).resolve().parents[3] / "govgrid" / "static" / "js" / "dashboard"
          / "classes.js")

SCRIPT = """
import { quantileBreaks, classOf, classRanges, colourOf } from %s;
const out = {};
const values = [0.5, 0.6, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0, null, 0.55, 0.75];
out.breaks = quantileBreaks(values);
out.classes = values.filter((v) => v !== null).map((v) => classOf(v, out.breaks));
out.ranges = classRanges(values, out.breaks);
out.same = quantileBreaks([3, 3, 3, 3]);
out.two = quantileBreaks([1, 1, 1, 9]);
out.skewed = quantileBreaks([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 5, 7, 8, 9, 11]);
out.colours = [0, 1, 2].map((i) => colourOf(i, 3, ["a", "b", "c", "d", "e"]));
out.single = colourOf(0, 1, ["a", "b", "c", "d", "e"]);
console.log(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def result() -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("no Node.js")
    script = SCRIPT % json.dumps(MODULE.as_uri())
    done = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True,
                          text=True, check=True, timeout=30)
    return json.loads(done.stdout)


def test_breaks_are_increasing_and_inside_the_values(result):
    breaks = result["breaks"]
    assert breaks == sorted(set(breaks)) and len(breaks) == 4
    assert breaks[0] > 0.5 and breaks[-1] <= 1.0


def test_every_value_has_a_class_and_the_ranges_cover_them(result):
    assert min(result["classes"]) == 0 and max(result["classes"]) == len(result["breaks"])
    ranges = result["ranges"]
    assert ranges[0]["min"] == 0.5 and ranges[-1]["max"] == 1.0
    assert all(a["max"] < b["min"] for a, b in zip(ranges, ranges[1:], strict=False))


def test_equal_values_make_fewer_classes(result):
    assert result["same"] == []
    assert result["two"] == [9]
    # Mostly zeros: quantiles alone would make 0 – 11 one class; the rarer values still part.
    assert result["skewed"] == [2, 5, 7, 9]


def test_colours_span_the_palette(result):
    assert result["colours"] == ["a", "c", "e"]
    assert result["single"] == "c"
