"""The demo year yields a plausible assessment: its urgent incidents in the register, the
ladder played month by month through the real rules and services, at least one township on
the ladder, every step with its evidence and the scheme version used; loaded once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

END = dt.datetime(2026, 11, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_the_demo_year_puts_a_township_on_the_ladder(app, db_session):
    from govgrid.assessment.models import MajorEvent, Sanction
    from govgrid.assessment.vocabulary import SanctionState
    from govgrid.demo.assessment import load_demo_assessment
    from govgrid.demo.history_loader import load_history

    with app.app_context():
        assert load_history(n=8000, seed=150521, end=END).loaded
        year = load_demo_assessment("150521000000", END, 150521)
        again = load_demo_assessment("150521000000", END, 150521)
    assert year.loaded and not again.loaded  # once
    urgent = db_session.execute(select(func.count()).select_from(MajorEvent)).scalar_one()
    assert year.events == urgent > 0
    assert year.proposed >= 5 and year.confirmed > year.dismissed
    assert 0 < year.rectified < year.confirmed  # some rectify in time, some do not
    assert year.on_ladder, "no township is on the ladder"
    rows = list(db_session.execute(select(Sanction)).scalars())
    triggers = {r.trigger for r in rows}
    assert "not_rectified" in triggers  # a step left unrectified climbed the ladder
    for row in rows:
        assert row.proposed_by is None  # all raised by the rules
        if row.trigger == "not_rectified":
            assert row.evidence["sanction_ids"]  # the step left unrectified
        else:
            assert row.evidence["scheme_version"] == 0  # the built-in default scheme
            assert row.evidence["event_ids"] or row.evidence["figures"]
    assert any(r.state == SanctionState.superseded for r in rows)
