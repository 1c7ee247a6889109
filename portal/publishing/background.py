"""The embedded default's scheduler: web workers publish what is due, at most every 30 s."""

from __future__ import annotations

import threading
import time

from flask import Flask, current_app

_last_tick = 0.0
_tick_lock = threading.Lock()
TICK_SECONDS = 30


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
                run_due(db)
                db.commit()  # the search package's after-commit hook indexes what was published
        except Exception:
            current_app.logger.exception("scheduled publishing failed; will retry")
        finally:
            _tick_lock.release()

    _publish_due.before_page_cache = True  # due work is published before a cached page is served
