"""Sessions end on the server: sign-out and password reset end every session, a copied cookie too."""

from __future__ import annotations

import email
import email.policy
import re

from itsdangerous import URLSafeTimedSerializer

from portal import create_app, db
from portal.accounts import services
from portal.accounts.models import User
from tests.conftest import make_app
from tests.staffing import client_for, make_user

EDITOR = "ed@example.gov.cn"


def _app(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False, MAIL_OUTBOX=tmp_path / "outbox")
    make_user(app, EDITOR, "editor")
    return app


def _copy(app, signed_in):
    thief = app.test_client()
    thief.set_cookie("session", signed_in.get_cookie("session").value)
    return thief


def test_a_copied_cookie_stops_working_after_sign_out(tmp_path):
    app = _app(tmp_path)
    owner = client_for(app, EDITOR)
    thief = _copy(app, owner)
    assert thief.get("/staff/").status_code == 200
    owner.post("/logout")
    assert owner.get("/staff/").status_code == 302
    response = thief.get("/staff/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_password_reset_ends_other_sessions_and_its_link_works_once(tmp_path):
    app = _app(tmp_path)
    other_browser = client_for(app, EDITOR)
    client = app.test_client()
    client.post("/password/forgot", data={"email": EDITOR})
    message = email.message_from_bytes(
        next((tmp_path / "outbox").glob("*.eml")).read_bytes(), policy=email.policy.default
    )
    link = re.search(r"(/password/reset/\S+)", message.get_content()).group(1)
    token = link.rsplit("/", 1)[1]
    payload = URLSafeTimedSerializer("test", salt="password-reset").loads(token)
    with app.app_context():
        stored = db.session().query(User).filter_by(email=EDITOR).one().password_hash
    assert set(payload) == {"id", "g"}
    assert not any(stored[i : i + 8] in token for i in range(len(stored) - 8))
    new = "another long pass phrase 2026"
    assert client.post(link, data={"password": new, "confirm": new}).status_code == 302
    assert client.post(link, data={"password": new, "confirm": new}).status_code == 400
    assert other_browser.get("/staff/").status_code == 302


def test_signed_in_pages_are_not_stored_by_caches(tmp_path):
    app = _app(tmp_path)
    staff = client_for(app, EDITOR)
    assert staff.get("/staff/").headers["Cache-Control"] == "private, no-store"
    assert staff.get("/eligibility").headers.get("Cache-Control") == "private, no-store"
    anonymous = app.test_client().get("/eligibility")
    assert anonymous.status_code == 200 and anonymous.headers["Cache-Control"].startswith("public")


def test_cookies_are_secure_by_default_outside_development(tmp_path, monkeypatch):
    monkeypatch.delenv("SECURE_COOKIES", raising=False)
    monkeypatch.setenv("SEARCH_BACKEND", "whoosh")  # the SQLite file below holds no search tables
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'x.db'}"
    production = create_app({"DATABASE_URL": url})
    assert production.config["SESSION_COOKIE_SECURE"] and production.config["REMEMBER_COOKIE_SECURE"]
    assert not create_app({"DATABASE_URL": url, "TESTING": True}).config["SESSION_COOKIE_SECURE"]
    monkeypatch.setenv("SECURE_COOKIES", "0")
    assert not create_app({"DATABASE_URL": url}).config["SESSION_COOKIE_SECURE"]


def test_reset_token_for_an_old_generation_is_refused(tmp_path):
    app = _app(tmp_path)
    with app.app_context():
        session = db.session()
        user = session.query(User).filter_by(email=EDITOR).one()
        token = services.reset_token("test", user)
        user.session_generation += 1
        try:
            services.user_for_reset_token(session, "test", token)
        except services.AccountError as exc:
            assert exc.code == "used"
        else:
            raise AssertionError("an old token was accepted")
