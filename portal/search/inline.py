"""Keeping the index in step at commit: drained right after it (Whoosh), or written inside it (postgres)."""

from __future__ import annotations

import weakref

from flask import Flask
from sqlalchemy import event

from portal import db


def drain_now(app: Flask) -> None:
    """Bring the index up to date; errors are logged, never shown to the user."""
    from portal.search.backend import IndexNotBuilt
    from portal.search.indexer import drain_all

    try:
        with app.extensions["db_sessionmaker"]() as session:
            drain_all(session, app.extensions["search"])
    except IndexNotBuilt:  # a new portal before its first build: nothing went wrong
        app.logger.info("no search index yet: changes wait in the outbox for `flask search rebuild`")
    except Exception:  # the outbox keeps the rows; the next drain or `search worker` retries
        app.logger.exception("search outbox drain failed; will retry")


def init_app(app: Flask) -> None:
    """With SEARCH_INDEXER=inline, index what a transaction published right after it commits; with
    a backend kept in the database, index it inside that transaction, just before its commit."""
    backend = app.extensions["search"]
    if getattr(backend, "transactional", False):

        def _before_commit(session) -> None:
            session.info.pop("outbox_written", None)
            # Rows of a rolled-back transaction left the session; only this transaction's remain.
            rows = [row for row in session.info.pop("outbox_rows", []) if row in session]
            if rows:
                from portal.search.indexer import index_in_transaction

                session.flush()
                index_in_transaction(session, backend, rows)

        event.listen(app.extensions["db_sessionmaker"], "before_commit", _before_commit)
        return

    # A weak reference: SQLAlchemy keeps the listener as long as the sessionmaker's class, which
    # the app holds, so a strong one would keep every app ever made (each test's) alive.
    app_ref = weakref.ref(app)

    def _after_commit(session) -> None:
        session.info.pop("outbox_rows", None)  # only a transactional backend reads them
        written = session.info.pop("outbox_written", False)
        current = app_ref()
        if written and current is not None and current.config["SEARCH_INDEXER"] == "inline":
            drain_now(current)

    db.after_commit(app, _after_commit)
