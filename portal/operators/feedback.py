"""Corrections and problem reports from the public, and the figures operators see."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib

from flask import after_this_request, current_app, request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.core import ratelimit
from portal.core.audit import audit
from portal.core.clock import utcnow
from portal.operators.models import FEEDBACK_KINDS, PlaceDailyStat, PlaceFeedback, PlaceViewVisitor
from portal.places.models import Place
from portal.places.signals import place_viewed

KINDS = FEEDBACK_KINDS
WINDOW = dt.timedelta(hours=1)
RECORDED_VIEWS_KEPT = 20_000  # (listing, day, visitor) a worker remembers as counted, then forgets


class RateLimited(Exception):
    """Too many reports from one address within the hour."""


def ip_hash(secret: str, ip: str) -> str:
    """A keyed hash: enough to count reports per address without storing the address."""
    return hashlib.sha256(f"{secret}|{ip}".encode()).hexdigest()


def add(
    db: Session,
    place: Place,
    kind: str,
    body: str,
    contact: str | None,
    who: str,
    per_hour: int,
    now: dt.datetime | None = None,
) -> PlaceFeedback:
    """Keep a visitor's correction or report; RateLimited past `per_hour` from one address."""
    now = now or utcnow()
    # One atomic counter per address: concurrent posts cannot all pass the limit.
    if not ratelimit.take(db, f"place_feedback:{who}", per_hour, WINDOW, now):
        raise RateLimited
    item = PlaceFeedback(
        place_id=place.id,
        kind=kind,
        body=body,
        contact=contact or None,
        ip_hash=who,
        state="open",
        created_at=now,
    )
    db.add(item)
    db.flush()
    audit(db, None, "place_feedback", place.id, f"feedback_{kind}", None, "open", feedback=item.id)
    return item


def mark_handled(db: Session, user, item: PlaceFeedback) -> None:
    before = item.state
    item.state = "handled"
    item.handled_by = user.id
    audit(db, user, "place_feedback", item.place_id, "feedback_handled", before, "handled", feedback=item.id)


def open_feedback(db: Session, place_ids: list[str] | None = None) -> list[PlaceFeedback]:
    stmt = select(PlaceFeedback).where(PlaceFeedback.state == "open")
    if place_ids is not None:
        stmt = stmt.where(PlaceFeedback.place_id.in_(place_ids))
    return list(db.scalars(stmt.order_by(PlaceFeedback.created_at.desc()).limit(200)))


def visitor_key(secret: str, ip: str, agent: str, day: dt.date) -> str:
    """Who viewed, as a keyed hash that changes every day (no address is stored)."""
    return hashlib.sha256(f"{secret}|{day.isoformat()}|{ip}|{agent}".encode()).hexdigest()[:40]


def record_view(db: Session, place_id: str, from_map: bool, visitor: str, day: dt.date | None = None) -> bool:
    """Count a view (and a click from the map) unless this visitor was counted today; safe across
    workers (an insert that does nothing on conflict, then one update statement)."""
    day = day or utcnow().date()
    dialect = db.get_bind().dialect.name
    if dialect not in ("sqlite", "postgresql"):
        if db.get(PlaceViewVisitor, (place_id, day, visitor)) is not None:
            return False
        db.add(PlaceViewVisitor(place_id=place_id, day=day, visitor=visitor))
        db.flush()
        row = db.get(PlaceDailyStat, (place_id, day))
        if row is None:
            db.add(PlaceDailyStat(place_id=place_id, day=day, views=1, map_clicks=int(from_map)))
        else:
            row.views += 1
            row.map_clicks += int(from_map)
        return True
    insert = importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert
    # preserve_rowcount: PostgreSQL's driver reports an INSERT's row count only when asked.
    first = db.execute(
        insert(PlaceViewVisitor)
        .values(place_id=place_id, day=day, visitor=visitor)
        .on_conflict_do_nothing(index_elements=["place_id", "day", "visitor"])
        .execution_options(preserve_rowcount=True)
    )
    if first.rowcount != 1:
        return False
    db.execute(
        insert(PlaceDailyStat)
        .values(place_id=place_id, day=day, views=1, map_clicks=int(from_map))
        .on_conflict_do_update(
            index_elements=["place_id", "day"],
            set_={"views": PlaceDailyStat.views + 1, "map_clicks": PlaceDailyStat.map_clicks + int(from_map)},
        )
    )
    return True


def count_view_after_response(place_id: str, from_map: bool) -> None:
    """Count this visitor once per listing and day, in its own transaction after a good response.

    The page never fails because of the write (a read-only or busy database loses a count, not the
    page); a view this worker has already seen recorded today costs no database round trip.
    """
    app = current_app._get_current_object()
    day = utcnow().date()
    key = visitor_key(
        app.config["SECRET_KEY"],
        request.remote_addr or "?",
        request.headers.get("User-Agent", "")[:200],
        day,
    )
    recorded = app.extensions.setdefault("place_views_recorded", set())
    seen = (place_id, day, key)
    if seen in recorded:  # the database holds this visitor's view already: nothing would change
        return

    @after_this_request
    def _count(response):
        if response.status_code != 200:
            return response
        try:
            with app.extensions["db_sessionmaker"]() as session:
                record_view(session, place_id, from_map, key)
                session.commit()
        except Exception:  # noqa: BLE001 - a lost count must not become a failed page
            app.logger.warning("page view of %s not counted", place_id, exc_info=True)
            return response
        if len(recorded) >= RECORDED_VIEWS_KEPT:
            recorded.clear()
        recorded.add(seen)
        return response


@place_viewed.connect
def _count_view(_sender, session: Session, place_id: str, from_map: bool) -> None:
    """Operators see their listing's page views; the places area only announces them."""
    count_view_after_response(place_id, from_map)


def figures(
    db: Session, place_ids: list[str], today: dt.date | None = None, days: int = 30
) -> dict[str, dict[str, int]]:
    """Views, map clicks and suggestions per listing over the last `days` days."""
    today = today or utcnow().date()
    since = today - dt.timedelta(days=days - 1)
    out = {pid: {"views": 0, "map_clicks": 0, "suggestions": 0} for pid in place_ids}
    if not place_ids:
        return out
    rows = db.execute(
        select(PlaceDailyStat.place_id, func.sum(PlaceDailyStat.views), func.sum(PlaceDailyStat.map_clicks))
        .where(PlaceDailyStat.place_id.in_(place_ids), PlaceDailyStat.day >= since)
        .group_by(PlaceDailyStat.place_id)
    )
    for pid, views, clicks in rows:
        out[pid].update(views=int(views or 0), map_clicks=int(clicks or 0))
    start = dt.datetime.combine(since, dt.time())
    rows = db.execute(
        select(PlaceFeedback.place_id, func.count())
        .where(PlaceFeedback.place_id.in_(place_ids), PlaceFeedback.created_at >= start)
        .group_by(PlaceFeedback.place_id)
    )
    for pid, count in rows:
        out[pid]["suggestions"] = int(count)
    return out
