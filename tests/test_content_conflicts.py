"""A content load never overwrites what staff published; conflicts go to a staff queue."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from portal import db
from portal.accounts.models import User
from portal.content import conflicts
from portal.content.models import ContentConflict
from portal.core.audit import AuditEntry
from portal.eligibility import revisions, services
from portal.eligibility.models import Benefit
from portal.policies.models import Policy
from portal.policies.services import policy_data
from portal.publishing import services as publishing
from tests.conftest import CONTENT, make_app
from tests.pages import check_page
from tests.staffing import client_for

POLICY = "caishui-2018-54"
BENEFIT = "rd-expense-super-deduction"


@pytest.fixture
def loaded(tmp_path):
    """An app whose content folder is a copy we can edit, loaded from it, with an editor and a
    reviewer (the loaded test database: content/ and its staff accounts)."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    app = make_app(
        tmp_path, loaded=True, WTF_CSRF_ENABLED=False, CONTENT_DIR=folder, MAIL_OUTBOX=tmp_path / "outbox"
    )
    return app, folder


def _load(app, *extra):
    return app.test_cli_runner().invoke(args=["content", "load", "--no-index", *extra])


def _user(session, email):
    return session.scalar(select(User).where(User.email == email))


def _publish_policy_title(app, title):
    with app.app_context():
        session = db.session()
        editor, reviewer = _user(session, "editor@example.gov.cn"), _user(session, "reviewer@example.gov.cn")
        policy = session.get(Policy, POLICY)
        revision = publishing.start_revision(session, editor, policy, {**policy_data(policy), "title": title})
        publishing.act(session, editor, revision, "submit")
        publishing.act(session, reviewer, revision, "approve")
        session.commit()


def _publish_benefit_name(app, name):
    with app.app_context():
        session = db.session()
        editor, reviewer = _user(session, "editor@example.gov.cn"), _user(session, "reviewer@example.gov.cn")
        benefit = session.get(Benefit, BENEFIT)
        source = revisions.yaml_text({**benefit.definition, "name": name})
        rules = services.ruleset(session)
        checked = revisions.check_source(session, source, rules, BENEFIT)
        assert checked.cases_pass, checked.problems
        revision = revisions.save_draft(session, editor, BENEFIT, source, checked)
        revisions.act(session, reviewer, revision, "publish", revision.lock_version, rules)
        session.commit()


def _edit_file(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _state(app):
    with app.app_context():
        session = db.session()
        return (
            session.get(Policy, POLICY).title,
            session.get(Benefit, BENEFIT).name,
            list(session.scalars(select(ContentConflict).order_by(ContentConflict.id))),
        )


def test_load_with_unchanged_files_keeps_staff_published_changes(loaded):
    app, _ = loaded
    _publish_policy_title(app, "员工改过的标题")
    _publish_benefit_name(app, "员工改过的名称")
    result = _load(app)
    assert result.exit_code == 0, result.output
    title, name, found = _state(app)
    assert (title, name, found) == ("员工改过的标题", "员工改过的名称", [])


def test_changed_file_over_staff_change_is_a_conflict_staff_decide(loaded):
    app, folder = loaded
    _publish_policy_title(app, "员工改过的标题")
    _publish_benefit_name(app, "员工改过的名称")
    _edit_file(folder / "policies" / f"{POLICY}.md", "title: 财政部", "title: 文件里的新标题 财政部")
    _edit_file(folder / "benefits" / f"{BENEFIT}.yaml", "name: 研发费用", "name: 文件里的 研发费用")

    result = _load(app)
    assert result.exit_code == 0, result.output
    # Reported: the item, the fields, both versions.
    assert f"conflict: policy {POLICY}" in result.output and f"conflict: benefit {BENEFIT}" in result.output
    assert "conflicts left for staff 2" in result.output
    assert "database: 员工改过的标题" in result.output and "file:     文件里的新标题" in result.output
    title, name, found = _state(app)
    assert (title, name) == ("员工改过的标题", "员工改过的名称")
    assert [(c.entity_type, c.entity_id, c.state) for c in found] == [
        ("policy", POLICY, "open"),
        ("benefit", BENEFIT, "open"),
    ]
    assert "title" in found[0].fields and found[1].fields == ["name"]
    # A second load does not queue the same conflict twice.
    _load(app)
    assert len(_state(app)[2]) == 2

    editor = client_for(app, "editor@example.gov.cn")
    assert editor.get("/staff/conflicts").status_code == 403
    reviewer = client_for(app, "reviewer@example.gov.cn")
    assert "2 content conflicts to decide" in reviewer.get("/staff/?lang=en").get_data(as_text=True)
    page = reviewer.get("/staff/conflicts").get_data(as_text=True)
    assert POLICY in page and BENEFIT in page
    check_page(page)
    detail = reviewer.get(f"/staff/conflicts/{found[0].id}").get_data(as_text=True)
    check_page(detail)
    assert "员工改过的标题" in detail and "文件里的新标题" in detail

    reviewer.post(f"/staff/conflicts/{found[0].id}", data={"choice": "take_file"})
    reviewer.post(f"/staff/conflicts/{found[1].id}", data={"choice": "keep_db"})
    title, name, found = _state(app)
    assert title.startswith("文件里的新标题") and name == "员工改过的名称"
    assert [c.state for c in found] == ["took_file", "kept_db"]
    with app.app_context():
        actions = set(
            db.session().scalars(select(AuditEntry.action).where(AuditEntry.entity_id.in_([POLICY, BENEFIT])))
        )
    assert {"content_conflict", "conflict_take_file", "conflict_keep_db"} <= actions
    # Decided: the next load neither reverts nor asks again.
    _load(app)
    title, name, found = _state(app)
    assert title.startswith("文件里的新标题") and name == "员工改过的名称" and len(found) == 2


def test_force_writes_the_files_and_audits_each_item(loaded):
    app, folder = loaded
    _publish_policy_title(app, "员工改过的标题")
    _edit_file(folder / "policies" / f"{POLICY}.md", "title: 财政部", "title: 文件里的新标题 财政部")
    _load(app)
    result = _load(app, "--force")
    assert result.exit_code == 0 and "--force" in result.output
    title, _, found = _state(app)
    assert title.startswith("文件里的新标题") and [c.state for c in found] == ["took_file"]
    with app.app_context():
        forced = (
            db.session().scalars(select(AuditEntry).where(AuditEntry.action == "content_force_load")).all()
        )
    assert [(e.entity_id, "title" in e.detail["fields"]) for e in forced] == [(POLICY, True)]


def test_file_changes_to_untouched_items_still_load(loaded):
    app, folder = loaded
    _edit_file(folder / "policies" / f"{POLICY}.md", "title: 财政部", "title: 文件里的新标题 财政部")
    assert "1 updated" in _load(app).output
    title, _, found = _state(app)
    assert title.startswith("文件里的新标题") and found == []


def test_two_reviewers_deciding_one_conflict_at_once_make_one_decision(loaded):
    """Both see the conflict open; the first decision commits and the second is refused, not
    written over it: the file is taken once and audited once."""
    app, folder = loaded
    _publish_policy_title(app, "员工改过的标题")
    _edit_file(folder / "policies" / f"{POLICY}.md", "title: 财政部", "title: 文件里的新标题 财政部")
    assert _load(app).exit_code == 0
    with app.app_context():
        maker = app.extensions["db_sessionmaker"]
        first, second = maker(), maker()
        row_one = first.scalars(select(ContentConflict)).one()
        row_two = second.get(ContentConflict, row_one.id)
        assert row_two.state == "open"
        conflicts.decide(first, _user(first, "reviewer@example.gov.cn"), row_one, "take_file")
        first.commit()
        with pytest.raises(conflicts.DecisionError):
            conflicts.decide(second, _user(second, "reviewer2@example.gov.cn"), row_two, "keep_db")
        second.rollback()
        first.close(), second.close()
    title, _name, found = _state(app)
    assert title.startswith("文件里的新标题") and [c.state for c in found] == ["took_file"]
    with app.app_context():
        actions = list(db.session().scalars(select(AuditEntry.action).where(AuditEntry.entity_id == POLICY)))
    assert actions.count("conflict_take_file") == 1 and "conflict_keep_db" not in actions
