"""Reading and writing events: content loads, the filtered list with facet counts, JSON forms."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.core.clock import utcnow
from portal.core.outbox import enqueue
from portal.events import dates
from portal.events.models import Event, EventRevision
from portal.regions.models import Region
from portal.regions.services import ancestry

PUBLIC = Event.publication_state == "published"
WHEN = ("upcoming", "past", "all")
FACETS = ("kind", "region", "month", "audience", "fee")


def apply_event_data(db: Session, data: dict[str, Any]) -> Event:
    """Create or update an event from validated data; the search index follows."""
    event = db.get(Event, data["id"])
    if event is None:
        event = Event(id=data["id"], publication_state="published")
        db.add(event)
    for name, value in data.items():
        if name != "id":
            setattr(event, name, value)
    event.updated_at = utcnow()
    enqueue(db, "event", event.id)
    return event


def moderated_ids(db: Session) -> set[str]:
    """Events with an approved change from the portal: the content files no longer overwrite them."""
    return set(db.scalars(select(EventRevision.event_id).where(EventRevision.state == "approved")))


def load_events(db: Session, items: list[dict[str, Any]]) -> list[str]:
    """Upsert events from content files; returns "created", "updated" or "unchanged" for each."""
    kept = moderated_ids(db)
    outcomes = []
    for data in items:
        existing = db.get(Event, data["id"])
        if existing is not None and (existing.content_hash == data["content_hash"] or existing.id in kept):
            outcomes.append("unchanged")
            continue
        apply_event_data(db, data)
        db.flush()
        outcomes.append("created" if existing is None else "updated")
    return outcomes


def get_event(db: Session, event_id: str) -> Event | None:
    return db.scalar(select(Event).where(Event.id == event_id, PUBLIC))


def events_by_ids(db: Session, ids: list[str]) -> dict[str, Event]:
    if not ids:
        return {}
    return {e.id: e for e in db.scalars(select(Event).where(Event.id.in_(ids), PUBLIC))}


def occurrences(db: Session, series_id: str) -> list[Event]:
    """The dated events and venues of a series, newest first."""
    rows = db.scalars(select(Event).where(Event.series_id == series_id, PUBLIC))
    return sorted(rows, key=lambda e: (e.starts_at is None, -(e.starts_at or dt.datetime.min).toordinal()))


@dataclass
class EventFilter:
    """A validated request for events."""

    text: str = ""
    kinds: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    months: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    fees: tuple[str, ...] = ()
    start: dt.datetime | None = None  # events still going on at or after this (naive UTC)
    end: dt.datetime | None = None  # events starting before this
    when: str = "upcoming"
    page: int = 1
    per_page: int = 20


@dataclass
class EventResult:
    """A page of events, the total and counts per facet value over the whole match."""

    events: list[Event]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


def months_of(event: Event) -> list[str]:
    """Every month (China time) an event takes place in."""
    if event.starts_at is None:
        return []
    return list(
        dict.fromkeys(
            f"{d.year:04d}-{d.month:02d}"
            for d in dates.days_of(event.starts_at, event.ends_at, event.all_day)
        )
    )


def _end(event: Event) -> dt.datetime | None:
    return event.ends_at or event.starts_at


def find(db: Session, f: EventFilter, now: dt.datetime | None = None) -> EventResult:
    """Events matching the filter, in date order; series without dates last (upcoming or all)."""
    now = now or utcnow()
    regions = {r.id: r for r in db.scalars(select(Region))}
    rows = list(db.scalars(select(Event).where(PUBLIC)))
    text = f.text.casefold()
    matched = []
    for e in rows:
        chain = ancestry(regions, e.region_id)
        end = _end(e)
        if f.when == "upcoming" and end is not None and end < now:
            continue
        if f.when == "past" and (end is None or end >= now):
            continue
        if f.start and (end is None or end < f.start):
            continue
        if f.end and (e.starts_at is None or e.starts_at >= f.end):
            continue
        if (
            text
            and text
            not in " ".join(
                filter(
                    None, [e.title, e.title_en, e.organiser, e.organiser_en, e.description, e.description_en]
                )
            ).casefold()
        ):
            continue
        if f.places and e.place_id not in f.places:
            continue
        facts = {
            "kind": [e.kind],
            "region": chain,
            "month": months_of(e),
            "audience": e.audience or [],
            "fee": [e.fee],
        }
        chosen = {
            "kind": f.kinds,
            "region": f.regions,
            "month": f.months,
            "audience": f.audiences,
            "fee": f.fees,
        }
        if all(not values or set(values) & set(facts[name]) for name, values in chosen.items()):
            matched.append((e, facts))
    facets = {name: dict(Counter(v for _e, facts in matched for v in facts[name])) for name in FACETS}
    if f.when == "past":
        matched.sort(key=lambda m: (m[0].starts_at, m[0].id), reverse=True)
    else:
        matched.sort(key=lambda m: (m[0].starts_at is None, m[0].starts_at or dt.datetime.max, m[0].id))
    start = (f.page - 1) * f.per_page
    return EventResult([e for e, _facts in matched[start : start + f.per_page]], len(matched), facets)


def in_month(db: Session, first: dt.date) -> list[Event]:
    """Events taking place in the month that starts on `first`, by start."""
    lo, hi = dates.month_bounds(first)
    stmt = select(Event).where(PUBLIC, Event.starts_at.is_not(None), Event.starts_at < hi)
    return sorted(
        (e for e in db.scalars(stmt) if (_end(e) or e.starts_at) >= lo), key=lambda e: (e.starts_at, e.id)
    )


def for_feed(db: Session, *, region_id: str | None = None, place_id: str | None = None) -> list[Event]:
    """Dated events of a region (and the regions in it) or of a place, for a calendar feed."""
    regions = {r.id: r for r in db.scalars(select(Region))}
    stmt = select(Event).where(PUBLIC, Event.starts_at.is_not(None)).order_by(Event.starts_at)
    rows = list(db.scalars(stmt))
    if place_id is not None:
        return [e for e in rows if e.place_id == place_id]
    return [e for e in rows if region_id in ancestry(regions, e.region_id)]


def event_json(event: Event, url: str) -> dict[str, Any]:
    """API v1 summary (add fields, never rename)."""
    return {
        "id": event.id,
        "title": event.title,
        "title_en": event.title_en,
        "kind": event.kind,
        "starts_at": dates.iso(event.starts_at),
        "ends_at": dates.iso(event.ends_at),
        "all_day": event.all_day,
        "place_id": event.place_id,
        "region": event.region_id,
        "url": url,
        "series_id": event.series_id,
        "recurrence": event.recurrence,
    }


def event_detail_json(event: Event, url: str, now: dt.datetime | None = None) -> dict[str, Any]:
    """API v1 detail: the summary and every public field."""
    point = event.point
    return {
        **event_json(event, url),
        "past": event.is_past(now or utcnow()),
        "address": event.address or (event.place.address if event.place else None),
        "lat": point[0] if point else None,
        "lon": point[1] if point else None,
        "organiser": event.organiser,
        "organiser_en": event.organiser_en,
        "registration_url": event.registration_url,
        "fee": event.fee,
        "fee_note": event.fee_note,
        "audience": event.audience or [],
        "description": event.description,
        "description_en": event.description_en,
        "source_url": event.source_url,
        "verified": event.verified,
    }


def geojson(events: list[Event], url_for_event) -> dict[str, Any]:
    """A FeatureCollection of the events that can be drawn."""
    features = []
    for e in events:
        point = e.point
        if point is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [point[1], point[0]]},
                "properties": {
                    "id": e.id,
                    "title": e.title,
                    "title_en": e.title_en,
                    "kind": e.kind,
                    "starts_at": dates.iso(e.starts_at),
                    "ends_at": dates.iso(e.ends_at),
                    "url": url_for_event(e.id),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
