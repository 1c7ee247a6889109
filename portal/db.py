"""Database engine, the declarative base and the request-scoped session.

The transaction rule: a request is one transaction. It is committed before the response leaves,
and only when the response succeeds (status below 400); a 4xx, a 5xx or an exception rolls back
everything the request wrote. Work that must follow a commit (indexing a published change) hangs on
SQLAlchemy's `after_commit` event, registered by the package that owns that work.
"""

from __future__ import annotations

import datetime as dt
import os
import select
from collections.abc import Iterable

from flask import Flask, Response, current_app, g
from sqlalchemy import JSON, CheckConstraint, DateTime, Interval, create_engine, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator):
    """A moment in time: `timestamptz` on PostgreSQL, UTC text on SQLite; naive UTC in Python.

    Python code everywhere works in naive UTC (portal.core.clock). Binding an aware value to
    PostgreSQL makes the stored moment independent of the server's or session's time zone (a
    naive one would be read in that zone: 8 hours off on a server set to Asia/Shanghai).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value if dialect.name == "sqlite" else value.replace(tzinfo=dt.UTC)

    def coerce_compared_value(self, op, value):
        # `at - timedelta(...)`: the interval is bound as an interval, not as a moment.
        if isinstance(value, dt.timedelta):
            return Interval()
        return self

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value


# JSON that is queried: `jsonb` on PostgreSQL (containment, GIN indexes), plain JSON text elsewhere.
QueryableJSON = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    """Base class of every ORM model."""

    type_annotation_map = {dt.datetime: UtcDateTime}


def one_of(table: str, column: str, values: Iterable[str]) -> CheckConstraint:
    """A CHECK that a code or state column holds one of its code list (NULL stays allowed)."""
    quoted = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=f"ck_{table}_{column}")


def schema_objects(dialect: str):
    """For Alembic's `include_object`: leave out what the models declare for another database only
    (an index with info={"only_on": "postgresql"} does not exist on SQLite)."""

    def include(obj, _name, _type, _reflected, _compare_to) -> bool:
        return getattr(obj, "info", {}).get("only_on", dialect) == dialect

    return include


SQLITE_SYNCHRONOUS = ("FULL", "NORMAL", "OFF")


def make_engine(url: str, sqlite_synchronous: str = "FULL") -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys, durable commits and a busy timeout."""
    if sqlite_synchronous not in SQLITE_SYNCHRONOUS:
        raise ValueError(
            f"SQLITE_SYNCHRONOUS must be one of {', '.join(SQLITE_SYNCHRONOUS)}, not {sqlite_synchronous!r}"
        )
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 15, "check_same_thread": False})
        _keep_to_own_process(engine)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            # FULL by default: a committed change survives a power cut (SQLITE_SYNCHRONOUS).
            cur.execute(f"PRAGMA synchronous={sqlite_synchronous}")
            cur.close()

        return engine
    # psycopg 3 (the driver the README names) is checked without a round trip; others are pinged.
    # Connections older than half an hour are replaced: a firewall may drop an idle one unseen.
    psycopg3 = make_url(url).get_driver_name() == "psycopg"
    engine = create_engine(url, pool_recycle=1800, pool_pre_ping=not psycopg3)
    _keep_to_own_process(engine)
    if psycopg3:
        event.listen(engine, "checkout", _check_alive)
    return engine


def _keep_to_own_process(engine: Engine) -> None:
    """Never hand a process a connection its parent opened.

    `gunicorn --preload` builds the app (which reads the database) before forking its workers: a
    pooled connection would then be shared by every worker, whose statements interleave on one
    socket (wrong rows, "result object does not return rows"). A connection checked out in
    another process than the one that opened it is dropped unclosed (closing would end the
    parent's session too) and the pool opens a new one.
    """

    @event.listens_for(engine, "connect")
    def _remember_process(_dbapi_conn, record) -> None:
        record.info["pid"] = os.getpid()

    @event.listens_for(engine, "checkout")
    def _refuse_inherited(_dbapi_conn, record, proxy) -> None:
        if record.info.get("pid") != os.getpid():
            record.dbapi_connection = proxy.dbapi_connection = None
            raise DisconnectionError("connection opened by another process")


def _check_alive(dbapi_conn, _record, _proxy) -> None:
    """Refuse a pooled PostgreSQL connection that is closed, without a round trip to the server.

    Instead of a ping per checkout (`pool_pre_ping`: a round trip before every request's first
    statement), look at the socket: an idle connection receives nothing, so a readable socket
    means the server ended it (a restart or `pg_terminate_backend` sends an error, then closes).
    The pool then opens a new connection in its place.
    """
    import psycopg

    if dbapi_conn.closed or dbapi_conn.broken:
        raise DisconnectionError("connection closed")
    try:
        readable, _, _ = select.select([dbapi_conn.pgconn.socket], [], [], 0)
    except (psycopg.Error, OSError, ValueError) as exc:  # the socket is already gone
        raise DisconnectionError(str(exc)) from exc
    if readable:
        raise DisconnectionError("the server ended the connection while it was idle")


def init_app(app: Flask) -> None:
    """Attach the engine and a session factory, and apply the transaction rule to every request."""
    engine = make_engine(app.config["DATABASE_URL"], app.config.get("SQLITE_SYNCHRONOUS", "FULL"))
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
