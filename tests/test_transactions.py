"""The transaction rule: a request's writes are kept only when its response succeeds."""

from __future__ import annotations

import pytest
from flask import abort, redirect
from sqlalchemy import select

from portal import db
from portal.core.params import BadParameter
from portal.policies.models import Category
from tests.conftest import make_app
from tests.pages import check_page
from tests.postgres import refuse_writes


def _write(name: str) -> None:
    db.session().add(Category(id=name, name=name, name_en=name))
    db.session().flush()


def _failing_routes(app):
    """Routes that write a category, then answer in one of the ways a view can."""

    def ok():
        _write("ok")
        return "stored"

    def moved():
        _write("moved")
        return redirect("/")

    def forbidden():
        _write("forbidden")
        abort(403)

    def bad_parameter():
        _write("bad-parameter")
        raise BadParameter("q", "not like that")

    def handled_error():
        _write("handled-error")
        return "the view said no", 500

    def conflict():
        _write("conflict")
        return "stale form", 409

    def crash():
        _write("crash")
        raise RuntimeError("a bug")

    for view in (ok, moved, forbidden, bad_parameter, handled_error, conflict, crash):
        app.add_url_rule(f"/_t/{view.__name__}", view.__name__, view, methods=["GET", "POST"])


@pytest.fixture
def rule_app(tmp_path):
    app = make_app(tmp_path, loaded=True, WTF_CSRF_ENABLED=False)
    _failing_routes(app)
    return app


def _stored(app) -> set[str]:
    with app.app_context():
        return set(db.session().scalars(select(Category.id)))


@pytest.mark.parametrize(
    ("route", "status", "kept"),
    [
        ("ok", 200, True),
        ("moved", 302, True),
        ("forbidden", 403, False),
        ("bad_parameter", 400, False),
        ("handled_error", 500, False),
        ("conflict", 409, False),
        ("crash", 500, False),
    ],
)
def test_writes_are_kept_only_when_the_response_succeeds(rule_app, route, status, kept):
    before = _stored(rule_app)
    response = rule_app.test_client().post(f"/_t/{route}")
    assert response.status_code == status
    expected = {route.replace("_", "-")} if kept else set()
    assert _stored(rule_app) - before == expected


def test_a_database_that_refuses_writes_gets_the_portals_503_page(rule_app):
    refuse_writes(rule_app.extensions["db_engine"])  # as a read-only or full disk would refuse

    client = rule_app.test_client()
    response = client.post("/_t/ok")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    doc = check_page(response.get_data(as_text=True))
    assert "not saved" in doc.find("main").text or "没有保存" in doc.find("main").text
    health = client.get("/healthz")
    assert health.status_code == 503
    assert "database_not_writable" in health.get_json()["problems"]
    assert client.get("/policies").status_code == 200  # reading still works


def test_healthz_says_when_the_index_falls_behind(staff_app):
    import datetime as dt

    from portal.core.clock import utcnow
    from portal.core.outbox import SearchOutbox

    client = staff_app.test_client()
    assert client.get("/healthz").get_json() == {"status": "ok"}
    with staff_app.app_context():
        db.session().add(
            SearchOutbox(entity_type="policy", entity_id="x", created_at=utcnow() - dt.timedelta(minutes=10))
        )
        db.session().commit()
    body = client.get("/healthz").get_json()
    assert body["problems"] == ["search_index_behind"]


def test_a_refused_workflow_action_stores_nothing_even_though_it_redirects(rule_app):
    from portal.core.actions import decide
    from portal.core.states import WorkflowError

    def refused():
        def act():
            _write("refused")
            raise WorkflowError("own_change")

        return decide(act, back="/", done="done")

    def raced():
        return decide(lambda: _write("raced"), back="/", done="done", version=2)

    rule_app.add_url_rule("/_t/refused", "refused", refused, methods=["POST"])
    rule_app.add_url_rule("/_t/raced", "raced", raced, methods=["POST"])
    client = rule_app.test_client()
    before = _stored(rule_app)
    assert client.post("/_t/refused").status_code == 303
    assert client.post("/_t/raced", data={"version": "1"}).status_code == 303
    assert _stored(rule_app) == before
    with client.session_transaction() as flask_session:
        flashes = [text for _category, text in flask_session.get("_flashes", [])]
    assert any("another reviewer" in text or "另一位" in text for text in flashes), flashes
    assert client.post("/_t/raced", data={"version": "2"}).status_code == 303
    assert _stored(rule_app) - before == {"raced"}


def test_loading_content_leaves_no_change_waiting_for_the_index(tmp_path):
    from sqlalchemy import func

    from portal.core.outbox import SearchOutbox

    app = make_app(tmp_path)
    result = app.test_cli_runner().invoke(args=["content", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        waiting = db.session().scalar(
            select(func.count()).select_from(SearchOutbox).where(SearchOutbox.done_at.is_(None))
        )
    assert waiting == 0
    assert app.test_client().get("/healthz").get_json() == {"status": "ok"}
