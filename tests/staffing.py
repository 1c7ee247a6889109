"""Helpers for back-office tests: accounts with a second factor and signing in through the forms."""

from __future__ import annotations

import time

from portal import db
from portal.accounts import services, totp
from portal.accounts.models import User

PASSWORD = "correct horse battery staple"


def make_user(app, email: str, role: str) -> User:
    with app.app_context():
        session = db.session()
        user = services.create_user(session, email, PASSWORD, role)
        if user.is_staff:
            user.totp_secret = totp.new_secret()
            user.totp_confirmed = True
        session.commit()
        return user


def current_code(secret: str, offset: int = 0) -> str:
    return totp.code_at(secret, int(time.time() // totp.STEP) + offset)


def sign_in(client, app, email: str) -> None:
    """Password then TOTP, as a person would."""
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    with app.app_context():
        user = db.session().query(User).filter_by(email=email).one()
        secret, last = user.totp_secret, user.totp_last_step
    if secret:
        # A code from a step not used before by this account.
        offset = 0 if int(time.time() // totp.STEP) > last else 1
        response = client.post("/login/verify", data={"code": current_code(secret, offset)})
        assert response.status_code == 302, response.get_data(as_text=True)[:800]


def client_for(app, email: str):
    """A test client signed in as `email`."""
    client = app.test_client()
    sign_in(client, app, email)
    return client
