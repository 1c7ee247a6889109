"""Staff keep the synonym list through review; zero-result searches lead to it."""

from __future__ import annotations

from sqlalchemy import select

from portal import db
from portal.config import ROOT
from portal.content.loader import load_content
from portal.core.audit import AuditEntry
from portal.search.models import Synonym, SynonymChange
from tests.pages import check_page
from tests.staffing import sign_in

PROPOSAL = {
    "word": "孵化场",
    "terms": "孵化器，孵化基地",
    "reason": "口语“孵化场”指孵化器。",
    "test_query": "孵化场 税收",
    "test_expect": "benefit:incubator-space-tax-exemption",
}


def _client(app, email):
    client = app.test_client()
    sign_in(client, app, email)
    return client


def _search_ids(client, text):
    body = client.get("/api/v1/search", query_string={"q": text, "per_page": 5}).get_json()
    return [r["id"] for r in body["results"]]


def test_a_proposal_applies_once_a_colleague_approves_it_with_an_audit_entry_each(staff_app):
    editor = _client(staff_app, "editor@example.gov.cn")
    reviewer = _client(staff_app, "reviewer@example.gov.cn")
    assert "incubator-space-tax-exemption" not in _search_ids(editor, "孵化场 税收")
    response = editor.post("/staff/synonyms", data=PROPOSAL)
    assert response.status_code == 302
    with staff_app.app_context():
        change = db.session().scalars(select(SynonymChange)).one()
        change_id = change.id
        assert change.terms == ["孵化器", "孵化基地"] and change.state == "proposed"
    assert "incubator-space-tax-exemption" not in _search_ids(editor, "孵化场 税收")
    # The editor cannot decide (role), nor can the proposer.
    decide = f"/staff/synonyms/changes/{change_id}"
    assert editor.post(decide, data={"decision": "approve"}).status_code == 403
    response = reviewer.post(f"/staff/synonyms/changes/{change_id}", data={"decision": "approve"})
    assert response.status_code == 303
    assert "incubator-space-tax-exemption" in _search_ids(editor, "孵化场 税收")
    with staff_app.app_context():
        session = db.session()
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.entity_type == "synonym").order_by(AuditEntry.id)
        ).all()
        assert [(e.action, e.from_state, e.to_state) for e in entries] == [
            ("propose_synonym", None, "proposed"),
            ("approve_synonym", "proposed", "approved"),
        ]
        entry = session.scalars(select(Synonym).where(Synonym.word == "孵化场")).one()
        assert entry.managed_by_staff is True
        # A later content load keeps the staff's entry (the database is the source of truth).
        load_content(session, ROOT / "content")
        session.commit()
        assert session.scalars(select(Synonym).where(Synonym.word == "孵化场")).one() is not None
    again = reviewer.post(f"/staff/synonyms/changes/{change_id}", data={"decision": "reject"})
    assert again.status_code == 303


def test_the_proposer_cannot_approve_their_own_proposal(staff_app):
    reviewer = _client(staff_app, "reviewer@example.gov.cn")
    reviewer.post("/staff/synonyms", data=PROPOSAL)
    with staff_app.app_context():
        change_id = db.session().scalars(select(SynonymChange)).one().id
    reviewer.post(f"/staff/synonyms/changes/{change_id}", data={"decision": "approve"})
    with staff_app.app_context():
        assert db.session().get(SynonymChange, change_id).state == "proposed"
        assert db.session().scalars(select(Synonym).where(Synonym.word == "孵化场")).first() is None


def test_bad_proposals_name_the_field_and_save_nothing(staff_app):
    editor = _client(staff_app, "editor@example.gov.cn")
    for bad, field in (
        ({"test_expect": "rd-expense"}, "test_expect"),
        ({"test_expect": "benefit:no-such-benefit"}, "test_expect"),
        ({"terms": ""}, "terms"),
    ):
        response = editor.post("/staff/synonyms", data={**PROPOSAL, **bad})
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        check_page(page)
        assert f'href="#{field}"' in page
    with staff_app.app_context():
        assert db.session().scalars(select(SynonymChange)).first() is None


def test_zero_result_searches_link_to_adding_a_synonym(staff_app):
    staff_app.config["COUNT_FLUSH_SECONDS"] = 0  # searches are counted at once, not a minute later
    editor = _client(staff_app, "editor@example.gov.cn")
    for _ in range(2):
        assert editor.get("/search", query_string={"q": "zzqqxx"}).status_code == 200
    home = editor.get("/staff/").get_data(as_text=True)
    check_page(home)
    assert "/staff/synonyms?word=zzqqxx" in home
    page = editor.get("/staff/synonyms?word=zzqqxx")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    check_page(html)
    assert 'value="zzqqxx"' in html


def test_two_reviewers_deciding_at_once_make_one_decision(staff_app):
    """Both read the proposal while it is open; the first decision commits, the second is refused
    (not written over it) even though its session still sees the proposal open."""
    import pytest

    from portal.accounts.models import User
    from portal.search import synonyms

    editor = _client(staff_app, "editor@example.gov.cn")
    editor.post("/staff/synonyms", data=PROPOSAL)
    with staff_app.app_context():
        maker = staff_app.extensions["db_sessionmaker"]
        first, second = maker(), maker()
        change_id = first.scalars(select(SynonymChange)).one().id
        seen = second.get(SynonymChange, change_id)
        assert seen.state == "proposed"
        one = first.scalars(select(User).where(User.email == "reviewer@example.gov.cn")).one()
        two = second.scalars(select(User).where(User.email == "reviewer2@example.gov.cn")).one()
        synonyms.decide(first, one, change_id, approve=True)
        first.commit()
        with pytest.raises(synonyms.SynonymError) as refused:
            synonyms.decide(second, two, change_id, approve=False)
        assert refused.value.code == "decided"
        second.rollback()
        first.close(), second.close()
        session = db.session()
        assert session.get(SynonymChange, change_id).state == "approved"
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "synonym")).all()
        assert actions.count("approve_synonym") == 1 and "reject_synonym" not in actions
