"""The analysis's words in the reader's language: run stages, hot-spot classes, emerging
patterns, risk grades and the plain-language explanations of each map layer. Shared by the
API (a run's stage in words), the analysis page and the dashboard's layers (JavaScript has no
catalog: these go to the scripts as data)."""

from __future__ import annotations

from flask_babel import gettext as _

from ..jobs.progress import JobStatus


def stage_label(status: str, stage: str | None) -> str:
    """What a run is doing, in words ("month 2026-03" is a backtest's step)."""
    if status == JobStatus.queued:
        return _("Waiting for a worker")
    if status == JobStatus.failed:
        return _("Failed")
    if status == JobStatus.done or stage == "done":
        return _("Done")
    if stage and stage.startswith("month "):
        return _("Checking %(month)s against the month after", month=stage[6:])
    return {
        "weights": _("Finding each grid cell's neighbours"),
        "binning": _("Counting cases per grid cell and month"),
        "facts": _("Reading repeats, escalations, rebounds and urgent incidents"),
        "gi_star": _("Computing hot spots (Gi*), trends and risk grades"),
        "storing": _("Storing the results"),
    }.get(stage or "", _("Starting"))


def status_labels() -> dict[str, str]:
    return {"queued": _("Queued"), "running": _("Running"), "done": _("Done"),
            "failed": _("Failed")}


def kind_labels() -> dict[str, str]:
    return {"hotspots": _("Hot spots, trends and risk grades"),
            "backtest": _("Predictive check (backtest)")}


# One palette for the dashboard's layers and the printed reports, so a colour means the same
# on screen and on paper. Hot spots in Esri's diverging palette (reds hot, blues cold, grey
# not significant); emerging patterns in distinct hues per side; grades as named.
HOT_COLOURS = {3: "#d62f27", 2: "#ed7551", 1: "#fab984", 0: "#d9d9d9", -1: "#c0d1e5",
               -2: "#849eba", -3: "#4575b5"}
HOT_PATTERN_COLOURS = {
    "new": "#e41a1c", "consecutive": "#ff7f00", "intensifying": "#99000d",
    "persistent": "#e7298a", "diminishing": "#fdbf6f", "sporadic": "#ffd92f",
    "oscillating": "#a6761d", "historical": "#bc80bd"}
COLD_PATTERN_COLOURS = {
    "new": "#1f78b4", "consecutive": "#6baed6", "intensifying": "#08306b",
    "persistent": "#41b6c4", "diminishing": "#c6dbef", "sporadic": "#a1d99b",
    "oscillating": "#238b45", "historical": "#9e9ac8"}
NO_PATTERN_COLOUR = "#eeeeee"
GRADE_COLOURS = {"red": "#d7191c", "orange": "#f28e2b", "yellow": "#f6d743",
                 "blue": "#7fb2d9"}


def colours() -> dict[str, object]:
    """The palette for the scripts (keys as strings, as JSON has them)."""
    return {"hot": {str(k): v for k, v in HOT_COLOURS.items()},
            "hotPattern": HOT_PATTERN_COLOURS, "coldPattern": COLD_PATTERN_COLOURS,
            "noPattern": NO_PATTERN_COLOUR, "grades": GRADE_COLOURS}


def pattern_label(pattern: str, side: int) -> str:
    """"New hot spot", "Persistent cold spot", … or "No pattern"."""
    words = pattern_labels()
    if pattern not in words or pattern == "none" or side == 0:
        return words["none"]
    if side > 0:
        return _("%(pattern)s hot spot", pattern=words[pattern])
    return _("%(pattern)s cold spot", pattern=words[pattern])


def grade_label(grade: str) -> str:
    return grade_labels().get(grade, grade)


def hot_class_labels() -> dict[str, str]:
    # The level is a placeholder: "99 % confidence" written out would read to the catalog
    # tools as a format code ("% c") that no translation could carry.
    hot, cold = _("Hot spot, %(level)s confidence"), _("Cold spot, %(level)s confidence")
    return {
        "3": hot % {"level": "99%"}, "2": hot % {"level": "95%"}, "1": hot % {"level": "90%"},
        "0": _("Not significant"),
        "-1": cold % {"level": "90%"}, "-2": cold % {"level": "95%"},
        "-3": cold % {"level": "99%"},
    }


def pattern_labels() -> dict[str, str]:
    return {
        "new": _("New"), "consecutive": _("Consecutive"), "intensifying": _("Intensifying"),
        "persistent": _("Persistent"), "diminishing": _("Diminishing"),
        "sporadic": _("Sporadic"), "oscillating": _("Oscillating"),
        "historical": _("Historical"), "none": _("No pattern"),
    }


def grade_labels() -> dict[str, str]:
    return {"red": _("Red: highest risk"), "orange": _("Orange: high risk"),
            "yellow": _("Yellow: elevated risk"), "blue": _("Blue: ordinary")}


def weight_labels() -> dict[str, str]:
    return {
        "hot": _("Hot-spot level (0–3)"),
        "emerging": _("New, consecutive or intensifying hot spot"),
        "repeat": _("Each repeat place"),
        "escalated": _("Each escalated case"),
        "rebound": _("Each rebound"),
        "urgent": _("Each urgent incident"),
    }


def layer_labels() -> dict[str, object]:
    """The dashboard's analysis layers: names, legends, explanations, a cell's facts."""
    return {
        "layerHot": _("Hot spots"),
        "layerEmerging": _("Emerging trends"),
        "layerRisk": _("Risk grades"),
        "hotClasses": hot_class_labels(),
        "patterns": pattern_labels(),
        "grades": grade_labels(),
        "colours": colours(),
        "hotSide": _("%(pattern)s hot spot"),
        "coldSide": _("%(pattern)s cold spot"),
        "explainHot": _(
            "Red cells: significantly more cases this month than around them, counting their "
            "neighbours (Getis-Ord Gi*; darker red = %(high)s confidence, then %(mid)s and "
            "%(low)s). Blue cells: significantly fewer. Grey: nothing stands out. Confidence "
            "is corrected for testing every cell at once, so a red cell is rarely chance.",
            high="99%", mid="95%", low="90%"),
        "explainEmerging": _(
            "How each cell's hot-spot standing has moved over the last twelve months: new "
            "(hot for the first time this month), consecutive (hot for the last few months in "
            "a row), intensifying (hot almost every month and getting hotter), persistent "
            "(hot almost every month, steady), diminishing (hot almost every month but "
            "cooling), sporadic (hot now and on and off before), oscillating (hot now, cold "
            "at times before), historical (hot most months, not now). Blue tones are the same "
            "patterns for cold spots."),
        "explainRisk": _(
            "Each cell's risk score adds its hot-spot level, a rising pattern, repeat places, "
            "escalated cases, rebounds and urgent incidents, with the county's weights; the "
            "grade is the first threshold reached (red %(red)s, orange %(orange)s, yellow "
            "%(yellow)s points, otherwise blue). Red and orange cells deserve a visit first."),
        "analysisMonth": _("Analysis of %(month)s, finished %(time)s"),
        "noRun": _("No finished hot-spot analysis for %(month)s yet."),
        "runIt": _("Run it on the analysis page"),
        "cellFacts": _(
            "%(name)s (%(village)s): %(cases)s cases this month; %(hot)s; %(pattern)s; "
            "risk %(grade)s (score %(score)s); %(repeats)s repeat places, %(escalated)s "
            "escalated, %(rebounded)s rebounds, %(urgent)s urgent"),
        "zScore": _("Gi* z-score %(z)s"),
    }


def page_labels() -> dict[str, object]:
    """Every word the analysis page's scripts show."""
    return {
        "statuses": status_labels(),
        "kinds": kind_labels(),
        "weights": weight_labels(),
        "allCases": _("All cases"),
        "queued": _("Asked for: waiting for a worker…"),
        "running": _("%(stage)s (%(progress)s)"),
        "done": _("Done. %(summary)s"),
        "failed": _("The run failed: %(error)s"),
        "hotSummary": _("%(cells)s grid cells, %(cases)s cases; %(hot)s hot spots, %(cold)s "
                        "cold spots; %(red)s red, %(orange)s orange, %(yellow)s yellow."),
        "backtestSummary": _("Months checked: %(months)s."),
        "showOnDashboard": _("Show on the dashboard"),
        "showPrediction": _("See the predictive check below"),
        "requestFailed": _("The request failed: %(message)s"),
        "offline": _("No connection to the server. Try again."),
        "noRuns": _("No runs yet."),
        "noPrediction": _("No predictive check has finished yet. Run one above."),
        "month": _("Month"),
        "kind": _("Analysis"),
        "category": _("Case category"),
        "status": _("Status"),
        "asked": _("Asked at"),
        "finished": _("Finished"),
        "result": _("Result"),
        "methodRisk": _("Risk score"),
        "methodKde": _("Kernel density (baseline)"),
        "areaTarget": _("%(share)s of the area"),
        "hitRate": _("Hit rate"),
        "pai": _("PAI"),
        "cases": _("Cases next month"),
        "average": _("Average"),
        "averageOf": _("Average of %(months)s months"),
        "reading": _(
            "How to read this: PAI 1 means no better than chance (flagging a twentieth of the "
            "area catches a twentieth of the cases). Over %(months)s months, our risk score "
            "flagged %(risk_hit)s of the next month's cases in %(area)s of the area (PAI "
            "%(risk_pai)s); the kernel-density baseline, which only looks at last month's "
            "case locations, caught %(kde_hit)s (PAI %(kde_pai)s)."),
        "verdictBetter": _("The risk score did better than the baseline: the map's red and "
                           "orange cells are worth visiting first."),
        "verdictWorse": _("The baseline did as well or better: treat the risk grades as one "
                          "input among others, and check the weights below."),
        "verdictChance": _("Neither did much better than chance: the map should not be "
                           "trusted for where next month's cases will be."),
        "noMonths": _("No month had a following month with cases to check against."),
        "saved": _("Saved (version %(version)s). Runs from now on use these settings."),
        "stale": _("Someone changed the settings since you opened this page."),
        "reload": _("Load their version"),
        "invalid": _("Not saved: %(message)s"),
        "notNumber": _("Enter a number for every weight and threshold."),
    }
