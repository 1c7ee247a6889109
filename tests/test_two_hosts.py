"""Two portal hosts (two gunicorn processes on two ports) against one PostgreSQL database: what one
does, the other sees; a sign-in throttle counts across both."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.config import ROOT
from portal.publishing.models import PolicyRevision
from tests.conftest import make_app
from tests.postgres import requires_postgres
from tests.staffing import PASSWORD, current_code

EDITOR, REVIEWER = "editor@example.gov.cn", "reviewer@example.gov.cn"
NEW_POLICY = {
    "id": "two-hosts-rent-subsidy",
    "title": "城关区双主机房租补贴试行办法",
    "title_en": "Chengguan two-host rent subsidy trial measures",
    "level": "district",
    "region_id": "gansu-lanzhou-chengguan",
    "date_precision": "day",
    "issued_on": "2026-11-01",
    "status": "in_force",
    "categories": ["space_carrier"],
    "summary": "入驻众创空间的初创企业可申请房租补贴。",
    "body": "## 第一条\n\n补贴对象为初创企业。",
    "source_kind": "public",
    "source_ref": "测试",
    "cites": "chengguan-base-work-plan",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Host:
    """One portal process serving `database_url` on its own port, with its own instance folder."""

    def __init__(self, folder: Path, database_url: str, search_backend: str, index: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        folder.mkdir(parents=True, exist_ok=True)
        if index.exists():  # Whoosh: each host's own files (PostgreSQL keeps its index in the database)
            shutil.copytree(index, folder / "search", symlinks=True)
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SEARCH_BACKEND": search_backend,
            "SECRET_KEY": "shared-by-every-host",
            "SECURE_COOKIES": "0",
            "PUBLIC_BASE_URL": self.base,
            "TRUSTED_HOSTS": "*",
            "INSTANCE_PATH": str(folder),
            "SEARCH_DIR": str(folder / "search"),
            "SEARCH_INDEXER": "worker",
            "PUBLISHING_SCHEDULER": "cron",
            "UPLOAD_DIR": str(folder.parent),
        }
        self.log = open(folder / "server.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--preload",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"host on {self.port} exited: {Path(self.log.name).read_text()[-3000:]}")
            try:
                requests.get(f"{self.base}/healthz", timeout=5)
                return  # answering (a 503 would name what is missing; the test then says more)
            except requests.RequestException:  # not listening yet, or still loading the portal
                pass
            time.sleep(0.3)
        raise AssertionError(f"host on {self.port} not ready: {Path(self.log.name).read_text()[-3000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture
def two_hosts(tmp_path, request):
    """Start two hosts on a copy of the loaded database; the search backend comes from the test's
    `backend` parameter (indirect)."""
    app = make_app(tmp_path / "db", loaded=True)
    url = app.config["DATABASE_URL"]
    hosts = [Host(tmp_path / f"host{n}", url, request.param, tmp_path / "db" / "search") for n in (1, 2)]
    try:
        for host in hosts:
            host.wait_ready()
        yield hosts, url
    finally:
        for host in hosts:
            host.stop()


def _csrf(browser: requests.Session, url: str) -> str:
    page = browser.get(url, timeout=10)
    assert page.status_code == 200, (url, page.status_code)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)


def _log_in(browser: requests.Session, host: Host, email: str, password: str = PASSWORD):
    token = _csrf(browser, f"{host.base}/login")
    return browser.post(
        f"{host.base}/login",
        allow_redirects=False,
        timeout=10,
        data={"email": email, "password": password, "csrf_token": token},
    )


def _staff(host: Host, url: str, email: str) -> requests.Session:
    """A browser signed in as `email` (password, then the authenticator code) on `host`."""
    browser = requests.Session()
    assert _log_in(browser, host, email).status_code == 302
    engine = create_engine(url)
    with Session(engine) as db:
        user = db.scalars(select(User).where(User.email == email)).one()
        secret, last = user.totp_secret, user.totp_last_step
    engine.dispose()
    offset = 0 if int(time.time() // 30) > last else 1
    token = _csrf(browser, f"{host.base}/login/verify")
    response = browser.post(
        f"{host.base}/login/verify",
        allow_redirects=False,
        timeout=10,
        data={"code": current_code(secret, offset), "csrf_token": token},
    )
    assert response.status_code == 302, response.text[:500]
    return browser


def _revision(url: str) -> PolicyRevision:
    engine = create_engine(url)
    with Session(engine) as db:
        revision = db.scalars(
            select(PolicyRevision)
            .where(PolicyRevision.policy_id == NEW_POLICY["id"])
            .order_by(PolicyRevision.number.desc())
        ).first()
    engine.dispose()
    return revision


def _act(browser: requests.Session, host: Host, revision: PolicyRevision, action: str) -> None:
    page = f"{host.base}/staff/revisions/{revision.id}"
    response = browser.post(
        f"{page}/{action}",
        allow_redirects=False,
        timeout=10,
        data={"version": revision.version, "csrf_token": _csrf(browser, page)},
    )
    assert response.status_code in (302, 303), response.text[:500]


@requires_postgres
@pytest.mark.parametrize("two_hosts", ["postgres"], indirect=True)
def test_a_policy_published_on_one_host_is_found_on_the_other(two_hosts):
    (first, second), url = two_hosts
    editor, reviewer = _staff(first, url, EDITOR), _staff(first, url, REVIEWER)
    token = _csrf(editor, f"{first.base}/staff/policies/new")
    response = editor.post(
        f"{first.base}/staff/policies/new",
        data={**NEW_POLICY, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:500]
    _act(editor, first, _revision(url), "submit")
    _act(reviewer, first, _revision(url), "approve")
    assert _revision(url).state == "published"
    published = time.monotonic()

    found = []
    while time.monotonic() - published < 2 and NEW_POLICY["id"] not in found:
        answer = requests.get(f"{second.base}/api/v1/search", params={"q": "双主机房租补贴"}, timeout=5)
        found = [r["id"] for r in answer.json()["results"]]
    assert NEW_POLICY["id"] in found, "not found on the second host within 2 seconds"
    assert requests.get(f"{second.base}/policies/{NEW_POLICY['id']}", timeout=5).status_code == 200


@requires_postgres
@pytest.mark.parametrize("two_hosts", ["whoosh"], indirect=True)
def test_a_sign_in_throttle_counts_across_hosts(two_hosts):
    (first, second), _url = two_hosts
    browser = requests.Session()
    # Five wrong passwords, spread over both hosts, use up the account's free attempts ...
    for host in (first, second, first, second, first):
        assert _log_in(browser, host, EDITOR, "wrong password, wrong").status_code == 401
    # ... so either host now makes the account wait, even for the right password.
    assert _log_in(requests.Session(), second, EDITOR).status_code == 429
    assert _log_in(requests.Session(), first, EDITOR).status_code == 429
