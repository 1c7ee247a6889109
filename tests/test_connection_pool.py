"""Pooled PostgreSQL connections are checked without a round trip, ones the server ended are
replaced before a request uses them, and a forked worker never uses its parent's."""

from __future__ import annotations

import os
import time

from sqlalchemy import text

from tests import postgres
from tests.conftest import make_app
from tests.postgres import requires_postgres


def _end_backend(pid: int) -> None:
    """End a server process as a restart or an administrator would, and wait until it is gone."""
    with postgres.admin().connect() as conn:
        assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        deadline = time.monotonic() + 10
        while conn.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}):
            assert time.monotonic() < deadline, "the backend did not end"
            time.sleep(0.05)


@requires_postgres
def test_a_connection_the_server_ended_is_replaced_before_use(tmp_path):
    app = make_app(tmp_path)
    engine = app.extensions["db_engine"]
    with engine.connect() as conn:
        first = conn.scalar(text("SELECT pg_backend_pid()"))
    assert engine.pool.checkedin() == 1
    _end_backend(first)
    with engine.connect() as conn:  # the same pooled connection, found dead at checkout
        assert conn.scalar(text("SELECT pg_backend_pid()")) != first
    # A request after a server restart is served, not answered with an error page.
    with engine.connect() as conn:
        second = conn.scalar(text("SELECT pg_backend_pid()"))
    _end_backend(second)
    assert app.test_client().get("/policies").status_code == 200


def _last_statement(pid: int) -> str:
    with postgres.admin().connect() as conn:
        return conn.scalar(text("SELECT query FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid})


@requires_postgres
def test_taking_a_pooled_connection_sends_nothing_to_the_server(tmp_path):
    app = make_app(tmp_path)
    engine = app.extensions["db_engine"]
    with engine.connect() as conn:
        pid = conn.scalar(text("SELECT pg_backend_pid()"))
    before = _last_statement(pid)
    with engine.connect() as conn:  # checked out again: no ping (pool_pre_ping would send one)
        assert _last_statement(pid) == before
        assert conn.scalar(text("SELECT pg_backend_pid()")) == pid


def _in_child(engine) -> tuple[int, bool]:
    """Fork; the child checks out a connection and reports whether it is the parent's object."""
    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
        parent = id(conn.connection.dbapi_connection)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer through the pipe and leave without running pytest's exit
        code = 1
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
                os.write(write, b"same" if id(conn.connection.dbapi_connection) == parent else b"new")
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    answer = os.read(read, 16)
    os.close(read)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), answer == b"new"


def test_a_forked_worker_opens_its_own_connection(tmp_path):
    """As under `gunicorn --preload`: the app reads the database, then workers are forked."""
    app = make_app(tmp_path)
    engine = app.extensions["db_engine"]
    code, own = _in_child(engine)
    assert code == 0
    assert own, "the child used the connection its parent opened"
    with engine.connect() as conn:  # the parent's pooled connection still answers
        assert conn.scalar(text("SELECT 1")) == 1
