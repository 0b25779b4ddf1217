"""The case page's action forms against the workflow table: every action a person can be
offered has a form, and each form asks for every field the workflow requires (marked
required), so a field added to the table cannot be forgotten on the page."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from govgrid.cases import case_actions
from govgrid.cases.workflow import TRANSITIONS, Action, Level


@pytest.fixture
def ctx(monkeypatch):
    # The few forms that read the database get canned answers here.
    monkeypatch.setattr(case_actions, "possible_duplicates", lambda case: [])
    monkeypatch.setattr(case_actions, "_unit_name", lambda unit_id: "保南村")
    monkeypatch.setattr(case_actions, "_my_subtasks", lambda ctx: [])
    case = SimpleNamespace(id="c", owner_level=Level.township, village_id=7, township_id=3)
    return case_actions.Context(principal=SimpleNamespace(user_id=1), case=case)


def test_every_action_a_person_may_be_offered_has_a_form():
    assert set(case_actions.FIELDS) == set(Action) - case_actions.NOT_OFFERED


@pytest.mark.parametrize("action", sorted(set(Action) - case_actions.NOT_OFFERED))
def test_each_form_asks_for_what_the_workflow_requires(ctx, action, monkeypatch):
    monkeypatch.setattr(case_actions, "_hint", lambda action, ctx: None)
    form = case_actions.form_for(Action(action), ctx)
    sent = {f.name: f for f in form.fields if f.group == "transition"}
    required = set(TRANSITIONS[Action(action)].required)
    assert required <= set(sent), (action, required - set(sent))
    assert {name for name, f in sent.items() if f.required} == required


def test_a_written_agreement_is_asked_for_only_while_none_is_on_record(ctx, monkeypatch):
    monkeypatch.setattr(case_actions, "_hint", lambda action, ctx: None)

    def agreement_fields(agreements):
        ctx.agreements = agreements
        return {f.name: f for f in case_actions.form_for(Action.resolve, ctx).fields
                if f.group == "agreement"}

    first = agreement_fields([])
    assert {n for n, f in first.items() if f.required} == {"facts", "terms", "performance"}
    assert all(f.shown_when == "outcome=written_agreement" for f in first.values())
    again = agreement_fields([SimpleNamespace(number="科左中调字〔2026〕第0001号")])
    assert not any(f.required for f in again.values())
