"""Counting what the dashboard shows, without personal data: a query's text, its result count and
the day; how many wizards started and finished per day and region. No address, IP or session."""

from __future__ import annotations

import datetime as dt
import logging
import re

from flask import Flask, request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from portal.core.clock import utcnow
from portal.dashboard.models import SearchQueryCount, UsageCount

MAX_QUERY = 200
# A query holding something like a phone, ID or email address is counted without its text.
PERSONAL = re.compile(r"\d{6,}|@|\d{3,}[-\s]\d{3,}")
WITHHELD = "(withheld)"
WIZARD_ENDPOINTS = {"eligibility.start": "wizard_started", "eligibility.results": "wizard_completed"}


def _upsert(db: Session, model, keys: dict, counter: str) -> None:
    """Add one to `counter` of the row with `keys`, creating it (one statement, safe under load).

    Written in its own short transaction and never fatal: a page that only reads must keep working
    when the database refuses writes, and a count is not worth a failed page."""
    engine = db.get_bind()
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    column = getattr(model, counter)
    stmt = (
        insert(model)
        .values(**keys, **{counter: 1})
        .on_conflict_do_update(index_elements=list(keys), set_={counter: column + 1})
    )
    try:
        with engine.begin() as conn:
            conn.execute(stmt)
    except SQLAlchemyError as exc:
        logging.getLogger(__name__).warning("not counted (%s): %s", model.__tablename__, exc)


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
            from portal.regions.models import Region

            session = db.session()
            if region and session.get(Region, region) is None:
                region = ""
            count(session, metric, region)
        return response
