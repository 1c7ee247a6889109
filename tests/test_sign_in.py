"""Sign-in and sign-up: no enumeration by timing, common passwords refused, proxies counted, backoff."""

from __future__ import annotations

import datetime as dt
import re
import statistics
import time

from sqlalchemy import update

from portal import db
from portal.accounts import services
from portal.accounts.models import LoginAttempt
from portal.accounts.passwords import common_passwords, is_common
from tests.conftest import make_app
from tests.operating import links_in, mails
from tests.staffing import PASSWORD, make_user

ADMIN = "admin@example.gov.cn"


def _app(tmp_path, **config):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False, MAIL_OUTBOX=tmp_path / "outbox", **config)
    make_user(app, ADMIN, "admin")
    return app


def _signup(client, address, password=PASSWORD):
    return client.post(
        "/operator/signup",
        data={
            "organisation": "兰州城关创客科技有限公司",
            "contact_name": "李四",
            "phone": "0931-7654321",
            "email": address,
            "password": password,
            "confirm": password,
        },
    )


def test_sign_up_does_the_same_work_for_existing_and_new_addresses(tmp_path, monkeypatch):
    app = _app(tmp_path)
    client = app.test_client()
    calls = []
    real = services.hash_password
    monkeypatch.setattr(services, "hash_password", lambda p: calls.append(p) or real(p))
    assert _signup(client, ADMIN).status_code == 303
    assert _signup(client, "new@maker.example.cn").status_code == 303
    assert len(calls) == 2  # the existing address paid for a hash too

    def timed(address):
        start = time.perf_counter()
        _signup(client, address)
        return time.perf_counter() - start

    existing = statistics.median(timed(ADMIN) for _ in range(3))
    new = statistics.median(timed(f"n{i}@maker.example.cn") for i in range(3))
    assert existing > new * 0.4, (existing, new)


def test_common_passwords_are_refused(tmp_path):
    assert len(common_passwords()) > 5000 and is_common("Qwerty123456") and not is_common(PASSWORD)
    app = _app(tmp_path)
    client = app.test_client()
    response = client.post(
        "/operator/signup?lang=en",
        data={
            "organisation": "兰州城关创客科技有限公司",
            "contact_name": "李四",
            "phone": "0931-7654321",
            "email": "li@maker.example.cn",
            "password": "qwerty123456",
            "confirm": "qwerty123456",
        },
    )
    assert response.status_code == 400 and "most common passwords" in response.get_data(as_text=True)
    result = app.test_cli_runner().invoke(
        args=["users", "create", "x@example.gov.cn", "--role", "editor", "--password", "1q2w3e4r5t6y"]
    )
    assert result.exit_code != 0 and "common" in result.output


def test_forwarded_addresses_count_only_through_the_configured_proxies(tmp_path):
    app = _app(tmp_path, PROXY_COUNT=1)
    client = app.test_client()
    for i in range(services.MAX_FAILURES_PER_ADDRESS):
        client.post(
            "/login",
            data={"email": f"x{i}@example.cn", "password": "wrong password!"},
            headers={"X-Forwarded-For": "203.0.113.7"},
        )
    blocked = client.post(
        "/login", data={"email": ADMIN, "password": PASSWORD}, headers={"X-Forwarded-For": "203.0.113.7"}
    )
    assert blocked.status_code == 429
    # Someone else behind the same proxy is not locked out.
    assert (
        client.post(
            "/login", data={"email": ADMIN, "password": PASSWORD}, headers={"X-Forwarded-For": "198.51.100.2"}
        ).status_code
        == 302
    )

    (tmp_path / "direct").mkdir()
    direct = _app(tmp_path / "direct")  # no proxy: the header is the client's own claim, ignored
    client = direct.test_client()
    for i in range(services.MAX_FAILURES_PER_ADDRESS):
        client.post(
            "/login",
            data={"email": f"x{i}@example.cn", "password": "wrong password!"},
            headers={"X-Forwarded-For": f"192.0.2.{i}"},
        )
    assert (
        client.post(
            "/login", data={"email": ADMIN, "password": PASSWORD}, headers={"X-Forwarded-For": "192.0.2.200"}
        ).status_code
        == 429
    )


def test_wrong_passwords_slow_the_account_down_and_the_owner_gets_an_unlock_link(tmp_path):
    app = _app(tmp_path)
    attacker = app.test_client()
    for _ in range(services.FREE_FAILURES):
        attacker.post("/login", data={"email": ADMIN, "password": "wrong password!"})
    owner = app.test_client()
    response = owner.post("/login?lang=en", data={"email": ADMIN, "password": PASSWORD})
    assert response.status_code == 429 and "Wait" in response.get_data(as_text=True)
    seconds = int(re.search(r"Wait (\d+) seconds", response.get_data(as_text=True)).group(1))
    assert 1 <= seconds <= services.BACKOFF_START + 1  # not 15 minutes
    # After the wait, the right password works (the attacker was slowed, not the owner shut out).
    with app.app_context():
        db.session().execute(update(LoginAttempt).values(at=LoginAttempt.at - dt.timedelta(seconds=seconds)))
        db.session().commit()
    assert owner.post("/login", data={"email": ADMIN, "password": PASSWORD}).status_code == 302

    for _ in range(services.FREE_FAILURES + 2):
        attacker.post("/login", data={"email": ADMIN, "password": "wrong password!"})
    unlock = [link for m in mails(app) for link in links_in(m) if "/login/unlock/" in link]
    assert len(unlock) == 2  # one when the first run of failures began to slow, one for the second
    fresh = app.test_client()
    assert fresh.post("/login", data={"email": ADMIN, "password": PASSWORD}).status_code == 429
    fresh.get(unlock[-1].split("localhost", 1)[1])
    assert fresh.post("/login", data={"email": ADMIN, "password": PASSWORD}).status_code == 302


def test_unknown_addresses_slow_down_the_same_way(tmp_path):
    app = _app(tmp_path)
    client = app.test_client()
    codes = [
        client.post("/login", data={"email": "nobody@example.cn", "password": "wrong password!"}).status_code
        for _ in range(services.FREE_FAILURES + 1)
    ]
    assert codes == [401] * services.FREE_FAILURES + [429]
    assert not mails(app)
