"""Fixtures: a migrated database per test, factories, and one app loaded with the real content."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from alembic import command

from portal import create_app, db
from portal.cli import alembic_config
from portal.config import ROOT
from portal.content.loader import load_content
from portal.policies.models import Category, Policy
from portal.regions.models import Region
from portal.search.indexer import rebuild

CONTENT = ROOT / "content"


def make_app(tmp: Path, **config):
    """An app with its own SQLite file and search folder under `tmp`, schema migrated."""
    os.environ.setdefault("INSTANCE_PATH", str(tmp / "instance"))
    url = f"sqlite:///{tmp / 'portal.db'}"
    command.upgrade(alembic_config(url), "head")
    return create_app({
        "TESTING": True, "DATABASE_URL": url, "SEARCH_DIR": tmp / "search",
        "SECRET_KEY": "test", "SERVER_NAME": None, **config,
    })


@pytest.fixture
def app(tmp_path):
    """A fresh, empty, migrated database for one test."""
    application = make_app(tmp_path)
    with application.app_context():
        yield application


@pytest.fixture
def session(app):
    return db.session()


@pytest.fixture
def make_region(session):
    """Return a callable creating a region (and its parents when named)."""
    def _make(id_: str = "cn", parent: str | None = None, level: str = "national", **kw) -> Region:
        region = Region(id=id_, name=kw.pop("name", id_), name_en=kw.pop("name_en", id_.title()),
                        level=level, parent_id=parent, **kw)
        session.add(region)
        session.flush()
        return region
    return _make


@pytest.fixture
def make_category(session):
    def _make(id_: str = "talent", name: str = "人才", name_en: str = "Talent") -> Category:
        category = Category(id=id_, name=name, name_en=name_en)
        session.add(category)
        session.flush()
        return category
    return _make


@pytest.fixture
def make_policy(session, make_region):
    """Return a callable creating a policy with sensible defaults; override any field."""
    def _make(id_: str = "test-policy", **kw) -> Policy:
        if session.get(Region, kw.get("region_id", "cn")) is None:
            make_region(kw.get("region_id", "cn"))
        fields = {
            "title": "测试政策", "issuer": "测试机关", "level": "national", "region_id": "cn",
            "status": "in_force", "summary": "摘要", "body": "正文", "source_kind": "seed",
            "source_ref": "S0 L1", "issued_on": dt.date(2017, 9, 7), "date_precision": "day",
        }
        fields.update(kw)
        policy = Policy(id=id_, **fields)
        session.add(policy)
        session.flush()
        return policy
    return _make


@pytest.fixture(scope="session")
def content_app(tmp_path_factory):
    """One app with all of content/ loaded and indexed, shared by read-only tests."""
    tmp = tmp_path_factory.mktemp("content")
    application = make_app(tmp)
    with application.app_context():
        session = db.session()
        load_content(session, CONTENT)
        session.commit()
        rebuild(session, application.extensions["search"])
    return application


@pytest.fixture
def client(content_app):
    return content_app.test_client()


@pytest.fixture
def staff_app(tmp_path):
    """An app with all of content/ loaded and indexed, and an editor and two reviewers."""
    from tests.staffing import make_user

    app = make_app(tmp_path, WTF_CSRF_ENABLED=False, UPLOAD_DIR=tmp_path / "uploads",
                   MAIL_OUTBOX=tmp_path / "outbox", MAX_UPLOAD_BYTES=200_000)
    with app.app_context():
        session = db.session()
        load_content(session, CONTENT)
        session.commit()
        rebuild(session, app.extensions["search"])
    make_user(app, "editor@example.gov.cn", "editor")
    make_user(app, "reviewer@example.gov.cn", "reviewer")
    make_user(app, "reviewer2@example.gov.cn", "reviewer")
    return app
