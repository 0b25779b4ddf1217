"""The assessment's words in the reader's language, for the unit page, the scheme editor and
the register of major events (templates and scripts: JavaScript has no catalog, so these go
to the scripts as data). Steps, states, kinds, severities, factors, triggers, and the
scheme checks' codes (docs/ASSESSMENT.md: "their wording belongs with the form")."""

from __future__ import annotations

from flask_babel import gettext as _

from ..stats import labels as stat_labels


def step_labels() -> dict[str, str]:
    return {"notice": _("Public notice (通报)"), "interview": _("Admonitory talk (约谈)"),
            "supervision": _("Listed supervision (挂牌督办)"),
            "veto": _("One-vote veto (一票否决)")}


def state_labels() -> dict[str, str]:
    return {"proposed": _("Proposed"), "dismissed": _("Dismissed"),
            "confirmed": _("In force"), "rectified": _("Rectified"),
            "superseded": _("Superseded by the next step"), "expired": _("Expired")}


def kind_labels() -> dict[str, str]:
    return {"mass_incident": _("Mass incident (群体性事件)"), "homicide": _("Homicide (命案)"),
            "major_crime": _("Major criminal case (重大刑事案件)"),
            "public_safety_accident": _("Public-safety accident (公共安全事故)")}


def severity_labels() -> dict[str, str]:
    return {"ordinary": _("Ordinary (一般)"), "serious": _("Serious (较大)"),
            "major": _("Major (重大)"), "especially_serious": _("Especially serious (特别重大)")}


def factor_labels() -> dict[str, str]:
    return {"late_report": _("Late report (迟报)"), "concealment": _("Concealment (瞒报/谎报)"),
            "obstruction": _("Obstruction (阻碍调查)"),
            "prompt_remedy": _("Prompt remedy (及时补救)"),
            "cooperation": _("Cooperation (积极配合)")}


def trigger_label(code: str) -> str:
    """A trigger code in words; a scheme's own veto or event trigger keeps its code."""
    words = {
        "manual": _("Raised by hand"),
        "failed_assessment": _("Failed the assessment"),
        "late_report": _("Urgent reports made late (迟报)"),
        "concealed_report": _("Urgent reports concealed (瞒报)"),
        "rebound": _("Rebound rate above the limit, not improving"),
        "not_rectified": _("Not rectified by the deadline"),
        "especially_serious_event": _("An especially serious event"),
        "major_events_cluster": _("Several major events in a short time"),
        "serious_events_cluster": _("Several serious events in a short time"),
        "concealment": _("A concealed urgent report"),
        "failed_twice": _("Failed the assessment periods running"),
    }
    return words.get(code, code)


def direction_labels() -> dict[str, str]:
    return {"higher_is_better": _("Higher is better"), "lower_is_better": _("Lower is better")}


def basis_labels() -> dict[str, str]:
    return {"major_event": _("per major event"), "late_report": _("per late report"),
            "concealed_report": _("per concealed report"), "events": _("events"),
            "concealment": _("any concealed report"),
            "failed_periods": _("failed periods running")}


def indicator_labels(keys: list[str]) -> dict[str, dict[str, str | None]]:
    return {key: {"name": stat_labels.name(key), "numerator": stat_labels.numerator_text(key),
                  "denominator": stat_labels.denominator_text(key)} for key in keys}


def problem_labels() -> dict[str, str]:
    """The scheme checks' codes (scheme.SchemeError) as sentences, with their params."""
    return {
        "must_be_object": _("Must be an object."), "must_be_list": _("Must be a list."),
        "must_be_number": _("Enter a number."), "must_be_integer": _("Enter a whole number."),
        "must_be_positive": _("Must be more than 0."),
        "out_of_range": _("Out of range (%(low)s to %(high)s)."),
        "unknown_key": _("Unknown field."), "missing_key": _("Missing field."),
        "unknown_value": _("Not an allowed value."), "duplicate": _("Appears twice."),
        "code_required": _("A code is required."),
        "indicators_required": _("At least one indicator is required."),
        "weights_must_sum_to_100": _("The weights add up to %(total)s; they must add up to "
                                     "100."),
        "unknown_indicator": _("Not a known indicator."),
        "direction_contradicts_indicator": _("This indicator goes the other way."),
        "floor_on_wrong_side": _("The floor must lie on the bad side of the target "
                                 "(%(target)s)."),
        "kinds_required": _("Choose at least one kind of event."),
        "not_allowed": _("Not allowed here."),
        "window_required": _("Several events need a window of days."),
        "step_must_be_veto": _("A veto trigger proposes the veto."),
        "step_below_veto_required": _("An event trigger proposes a step below the veto."),
        "basis_not_allowed": _("Not allowed for this trigger."),
        "wrong_year": _("The scheme's year does not match."),
        "malformed": _("The scheme is not valid."),
    }


def common_labels() -> dict[str, str]:
    return {
        "network": _("No connection to the server. Try again."),
        "failed": _("The request failed."),
        "stale": _("Someone changed this since you opened the page."),
        "reload": _("Reload the page"),
        "saved": _("Saved."),
    }


def unit_page_labels() -> dict[str, object]:
    return {
        **common_labels(),
        "uploading": _("Uploading %(name)s…"),
        "uploaded": _("%(name)s (%(size)s)"),
        "remove": _("Remove"),
        "reasonRequired": _("Give a reason."),
        "noteRequired": _("Say why the rectification is not accepted."),
        "textRequired": _("Describe what was rectified."),
    }


def scheme_page_labels() -> dict[str, object]:
    return {
        **common_labels(),
        "problems": problem_labels(),
        "notNumber": _("Enter a number."),
        "weightsSum": _("The weights add up to %(total)s; they must add up to 100."),
        "confirmActivate": _("Put version %(version)s in force for %(year)s? The version in "
                             "force now is retired; assessments from now on use this one."),
        "draftSaved": _("Draft saved (revision %(revision)s)."),
        "revision": _("revision %(revision)s"),
        "notSaved": _("Not saved: correct the fields marked in red."),
    }


def events_page_labels() -> dict[str, object]:
    return {**common_labels(), "recorded": _("Recorded."),
            "unitRequired": _("Choose the township or village.")}
