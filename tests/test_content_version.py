"""The content version moves in the same transaction as every change the public sees, and only then."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, event, select, text, update
from sqlalchemy.orm.attributes import flag_modified

from portal import db
from portal.config import ROOT
from portal.content.loader import load_content
from portal.core import contentversion
from portal.core.audit import AuditEntry
from portal.core.clock import utcnow
from portal.core.contentversion import ContentVersion, PublicContent
from portal.core.ratelimit import RateCounter
from portal.db import Base
from portal.eligibility.models import Benefit
from portal.events.models import Event
from portal.places.models import Place
from portal.policies.models import Policy, PolicyAttachment, PolicyStep, policy_categories
from portal.publishing import services as publishing
from portal.search.indexer import rebuild
from tests.conftest import make_app
from tests.operating import make_operator
from tests.staffing import client_for
from tests.test_search_synonyms_staff import PROPOSAL
from tests.test_staff_benefits import BENEFIT
from tests.test_staff_benefits import _publish as _publish_benefit
from tests.test_staff_benefits import _revision_id as _benefit_revision_id
from tests.test_staff_benefits import _save as _save_benefit
from tests.test_staff_benefits import _source as _benefit_source
from tests.test_staff_workflow import NEW_POLICY, _act, _latest_revision

PUBLIC_MODELS = sorted(
    (m.class_ for m in Base.registry.mappers if issubclass(m.class_, PublicContent)),
    key=lambda cls: cls.__name__,
)


def _version(app) -> int:
    with app.app_context():
        return contentversion.read(db.session())


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """One loaded app per module (with a step and an attachment, which the content files lack); each
    test below changes what it changes and reads the version."""
    app = make_app(tmp_path_factory.mktemp("version"), loaded=True)
    with app.app_context():
        session = db.session()
        policy = session.get(Policy, "chengguan-base-plan-notice")
        before = contentversion.read(session)
        policy.steps.append(PolicyStep(position=1, title="提交申请"))
        policy.attachments.append(PolicyAttachment(position=1, title="申请表"))
        session.commit()
        assert contentversion.read(session) == before + 1
    return app


def test_the_migration_starts_the_version_and_content_load_moves_it(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        session = db.session()
        row = session.get(ContentVersion, 1)
        assert row is not None and row.version == 1
        load_content(session, ROOT / "content")
        assert contentversion.read(session) == 1  # not before the commit
        session.commit()
        assert contentversion.read(session) == 2
        changed = session.get(ContentVersion, 1).changed_at
    assert abs(changed.replace(tzinfo=dt.UTC) - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


def test_every_public_model_is_covered():
    names = {cls.__name__ for cls in PUBLIC_MODELS}
    assert {
        "Policy",
        "Category",
        "PolicyGuide",
        "PolicyStep",
        "PolicyAttachment",
        "Region",
        "Place",
        "Benefit",
        "EligibilityQuestion",
        "Event",
        "Synonym",
        "ServicePoint",
        "SearchOutbox",
    } <= names


@pytest.mark.parametrize(
    "model", [m for m in PUBLIC_MODELS if m.__name__ not in ("SearchOutbox",)], ids=lambda m: m.__name__
)
def test_changing_a_row_of_any_public_model_moves_the_version(loaded, model):
    with loaded.app_context():
        session = db.session()
        row = session.scalars(select(model).limit(1)).first()
        assert row is not None
        before = contentversion.read(session)
        column = next(c.key for c in model.__mapper__.column_attrs if not c.columns[0].primary_key)
        flag_modified(row, column)
        session.commit()
        assert contentversion.read(session) == before + 1


def test_adding_and_deleting_public_rows_move_the_version(loaded):
    with loaded.app_context():
        session = db.session()
        before = contentversion.read(session)
        session.add(
            Place(
                id="version-test",
                type="makerspace",
                name="版本测试空间",
                aliases=[],
                region_id="gansu-lanzhou-chengguan",
                industries=[],
                services=[],
                description="测试",
                geo_precision="city",
                status="active",
                fund_stages=[],
                photos=[],
            )
        )
        session.commit()
        assert contentversion.read(session) == before + 1
        session.delete(session.get(Place, "version-test"))
        session.commit()
        assert contentversion.read(session) == before + 2


def test_bulk_statements_and_raw_sql_on_public_tables_move_it_others_do_not(loaded):
    with loaded.app_context():
        session = db.session()
        start = contentversion.read(session)
        session.execute(update(Policy).where(Policy.id == "__none__").values(title="x"))
        session.commit()
        assert contentversion.read(session) == start + 1  # even a bulk update that matched nothing
        session.execute(delete(policy_categories).where(policy_categories.c.policy_id == "__none__"))
        session.commit()
        assert contentversion.read(session) == start + 2
        session.execute(text("UPDATE places SET name = name WHERE id = '__none__'"))
        session.commit()
        assert contentversion.read(session) == start + 3
        session.execute(update(RateCounter).values(count=RateCounter.count))
        session.add(AuditEntry(entity_type="policy", entity_id="x", action="view"))
        session.execute(text("SELECT 1"))
        session.commit()
        assert contentversion.read(session) == start + 3  # neither private tables nor reads count


def test_a_rolled_back_change_does_not_move_it_and_reads_do_not(loaded):
    with loaded.app_context():
        session = db.session()
        start = contentversion.read(session)
        session.get(Policy, "chengguan-base-plan-notice").title = "不会保存"
        session.flush()
        session.rollback()
        session.scalars(select(Policy)).all()
        session.commit()
        assert contentversion.read(session) == start


def test_the_version_is_read_once_per_request(loaded):
    statements = []

    def _count(_conn, _cursor, statement, *_args):
        if "content_version" in statement:
            statements.append(statement)

    engine = loaded.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", _count)
    try:
        client = loaded.test_client()
        client.get("/policies")
        assert len(statements) == 1
        client.get("/policies")  # served from the page cache: still the one query
        assert len(statements) == 2
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def test_publishing_paths_move_the_version(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    reviewer = client_for(staff_app, "reviewer@example.gov.cn")
    seen = [_version(staff_app)]

    def moved() -> bool:
        seen.append(_version(staff_app))
        return seen[-1] > seen[-2]

    editor.post("/staff/policies/new", data=NEW_POLICY)
    assert not moved()  # a draft shows nowhere
    _act(editor, _latest_revision(staff_app, NEW_POLICY["id"]), "submit")
    _act(reviewer, _latest_revision(staff_app, NEW_POLICY["id"]), "approve")
    assert moved()  # publish
    pid = NEW_POLICY["id"]
    reviewer.post(f"/staff/policies/{pid}/withdraw", data={"reason": "测试撤回"})
    assert moved()  # unpublish
    reviewer.post(f"/staff/policies/{pid}/republish", data={"reason": "测试恢复"})
    assert moved()
    response = reviewer.post("/staff/synonyms", data=PROPOSAL)
    assert response.status_code == 302
    with staff_app.app_context():
        from portal.search.models import SynonymChange

        change_id = db.session().scalars(select(SynonymChange.id)).first()
    assert not moved()  # a proposal shows nowhere
    client_for(staff_app, "reviewer2@example.gov.cn").post(
        f"/staff/synonyms/changes/{change_id}", data={"decision": "approve"}
    )
    assert moved()  # synonyms change what search finds


def test_scheduled_publication_moves_the_version(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    reviewer = client_for(staff_app, "reviewer@example.gov.cn")
    public = staff_app.test_client()
    editor.post("/staff/policies/new", data=NEW_POLICY)
    _act(editor, _latest_revision(staff_app, NEW_POLICY["id"]), "submit")
    later = (utcnow() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    _act(reviewer, _latest_revision(staff_app, NEW_POLICY["id"]), "approve", publish_at=later)
    assert NEW_POLICY["id"] not in public.get("/policies?sort=newest").get_data(as_text=True)
    assert public.get("/policies?sort=newest").headers["X-Cache"] == "HIT"
    before = _version(staff_app)
    with staff_app.app_context():
        session = db.session()
        assert publishing.run_due(session, now=utcnow() + dt.timedelta(days=2))["published"] == 1
        session.commit()
    assert _version(staff_app) > before
    response = public.get("/policies?sort=newest")
    assert response.headers["X-Cache"] == "MISS" and NEW_POLICY["id"] in response.get_data(as_text=True)


def test_expiry_by_the_scheduler_moves_the_version(staff_app):
    with staff_app.app_context():
        session = db.session()
        policy = session.scalars(select(Policy).where(Policy.status == "in_force")).first()
        policy.effective_to = dt.date(2020, 1, 1)
        session.commit()
        before = contentversion.read(session)
        assert publishing.run_due(session)["expired"] >= 1
        session.commit()
        assert contentversion.read(session) > before


def test_listing_approval_rule_publication_and_event_approval_move_the_version(staff_app):
    """Proposals show nowhere; the decisions that publish them move the version."""
    from portal.accounts.models import User
    from portal.events import editing as event_editing
    from portal.operators import services as listings

    operator_id = make_operator(staff_app, "op@example.com")
    with staff_app.app_context():
        session = db.session()
        reviewer = session.scalars(select(User).where(User.email == "reviewer@example.gov.cn")).one()
        editor = session.scalars(select(User).where(User.email == "editor@example.gov.cn")).one()
        place = session.scalars(select(Place).order_by(Place.id)).first()
        data = {**listings.current_data(session, place), "desks_free": 7}
        revision = listings.submit_change(
            session, session.get(User, operator_id), place, data, listings.edit_token(session, place)
        )
        session.commit()
        start = contentversion.read(session)
        listings.act(session, reviewer, revision, "approve")
        session.commit()
        approved = contentversion.read(session)
        assert approved > start  # (and again when the index has caught up)

        evt = session.scalars(select(Event).order_by(Event.id)).first()
        changed = {**event_editing.event_fields(evt), "title": evt.title + "（改期）"}
        proposal = event_editing.submit_change(session, editor, evt, changed)
        session.commit()
        assert contentversion.read(session) == approved
        event_editing.act(session, reviewer, proposal, "approve")
        session.commit()
        event_approved = contentversion.read(session)
        assert event_approved > approved

    editor_client = client_for(staff_app, "editor@example.gov.cn")
    definition = _benefit_source(staff_app)
    definition["name"] = definition["name"] + "（新）"
    response = _save_benefit(editor_client, definition)
    assert response.status_code == 302
    assert _version(staff_app) == event_approved  # a draft of rules shows nowhere
    reviewer_client = client_for(staff_app, "reviewer@example.gov.cn")
    assert _publish_benefit(reviewer_client, staff_app, _benefit_revision_id(response)).status_code == 303
    assert _version(staff_app) > event_approved
    with staff_app.app_context():
        assert db.session().get(Benefit, BENEFIT).name.endswith("（新）")


def test_index_rebuild_and_drain_move_the_version(staff_app):
    with staff_app.app_context():
        session = db.session()
        before = contentversion.read(session)
        rebuild(session, staff_app.extensions["search"])
        assert contentversion.read(session) > before
