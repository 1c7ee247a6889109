"""Fresh PostgreSQL databases for search tests, on the server TEST_DATABASE_URL names."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

SERVER = os.environ.get("TEST_DATABASE_URL", "")


def backends() -> tuple[str, ...]:
    """The search backends whose server is here: Whoosh always, PostgreSQL when one is given."""
    return ("whoosh", "postgres") if SERVER else ("whoosh",)


@contextmanager
def fresh_database() -> Iterator[str]:
    """The URL of a new, empty database, dropped afterwards."""
    name = f"search_{uuid.uuid4().hex[:12]}"
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


_LOADED: dict[str, object] = {}


def loaded(request, content_app):
    """For a session fixture parametrised by `backends()`: the loaded content app of its backend,
    the PostgreSQL one built once per session (content/ loaded and indexed by the postgres backend)."""
    if request.param == "whoosh":
        return content_app
    if "postgres" not in _LOADED:
        from alembic import command

        from portal import db
        from portal.cli import alembic_config
        from portal.config import ROOT
        from portal.content.loader import load_content
        from portal.search.indexer import rebuild
        from tests.conftest import make_app

        stack = ExitStack()
        url = stack.enter_context(fresh_database())
        command.upgrade(alembic_config(url), "head")
        tmp = request.getfixturevalue("tmp_path_factory").mktemp("pg-content")
        app = make_app(tmp, DATABASE_URL=url, SEARCH_BACKEND="postgres")
        with app.app_context():
            session = db.session()
            load_content(session, ROOT / "content")
            session.commit()
            rebuild(session, app.extensions["search"])

        def drop() -> None:
            _LOADED.pop("postgres", None)
            app.extensions["db_engine"].dispose()
            stack.close()

        request.addfinalizer(drop)
        _LOADED["postgres"] = app
    return _LOADED["postgres"]
