"""PostgreSQL for the tests: when TEST_DATABASE_URL is set, every test database is a PG database.

The session builds template databases once (an empty migrated one, one with all content); each
test gets `CREATE DATABASE … TEMPLATE …` (a file copy, milliseconds) and the copy is dropped when
the test ends. scripts/with_postgres.sh starts a throw-away server and sets TEST_DATABASE_URL.
"""

from __future__ import annotations

import functools
import os
import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Engine, make_url

# Databases made by make_app, oldest first: (name, engine of the app using it or None).
_CREATED: list[list] = []


def enabled() -> bool:
    return bool(os.environ.get("TEST_DATABASE_URL"))


def template_name(kind: str) -> str:
    """The name of this process's template database of `kind` ("empty" or "content"): each
    pytest-xdist worker builds its own, so that one worker never drops another's."""
    return f"tmpl_{kind}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def base_url() -> URL:
    return make_url(os.environ["TEST_DATABASE_URL"])


def url_of(name: str) -> str:
    """The URL of database `name` on the test server, as a string SQLAlchemy accepts."""
    return base_url().set(database=name).render_as_string(hide_password=False)


@functools.cache
def admin() -> Engine:
    """A connection to the maintenance database, outside transactions (CREATE/DROP DATABASE)."""
    return create_engine(base_url(), isolation_level="AUTOCOMMIT")


def _execute(sql: str) -> None:
    with admin().connect() as conn:
        conn.execute(text(sql))


def create(template: str | None = None) -> str:
    """Create a new database, empty or copied from `template`, and return its name."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    if template:
        # The default WAL_LOG strategy: FILE_COPY forces a checkpoint, several times slower here.
        _execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    else:
        _execute(f'CREATE DATABASE "{name}"')
    return name


def create_template(name: str, source: str | None = None) -> None:
    """(Re)create a database meant to be copied: empty, or a copy of `source`."""
    drop(name)
    _execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{source}"' if source else ""))


def drop(name: str) -> None:
    _execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def track(name: str, engine: Engine | None) -> None:
    _CREATED.append([name, engine])


def mark() -> int:
    return len(_CREATED)


def drop_since(mark_: int) -> None:
    """Drop every database created since `mark_` (those of one test), closing their pools first."""
    while len(_CREATED) > mark_:
        name, engine = _CREATED.pop()
        if engine is not None:
            engine.dispose()
        drop(name)


def drop_all() -> None:
    drop_since(0)


def requires_postgres(test):
    """For tests of what only PostgreSQL does (row and advisory locks between hosts): they run in
    the PostgreSQL pass of `make test`, where TEST_DATABASE_URL is set."""
    import pytest

    reason = "PostgreSQL only (the PostgreSQL pass of make test)"
    return pytest.mark.skipif(not enabled(), reason=reason)(test)


def refuse_writes(engine: Engine) -> None:
    """Make every new connection of `engine` read-only, as a read-only disk or standby would."""
    from sqlalchemy import event

    engine.dispose()

    @event.listens_for(engine, "connect")
    def _read_only(dbapi_conn, _record):
        if engine.dialect.name == "postgresql":
            dbapi_conn.autocommit = True  # a session setting, not undone by a rollback
            dbapi_conn.execute("SET default_transaction_read_only = on")
            dbapi_conn.autocommit = False
        else:
            dbapi_conn.execute("PRAGMA query_only=ON")
