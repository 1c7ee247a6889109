"""Fixtures: a real database per test, copied from databases built once per session.

Migrating, loading all of content/ and indexing it takes seconds; copying the result takes
milliseconds. So the session builds two templates (an empty migrated database, and one with the
content loaded, indexed and three staff accounts) and every test gets its own copy of one of them.
With TEST_DATABASE_URL set the same happens on PostgreSQL (tests/postgres.py): template databases,
and a database per test copied from one and dropped when the test ends.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import pickle
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from alembic import command
from flask.testing import FlaskClient

from portal import create_app, db
from portal.cli import alembic_config
from portal.config import ROOT
from portal.content.loader import load_content
from portal.core import content_files
from portal.policies.models import Category, Policy
from portal.regions.models import Region
from portal.search.indexer import rebuild
from tests import postgres
from tests.pages import check_page

CONTENT = ROOT / "content"
_WORK = Path(tempfile.mkdtemp(prefix="portal-tests-"))
# Tests hash passwords cheaply; production keeps the costly default (PASSWORD_HASH_METHOD).
# Cached pages are renewed only when the day changes (not every CACHE_RENEW_SECONDS), so that a
# test comparing two requests never straddles a renewal; tests/test_caching.py sets it where needed.
TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test",
    "SERVER_NAME": None,
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    "CACHE_RENEW_SECONDS": 0,
    # Test databases are thrown away: a commit need not wait for the disk (about 15 ms each).
    "SQLITE_SYNCHRONOUS": "OFF",
}
STAFF = (
    ("editor@example.gov.cn", "editor"),
    ("reviewer@example.gov.cn", "reviewer"),
    ("reviewer2@example.gov.cn", "reviewer"),
)


def _parse_each_text_once() -> None:
    """Tests load the same content/ files dozens of times per process: each distinct YAML text is
    parsed once, and every caller gets a copy of its own (the loader changes what it reads).
    Texts that fail to parse are not kept, so each bad file still raises where it is read."""
    parse = content_files.parse_yaml
    parsed: dict[str, bytes] = {}

    def parse_once(text: str):
        kept = parsed.get(text)
        if kept is None:
            kept = parsed[text] = pickle.dumps(parse(text))
        return pickle.loads(kept)  # noqa: S301 - pickled by this process a moment ago

    content_files.parse_yaml = parse_once


def _compile_each_url_rule_once() -> None:
    """Werkzeug compiles two Python functions per URL rule for each new app (most of the time it
    takes to make one), and tests make hundreds of apps with the same rules: each process compiles
    each distinct rule once. A compiled builder reads everything else from the rule it is bound to."""
    from werkzeug.routing.rules import Rule

    compile_builder = getattr(Rule, "_compile_builder", None)
    if compile_builder is None:  # another Werkzeug: tests only take longer
        return
    compiled: dict[tuple, object] = {}

    def compile_once(rule: Rule, append_unknown: bool = True):
        key = (
            rule.rule,
            rule.host,
            rule.subdomain,
            rule.merge_slashes,
            repr(sorted((rule.defaults or {}).items())),
            tuple(rule._trace),
            append_unknown,
        )
        if key not in compiled:
            compiled[key] = compile_builder(rule, append_unknown)
        return compiled[key]

    Rule._compile_builder = compile_once


_parse_each_text_once()
_compile_each_url_rule_once()


class CheckedClient(FlaskClient):
    """A test client that holds every HTML page it receives to the structural checks."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if (
            response.mimetype == "text/html"
            and not response.is_streamed
            and not 300 <= response.status_code < 400
        ):
            html = response.get_data(as_text=True)
            if html.lstrip().lower().startswith("<!doctype html>"):
                check_page(html)
        return response


def _checkpoint(path: Path) -> None:
    """Fold the WAL into the database file so a plain file copy holds everything."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


@functools.cache
def _empty_template() -> Path:
    path = _WORK / "empty.db"
    command.upgrade(alembic_config(f"sqlite:///{path}"), "head")
    _checkpoint(path)
    return path


@functools.cache
def _pg_empty_template() -> str:
    name = postgres.template_name("empty")
    postgres.create_template(name)
    command.upgrade(alembic_config(postgres.url_of(name)), "head")
    return name


@functools.cache
def _content_template() -> Path:
    """A folder with portal.db (all content, three staff accounts) and its search index; on
    PostgreSQL the database is the template database tmpl_content_<worker> and the folder holds the index."""
    from tests.staffing import make_user

    folder = _WORK / "content"
    folder.mkdir()
    if postgres.enabled():
        postgres.create_template(postgres.template_name("content"), source=_pg_empty_template())
        app = _create(folder, DATABASE_URL=postgres.url_of(postgres.template_name("content")))
    else:
        shutil.copyfile(_empty_template(), folder / "portal.db")
        app = _create(folder)
    with app.app_context():
        session = db.session()
        load_content(session, CONTENT)
        session.commit()
        rebuild(session, app.extensions["search"])
    for email, role in STAFF:
        make_user(app, email, role)
    app.extensions["db_engine"].dispose()
    if not postgres.enabled():
        _checkpoint(folder / "portal.db")
    return folder


def _create(folder: Path, **config):
    os.environ.setdefault("INSTANCE_PATH", str(_WORK / "instance"))
    app = create_app(
        {
            **TEST_CONFIG,
            "DATABASE_URL": f"sqlite:///{folder / 'portal.db'}",
            "SEARCH_DIR": folder / "search",
            **config,
        }
    )
    app.test_client_class = CheckedClient
    return app


def make_app(tmp: Path, *, loaded: bool = False, **config):
    """An app with its own database and index under `tmp`: empty and migrated, or with `loaded`
    all of content/ indexed and the staff accounts of STAFF (password tests.staffing.PASSWORD)."""
    tmp.mkdir(parents=True, exist_ok=True)
    if loaded:
        template = _content_template()
        if (template / "search").exists():  # the Whoosh index (the PostgreSQL one is in the database)
            shutil.copytree(template / "search", tmp / "search", symlinks=True)
    if postgres.enabled():
        name = postgres.create(postgres.template_name("content") if loaded else _pg_empty_template())
        app = _create(tmp, **{"DATABASE_URL": postgres.url_of(name), **config})
        postgres.track(name, app.extensions["db_engine"])
        return app
    shutil.copyfile(template / "portal.db" if loaded else _empty_template(), tmp / "portal.db")
    return _create(tmp, **config)


def database_url(tmp: Path) -> str:
    """A URL for a new, empty database (no tables): a file under `tmp`, or a PostgreSQL database
    dropped after the test."""
    if postgres.enabled():
        name = postgres.create()
        postgres.track(name, None)
        return postgres.url_of(name)
    tmp.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{tmp / 'portal.db'}"


# Fixtures (and helpers) that give a test a database: such tests also run in the PostgreSQL pass.
_DB_FIXTURES = {
    "app",
    "session",
    "client",
    "staff_app",
    "content_app",
    "make_region",
    "make_category",
    "make_policy",
}


def pytest_collection_modifyitems(config, items):
    """Mark `db` every test that touches a database (browser tests stay on SQLite alone)."""
    for item in items:
        if item.get_closest_marker("browser"):
            continue
        module = getattr(item, "module", None)
        source = getattr(module, "__file__", "") or ""
        uses_factory = source and ("make_app" in _source(source) or "database_url" in _source(source))
        if _DB_FIXTURES & set(getattr(item, "fixturenames", ())) or uses_factory:
            item.add_marker(pytest.mark.db)


@functools.cache
def _source(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _drop_databases():
    """On PostgreSQL, drop the databases a test made once it is over."""
    if not postgres.enabled():
        yield
        return
    mark = postgres.mark()
    yield
    postgres.drop_since(mark)


def pytest_sessionfinish(session, exitstatus):
    if postgres.enabled():
        postgres.drop_all()
    shutil.rmtree(_WORK, ignore_errors=True)


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
        region = Region(
            id=id_,
            name=kw.pop("name", id_),
            name_en=kw.pop("name_en", id_.title()),
            level=level,
            parent_id=parent,
            **kw,
        )
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
            "title": "测试政策",
            "issuer": "测试机关",
            "level": "national",
            "region_id": "cn",
            "status": "in_force",
            "summary": "摘要",
            "body": "正文",
            "source_kind": "seed",
            "source_ref": "S0 L1",
            "issued_on": dt.date(2017, 9, 7),
            "date_precision": "day",
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
    return make_app(tmp_path_factory.mktemp("content"), loaded=True)


@pytest.fixture
def client(content_app):
    return content_app.test_client()


@pytest.fixture
def staff_app(tmp_path):
    """An app of its own with all of content/ loaded and indexed, an editor and two reviewers."""
    return make_app(
        tmp_path,
        loaded=True,
        WTF_CSRF_ENABLED=False,
        UPLOAD_DIR=tmp_path / "uploads",
        MAIL_OUTBOX=tmp_path / "outbox",
        MAX_UPLOAD_BYTES=200_000,
    )


@pytest.fixture(scope="session")
def browser():
    """One Chromium (Debian's, through Playwright) for every browser test of the session."""
    from playwright.sync_api import sync_playwright

    from tests.browsing import ARGS, CHROMIUM

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()
