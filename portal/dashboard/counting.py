"""Counting what the dashboard shows, without personal data: a query's text, its result count and
the day; how many wizards started and finished per day and region. No address, IP or session."""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass

from flask import Flask, current_app, request
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from portal.core.clock import utcnow
from portal.dashboard.models import SearchQueryCount, UsageCount
from portal.regions.services import chain_of
from portal.search.signals import searched

MAX_QUERY = 200
# A query holding something like a phone, ID or email address is counted without its text.
PERSONAL = re.compile(r"\d{6,}|@|\d{3,}[-\s]\d{3,}")
WITHHELD = "(withheld)"
WIZARD_ENDPOINTS = {"eligibility.start": "wizard_started", "eligibility.results": "wizard_completed"}


class _Buffer:
    """Counts kept in memory and written together: a write per search would cost a disk flush
    (about 15 ms on SQLite with synchronous=FULL) on every search page. A crash loses at most
    COUNT_FLUSH_SECONDS of counts."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: dict[tuple, Counter] = {}  # (engine, model, counter) -> keys -> n
        self.flushed_at = time.monotonic()

    def add(self, engine, model, keys: dict, counter: str, every: float) -> None:
        with self.lock:
            bucket = self.pending.setdefault((engine, model, counter), Counter())
            bucket[tuple(sorted(keys.items()))] += 1
            if time.monotonic() - self.flushed_at < every and sum(map(len, self.pending.values())) < 500:
                return
        self.flush()

    def flush(self, quiet: bool = False) -> None:
        with self.lock:
            taken, self.pending, self.flushed_at = self.pending, {}, time.monotonic()
        for (target, table, column), counts in taken.items():
            _write(target, table, column, counts, quiet)


_buffer = _Buffer()
atexit.register(_buffer.flush, quiet=True)  # a worker stopping normally keeps its last counts


def flush() -> None:
    """Write every count still held in memory."""
    _buffer.flush()


def _write(engine, model, counter: str, counts: Counter, quiet: bool = False) -> None:
    """Add the counts in one short transaction of their own; never fatal (a page that only reads
    must keep working when the database refuses writes)."""
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    column = getattr(model, counter)
    try:
        with engine.begin() as conn:
            for keys, n in counts.items():
                conn.execute(
                    insert(model)
                    .values(**dict(keys), **{counter: n})
                    .on_conflict_do_update(index_elements=[k for k, _ in keys], set_={counter: column + n})
                )
    except SQLAlchemyError as exc:
        if not quiet:  # at exit the logging streams may be gone already
            logging.getLogger(__name__).warning("not counted (%s): %s", model.__tablename__, exc)


def _upsert(db: Session, model, keys: dict, counter: str) -> None:
    every = current_app.config["COUNT_FLUSH_SECONDS"]
    _buffer.add(db.get_bind(), model, keys, counter, every)


def clean_query(text: str) -> str:
    text = " ".join(text.split())[:MAX_QUERY].lower()
    return WITHHELD if PERSONAL.search(text) else text


def record_search(db: Session, text: str, results: int, page: int = 1, day: dt.date | None = None) -> None:
    """Count one search by its text and result count (called by the search page and the API);
    turning to a later page of the same search is not another search."""
    if not text or not text.strip() or page != 1:
        return
    _upsert(
        db,
        SearchQueryCount,
        {"day": day or utcnow().date(), "query": clean_query(text), "results": int(results)},
        "searches",
    )


def count(db: Session, metric: str, region_id: str = "", day: dt.date | None = None) -> None:
    _upsert(db, UsageCount, {"day": day or utcnow().date(), "metric": metric, "region_id": region_id}, "hits")


def init_app(app: Flask) -> None:
    """Count wizard starts and completions as their pages succeed (no change to those views)."""
    from portal import db

    @app.after_request
    def _count_wizard(response):
        metric = WIZARD_ENDPOINTS.get(request.endpoint or "")
        if (
            metric
            and request.method == "GET"
            and response.status_code == 200
            and request.args.get("view") != "print"
        ):
            region = request.args.get("region", "")[:80] if metric == "wizard_completed" else ""
            session = db.session()
            if region and not chain_of(session, region):  # regions known per content version: no query
                region = ""
            count(session, metric, region)
        return response


@searched.connect
def _count_search(_sender, session: Session, text: str, results: int, page: int) -> None:
    """The search page announces each search; counting it belongs here (text, count, day only)."""
    record_search(session, text, results, page)


@dataclass(frozen=True)
class Miss:
    """A query that found nothing, and how often it was searched."""

    text: str
    count: int


def top_misses(db: Session, limit: int = 10) -> list[Miss]:
    """The searches that most often found nothing, for staff to answer with content or a synonym."""
    total = func.sum(SearchQueryCount.searches)
    rows = db.execute(
        select(SearchQueryCount.query, total)
        .where(SearchQueryCount.results == 0)
        .group_by(SearchQueryCount.query)
        .order_by(total.desc())
        .limit(limit)
    )
    return [Miss(text, int(count)) for text, count in rows if text != WITHHELD]
