"""Absolute links come from PUBLIC_BASE_URL, never from the Host header; unknown hosts are refused."""

from __future__ import annotations

import pytest

from portal import create_app
from portal.core.urls import MissingBaseUrl, require_base_url
from tests.operating import links_in, mails, make_operator, operator_app
from tests.staffing import PASSWORD, make_user

BASE = "https://sc.example.gov.cn"
EVIL = {"Host": "evil.example"}


def _signup(client, email):
    return client.post(
        "/operator/signup",
        headers=EVIL,
        data={
            "organisation": "兰州城关创客科技有限公司",
            "contact_name": "李四",
            "phone": "0931-7654321",
            "email": email,
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )


def test_emailed_links_use_the_public_base_url_whatever_the_host(tmp_path):
    app = operator_app(tmp_path, PUBLIC_BASE_URL=BASE, TRUSTED_HOSTS=None)
    make_user(app, "ed@example.gov.cn", "editor")
    make_operator(app, "old@maker.example.cn")
    client = app.test_client()
    client.post("/password/forgot", headers=EVIL, data={"email": "ed@example.gov.cn"})
    assert _signup(client, "li@maker.example.cn").status_code == 303  # confirmation email
    _signup(client, "old@maker.example.cn")  # "you already have an account"
    links = [link for m in mails(app) for link in links_in(m)]
    assert any("/password/reset/" in link for link in links)
    assert any("/operator/verify/" in link for link in links)
    assert any("/password/forgot" in link for link in links)
    assert links and all(link.startswith(BASE + "/") for link in links), links
    feed = client.get("/feeds/policies.atom", headers=EVIL).get_data(as_text=True)
    assert "evil.example" not in feed


def test_unknown_hosts_are_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", BASE)
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    app = operator_app(tmp_path)
    client = app.test_client()
    assert client.get("/policies", headers=EVIL).status_code == 400
    assert client.post("/password/forgot", headers=EVIL, data={"email": "x@example.cn"}).status_code == 400
    assert client.get("/policies", headers={"Host": "sc.example.gov.cn"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "127.0.0.1:5000"}).status_code in (200, 503)
    monkeypatch.setenv("TRUSTED_HOSTS", "portal.internal, sc.example.gov.cn")
    assert create_app({"TESTING": True})
    assert create_app().config["TRUSTED_HOSTS"] == ["portal.internal", "sc.example.gov.cn"]


def test_serving_without_a_public_base_url_is_refused_outside_development(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    with pytest.raises(MissingBaseUrl):
        require_base_url(create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}))
    require_base_url(create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "TESTING": True}))
    result = (
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
        .test_cli_runner()
        .invoke(args=["reminders", "send"])
    )
    assert result.exit_code != 0 and "PUBLIC_BASE_URL" in result.output
