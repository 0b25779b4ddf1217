"""Workflow refusals and names in the user's language, keyed by the workflow's stable codes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .vocabulary import PartyRole, Source
from .workflow import Action, CaseState, Outcome, Refusal

# Words for parties' roles, report sources and outcomes: one set for the case page, the
# mobile app and the exports.
PARTY_ROLE_LABELS = {PartyRole.applicant: _l("applicant"), PartyRole.respondent: _l("respondent"),
                     PartyRole.other: _l("other party")}
SOURCE_LABELS = {Source.grid_worker: _l("grid worker"), Source.walk_in: _l("walk-in visit"),
                 Source.hotline_12345: _l("12345 hotline"), Source.police_110: _l("110 referral"),
                 Source.court_referral: _l("court referral"), Source.petition: _l("petition"),
                 Source.department: _l("department referral")}
OUTCOME_LABELS = {Outcome.written_agreement: _l("written agreement"),
                  Outcome.oral_agreement: _l("oral agreement"),
                  Outcome.withdrawn: _l("complaint withdrawn"),
                  Outcome.partial: _l("partly resolved"),
                  Outcome.terminated: _l("mediation ended")}

STATE_LABELS = {
    CaseState.draft: _l("draft"), CaseState.reported: _l("reported"),
    CaseState.accepted: _l("accepted"), CaseState.mediating: _l("being mediated"),
    CaseState.suspended: _l("suspended"), CaseState.resolved: _l("resolved"),
    CaseState.closed: _l("closed"), CaseState.archived: _l("archived"),
    CaseState.rejected: _l("rejected"), CaseState.merged: _l("merged"),
    CaseState.referred: _l("referred"),
}

ACTION_LABELS = {
    Action.submit: _l("submit"), Action.accept: _l("accept"), Action.return_: _l("return"),
    Action.reject: _l("reject"), Action.merge: _l("merge"),
    Action.resolve_on_spot: _l("resolve on the spot"), Action.assign: _l("assign"),
    Action.record_session: _l("record a mediation session"), Action.resolve: _l("resolve"),
    Action.escalate: _l("escalate"), Action.pull_up: _l("pull up"),
    Action.push_down: _l("push down"), Action.refer: _l("refer"),
    Action.start_joint: _l("start joint handling"),
    Action.complete_subtask: _l("complete a sub-task"), Action.suspend: _l("suspend"),
    Action.resume: _l("resume"), Action.follow_up: _l("follow up"), Action.reopen: _l("reopen"),
    Action.close: _l("close"), Action.archive: _l("archive"), Action.extend: _l("extend"),
    Action.auto_escalate: _l("escalate automatically"),
}

MESSAGES = {
    "invalid_state": _l("A %(state)s case cannot be given the action “%(action)s”."),
    "role_not_allowed": _l("Your role may not %(action)s a case."),
    "missing_fields": _l("Required to %(action)s: %(fields)s."),
    "not_reporter": _l("Only the person who reported this case may do this."),
    "resolve_on_spot_not_small": _l("Only general, non-urgent cases may be resolved on the spot."),
    "on_spot_outcome": _l("A case resolved on the spot must end in an agreement or be withdrawn."),
    "wrong_level": _l("This case is held at another level than the one your role acts at."),
    "not_owning_unit": _l("Only the centre that holds this case may do this."),
    "not_handler": _l("Only the mediator assigned to this case may do this."),
    "department_not_involved": _l("Your department has no referral or sub-task on this case."),
    "unknown_outcome": _l("Unknown outcome."),
    "terminated_needs_routes": _l("A terminated mediation must record that the parties were "
                                  "told their legal routes."),
    "open_subtasks": _l("Some department sub-tasks are still open."),
    "no_open_subtasks": _l("This case has no open department sub-task."),
    "escalate_at_top": _l("The case is already held at county level; there is no level above."),
    "pull_up_at_top": _l("A county-level case cannot be pulled up further."),
    "not_level_above": _l("Only the level directly above may pull up this case."),
    "push_down_at_bottom": _l("A village-level case cannot be pushed down further."),
    "unknown_route": _l("Unknown legal route."),
    "merge_into_self": _l("A case cannot be merged into itself."),
    "no_consent": _l("An extension needs the consent of both parties."),
    "already_extended": _l("The mediation time limit has already been extended once."),
    "follow_up_by_handler": _l("The follow-up visit must be made by someone other than the "
                               "handler."),
    "reopen_window_passed": _l("The case was closed too long ago to be reopened."),
    "platform_only": _l("Only the platform itself takes this action, when a case is overdue."),
}


def refusal_message(refusal: Refusal) -> str:
    params = dict(getattr(refusal, "params", {}) or {})
    action = getattr(refusal, "action", None)
    state = getattr(refusal, "state", None)
    values = {
        "action": str(ACTION_LABELS.get(action, action)) if action else "",
        "state": str(STATE_LABELS.get(state, state)) if state else "",
        "fields": str(params.get("fields", "")),
    }
    template = MESSAGES.get(refusal.code)
    return str(template) % values if template is not None else refusal.message
