"""Sign-in: passwords, the staff second factor, throttling, resets, and the CLI."""

from __future__ import annotations

import email
import email.policy
import re

import pytest
from sqlalchemy import func, select

from portal import db
from portal.accounts import services, totp
from portal.accounts.models import LoginAttempt, User
from tests.conftest import make_app
from tests.staffing import PASSWORD, current_code, make_user, sign_in


@pytest.fixture
def app_(tmp_path):
    return make_app(tmp_path, WTF_CSRF_ENABLED=False, MAIL_OUTBOX=tmp_path / "outbox")


def test_cli_creates_the_first_admin_with_a_hashed_password(app_):
    result = app_.test_cli_runner().invoke(
        args=["users", "create", "Admin@Example.gov.cn", "--role", "admin"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    with app_.app_context():
        user = db.session().scalar(select(User))
    assert user.email == "admin@example.gov.cn"
    # Hashed with the configured method (the suite's cheap one; scrypt unless configured).
    assert user.password_hash.startswith(app_.config["PASSWORD_HASH_METHOD"] + "$")
    assert PASSWORD not in user.password_hash


def test_passwords_are_hashed_with_scrypt_unless_configured(tmp_path, monkeypatch):
    from portal.config import load_config

    monkeypatch.delenv("PASSWORD_HASH_METHOD", raising=False)
    assert load_config(tmp_path)["PASSWORD_HASH_METHOD"] == "scrypt"


def test_cli_refuses_a_short_password(app_):
    result = app_.test_cli_runner().invoke(
        args=["users", "create", "a@b.cn", "--role", "editor"], input="short\nshort\n"
    )
    assert result.exit_code != 0
    assert "password" in result.output


def test_staff_enrol_a_second_factor_at_first_sign_in(app_):
    with app_.app_context():
        session = db.session()
        services.create_user(session, "new@example.gov.cn", PASSWORD, "editor")
        session.commit()
    client = app_.test_client()
    response = client.post("/login", data={"email": "new@example.gov.cn", "password": PASSWORD})
    assert response.headers["Location"].endswith("/login/setup")
    page = client.get("/login/setup").get_data(as_text=True)
    secret = re.search(r'class="secret" lang="en">([A-Z2-7]+)<', page).group(1)
    assert client.get("/staff/").status_code == 302  # not signed in yet
    assert client.post("/login/setup", data={"code": "000000"}).status_code == 400
    done = client.post("/login/setup", data={"code": current_code(secret)})
    codes = re.findall(r"<code>([0-9a-f]{8}-[0-9a-f]{8})</code>", done.get_data(as_text=True))
    assert len(codes) == 10
    assert client.get("/staff/").status_code == 200
    with app_.app_context():
        user = db.session().scalar(select(User))
        assert user.totp_confirmed and len(user.recovery_codes) == 10
        assert codes[0] not in str(user.recovery_codes)  # only hashes are kept


def test_a_code_cannot_be_used_twice_and_recovery_codes_work_once(app_):
    make_user(app_, "ed@example.gov.cn", "editor")
    with app_.app_context():
        user = db.session().scalar(select(User))
        secret = user.totp_secret
        codes = services.new_recovery_codes(user)
        db.session().commit()
    client = app_.test_client()
    client.post("/login", data={"email": "ed@example.gov.cn", "password": PASSWORD})
    code = current_code(secret)
    assert client.post("/login/verify", data={"code": code}).status_code == 302
    other = app_.test_client()
    other.post("/login", data={"email": "ed@example.gov.cn", "password": PASSWORD})
    assert other.post("/login/verify", data={"code": code}).status_code == 401
    assert other.post("/login/verify", data={"code": codes[0]}).status_code == 302
    third = app_.test_client()
    third.post("/login", data={"email": "ed@example.gov.cn", "password": PASSWORD})
    assert third.post("/login/verify", data={"code": codes[0]}).status_code == 401


def test_totp_matches_the_rfc_6238_test_vector():
    # RFC 6238 appendix B, SHA-1 secret "12345678901234567890", T = 59 s → 94287082 (8 digits);
    # our 6-digit code is its last six digits.
    import base64

    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp.code_at(secret, 59 // 30) == "287082"


def test_sign_in_is_throttled_across_requests_and_kept_in_the_database(app_):
    make_user(app_, "ed@example.gov.cn", "editor")
    client = app_.test_client()
    for _ in range(services.MAX_FAILURES):
        assert (
            client.post(
                "/login", data={"email": "ed@example.gov.cn", "password": "wrong password!"}
            ).status_code
            == 401
        )
    # Even the right password waits now; a second client (another worker) sees the same count.
    other = app_.test_client()
    response = other.post("/login", data={"email": "ed@example.gov.cn", "password": PASSWORD})
    assert response.status_code == 429
    with app_.app_context():
        failures = db.session().scalar(
            select(func.count()).select_from(LoginAttempt).where(LoginAttempt.success.is_(False))
        )
    assert failures == services.MAX_FAILURES


def test_wrong_password_message_does_not_reveal_accounts(app_):
    make_user(app_, "ed@example.gov.cn", "editor")
    client = app_.test_client()
    known = client.post("/login?lang=en", data={"email": "ed@example.gov.cn", "password": "nope nope"})
    unknown = client.post("/login?lang=en", data={"email": "x@example.gov.cn", "password": "nope nope"})
    assert "The email address or password is not right." in known.get_data(as_text=True)
    assert "The email address or password is not right." in unknown.get_data(as_text=True)


def test_password_reset_by_emailed_link_works_once(app_, tmp_path):
    make_user(app_, "ed@example.gov.cn", "editor")
    client = app_.test_client()
    client.post("/password/forgot", data={"email": "ed@example.gov.cn"})
    mails = list((tmp_path / "outbox").glob("*.eml"))
    assert len(mails) == 1
    message = email.message_from_bytes(mails[0].read_bytes(), policy=email.policy.default)
    link = re.search(r"(/password/reset/\S+)", message.get_content()).group(1)
    new = "a brand new long password"
    assert client.post(link, data={"password": new, "confirm": "different"}).status_code == 400
    assert client.post(link, data={"password": new, "confirm": new}).status_code == 302
    assert client.post(link, data={"password": new, "confirm": new}).status_code == 400
    response = client.post("/login", data={"email": "ed@example.gov.cn", "password": new})
    assert response.status_code == 302


def test_forgot_password_for_an_unknown_address_sends_nothing(app_, tmp_path):
    response = app_.test_client().post("/password/forgot", data={"email": "nobody@example.gov.cn"})
    assert response.status_code == 302
    assert not list((tmp_path / "outbox").glob("*.eml"))


def test_sign_in_refuses_links_to_other_sites(app_):
    make_user(app_, "op@example.gov.cn", "operator")
    client = app_.test_client()
    response = client.post(
        "/login?next=https://evil.example/", data={"email": "op@example.gov.cn", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/operator/"  # the operator's home, not the other site


def test_disabled_account_cannot_sign_in(app_):
    make_user(app_, "ed@example.gov.cn", "editor")
    with app_.app_context():
        db.session().scalar(select(User)).active = False
        db.session().commit()
    client = app_.test_client()
    assert client.post("/login", data={"email": "ed@example.gov.cn", "password": PASSWORD}).status_code == 401


def test_sign_out(app_):
    make_user(app_, "ed@example.gov.cn", "editor")
    client = app_.test_client()
    sign_in(client, app_, "ed@example.gov.cn")
    assert client.get("/staff/").status_code == 200
    client.post("/logout")
    assert client.get("/staff/").status_code == 302
