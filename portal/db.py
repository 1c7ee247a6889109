"""Database engine, the declarative base and the request-scoped session.

The transaction rule: a request is one transaction. It is committed before the response leaves,
and only when the response succeeds (status below 400); a 4xx, a 5xx or an exception rolls back
everything the request wrote. Work that must follow a commit (indexing a published change) hangs on
SQLAlchemy's `after_commit` event, registered by the package that owns that work.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, Response, current_app, g
from sqlalchemy import CheckConstraint, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


class Base(DeclarativeBase):
    """Base class of every ORM model."""


def one_of(table: str, column: str, values: Iterable[str]) -> CheckConstraint:
    """A CHECK that a code or state column holds one of its code list (NULL stays allowed)."""
    quoted = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=f"ck_{table}_{column}")


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys, durable commits and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 15, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            # FULL: a committed change survives a power cut (NORMAL may lose the last commits).
            cur.execute("PRAGMA synchronous=FULL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def init_app(app: Flask) -> None:
    """Attach the engine and a session factory, and apply the transaction rule to every request."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(engine, expire_on_commit=False)

    @app.after_request
    def _end_transaction(response: Response) -> Response:
        session: Session | None = g.get("db_session")
        if session is not None:
            if response.status_code < 400:
                # Before the response is sent: a failed commit becomes the portal's error page
                # (and the next run of this hook, for that page, rolls back).
                session.commit()
            else:
                session.rollback()
        return response

    @app.teardown_appcontext
    def _close(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.close()  # ends any transaction still open (a CLI command that raised) unsaved


def session() -> Session:
    """Return the session of the current request or CLI command."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    return g.db_session


def after_commit(app: Flask, callback) -> None:
    """Run `callback(session)` after every commit of a session made by this app's factory."""
    event.listen(app.extensions["db_sessionmaker"], "after_commit", callback)
