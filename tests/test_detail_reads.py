"""What makes detail pages cheap must not change what they show: values kept per content version
follow a change, the wizard's remembered steps equal the steps worked out afresh, and no page
reads the database once per item again."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, select

from portal import db
from portal.eligibility import engine, services
from portal.places.models import Place
from portal.regions.models import Region

PLAN = "chengguan-base-work-plan"  # a seed plan: its page lists the places its text names


def test_a_renamed_place_shows_on_the_page_of_the_plan_naming_it(staff_app):
    visitor = staff_app.test_client()
    with staff_app.app_context():
        place = (
            db.session()
            .scalars(select(Place).where(Place.source_ref.like("%S4%")).order_by(Place.id))
            .first()
        )
        place_id, old_name = place.id, place.name
    link = f'<a href="/places/{place_id}">'
    assert link + old_name in visitor.get(f"/policies/{PLAN}").get_data(as_text=True)
    with staff_app.app_context():
        session = db.session()
        session.get(Place, place_id).name = "更名后的众创空间"
        session.commit()
    page = visitor.get(f"/policies/{PLAN}").get_data(as_text=True)
    assert link + "更名后的众创空间" in page and link + old_name not in page


def test_a_region_moved_elsewhere_changes_the_chain_read_by_next_steps_and_related_policies(staff_app):
    from portal.regions.services import chain_of

    district = "gansu-lanzhou-chengguan"
    with staff_app.test_request_context("/"):
        assert chain_of(db.session(), district) == (district, "gansu-lanzhou", "gansu", "cn")
    with staff_app.app_context():
        session = db.session()
        session.get(Region, district).parent_id = None
        session.commit()
    with staff_app.test_request_context("/"):
        assert chain_of(db.session(), district) == (district,)
        assert chain_of(db.session(), "no-such-region") == ()


def _path_afresh(answers, rules, on):
    """The wizard's path as worked out before steps were remembered: every step from scratch."""
    known, pending, path = {}, list(rules.benefits), []
    while pending:
        facts = engine.facts_for(known, rules, on)
        undecided = [
            r
            for r in (engine.evaluate_benefit(b, facts, rules, on) for b in pending)
            if r.status == engine.NEEDS_INFO
        ]
        pending = [r.benefit for r in undecided]
        wanted = {f for r in undecided for f in r.missing}
        q = next((q for q in rules.questions if q.id in wanted and q.id not in known), None)
        if q is None or q.id not in answers:
            break
        path.append(q)
        known[q.id] = answers[q.id]
    return path


def test_remembered_wizard_steps_give_the_path_worked_out_afresh(content_app):
    on = dt.date.today()
    with content_app.app_context():
        rules = services.ruleset(db.session())
    answer_sets = [case.answers for b in rules.benefits for case in b.cases]
    # Every prefix of every answer set, so that remembered steps of one set serve others.
    prefixes = [dict(list(a.items())[:n]) for a in answer_sets for n in range(len(a) + 1)]
    assert len(answer_sets) > 50
    for answers in [*answer_sets, *prefixes, *answer_sets]:
        assert engine.asked_path(answers, rules, on) == _path_afresh(answers, rules, on), answers
    assert rules.path_steps  # steps were remembered


@pytest.mark.parametrize(
    ("url", "most"),
    [
        ("/", 3),
        ("/policies/haidian-base-work-plan", 7),
        ("/policies/liangjiang-talent-programmes", 7),
        ("/places/chengguan-innovation-industrial-park", 5),
        ("/api/v1/policies/haidian-base-work-plan", 4),
        # The ruleset's fingerprint is read again when a second has passed: three more.
        ("/eligibility/questions/company_registered", 4),
    ],
)
def test_detail_pages_read_the_database_a_fixed_number_of_times(content_app, url, most):
    client = content_app.test_client()
    assert client.get(url).status_code == 200  # first: values kept per content version are made
    statements = []
    engine_ = content_app.extensions["db_engine"]

    def seen(*_args):
        statements.append(1)

    event.listen(engine_, "before_cursor_execute", seen)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine_, "before_cursor_execute", seen)
    assert len(statements) <= most, (url, len(statements))
