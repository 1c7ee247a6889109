"""The embedded default's indexer: a commit that wrote outbox rows drains them at once."""

from __future__ import annotations

from flask import Flask

from portal import db


def drain_now(app: Flask) -> None:
    """Bring the index up to date; errors are logged, never shown to the user."""
    from portal.search.indexer import drain_all

    try:
        with app.extensions["db_sessionmaker"]() as session:
            drain_all(session, app.extensions["search"])
    except Exception:  # the outbox keeps the rows; the next drain or `search worker` retries
        app.logger.exception("search outbox drain failed; will retry")


def init_app(app: Flask) -> None:
    """With SEARCH_INDEXER=inline, index what a transaction published right after it commits."""

    def _after_commit(session) -> None:
        if session.info.pop("outbox_written", False) and app.config["SEARCH_INDEXER"] == "inline":
            drain_now(app)

    db.after_commit(app, _after_commit)
