"""Work done after a request in the embedded default: index changes, publish what is due."""

from __future__ import annotations

import threading
import time

from flask import Flask, current_app

_last_tick = 0.0
_tick_lock = threading.Lock()
TICK_SECONDS = 30


def drain_now(app: Flask) -> None:
    """Bring the index up to date (inline indexer); errors are logged, never shown to the user."""
    from portal.search.indexer import drain_all

    maker = app.extensions["db_sessionmaker"]
    try:
        with maker() as db:
            drain_all(db, app.extensions["search"])
    except Exception:  # the outbox keeps the rows; the next drain or `search worker` retries
        app.logger.exception("search outbox drain failed; will retry")


def init_app(app: Flask) -> None:
    @app.before_request
    def _publish_due():
        """At most every 30 s per process, publish scheduled revisions and expire policies."""
        global _last_tick
        if app.config["PUBLISHING_SCHEDULER"] != "inline" or app.config.get("TESTING"):
            return
        now = time.monotonic()
        if now - _last_tick < TICK_SECONDS or not _tick_lock.acquire(blocking=False):
            return
        try:
            _last_tick = now
            from portal.publishing.services import run_due

            with app.extensions["db_sessionmaker"]() as db:
                done = run_due(db)
                db.commit()
            if any(done.values()):
                drain_now(app)
        except Exception:
            current_app.logger.exception("scheduled publishing failed; will retry")
        finally:
            _tick_lock.release()


def after_commit(app: Flask) -> None:
    """Called by the database teardown once a request that wrote outbox rows has committed."""
    if app.config["SEARCH_INDEXER"] == "inline":
        drain_now(app)


