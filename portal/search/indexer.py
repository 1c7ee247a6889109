"""The single indexer: drains the search outbox into the index, oldest change first.

Rows are marked done only after the index commit, so a crash replays changes instead of losing
them. Whoosh's writer lock (waited for, never skipped) keeps two drainers from writing at once.
"""

from __future__ import annotations

import time

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from portal.core.clock import utcnow
from portal.core.outbox import SearchOutbox
from portal.eligibility.models import Benefit
from portal.events.models import Event
from portal.places.models import Place
from portal.policies.models import Policy
from portal.regions.models import Region
from portal.search.documents import benefit_document, event_document, place_document, policy_document

BATCH = 200


def drain(db: Session, backend, limit: int = BATCH) -> int:
    """Apply up to `limit` pending changes; returns how many rows were handled."""
    rows = list(db.scalars(select(SearchOutbox).where(SearchOutbox.done_at.is_(None))
                           .order_by(SearchOutbox.seq).limit(limit)))
    if not rows:
        return 0
    regions = {r.id: r for r in db.scalars(select(Region))}
    upserts, deletes = [], []
    for entity_id in dict.fromkeys(r.entity_id for r in rows if r.entity_type == "policy"):
        policy = db.scalar(select(Policy).where(Policy.id == entity_id)
                           .options(selectinload(Policy.categories), selectinload(Policy.guide)))
        if policy is not None and policy.is_public:
            upserts.append(policy_document(policy, regions))
        else:
            deletes.append(f"policy:{entity_id}")
    for entity_id in dict.fromkeys(r.entity_id for r in rows if r.entity_type == "place"):
        place = db.get(Place, entity_id)
        if place is not None and place.is_public:
            upserts.append(place_document(place, regions))
        else:
            deletes.append(f"place:{entity_id}")
    for entity_id in dict.fromkeys(r.entity_id for r in rows if r.entity_type == "benefit"):
        benefit = db.get(Benefit, entity_id)
        if benefit is not None:
            upserts.append(benefit_document(benefit, regions))
        else:
            deletes.append(f"benefit:{entity_id}")
    for entity_id in dict.fromkeys(r.entity_id for r in rows if r.entity_type == "event"):
        event = db.get(Event, entity_id)
        if event is not None and event.publication_state == "published":
            upserts.append(event_document(event, regions))
        else:
            deletes.append(f"event:{entity_id}")
    if deletes:
        backend.delete(deletes)
    if upserts:
        backend.upsert(upserts)
    now = utcnow()
    for row in rows:
        row.done_at = now
    db.commit()
    return len(rows)


def drain_all(db: Session, backend) -> int:
    total = 0
    while handled := drain(db, backend):
        total += handled
    return total


def run_forever(make_session, backend, interval: float = 1.0) -> None:  # pragma: no cover - loop
    """`flask --app portal search worker`: keep the index in step with the outbox."""
    while True:
        with make_session() as db:
            drain_all(db, backend)
        time.sleep(interval)


def rebuild_with_outbox(db: Session, backend, documents, total: int | None = None, progress=None) -> int:
    """Rebuild the index from the database, then settle the outbox: changes written before the
    rebuild read the database are in it; changes written since are replayed."""

    last_seen = db.scalar(select(func.max(SearchOutbox.seq))) or 0
    written = backend.rebuild(documents(), total=total, progress=progress)
    db.execute(update(SearchOutbox).where(SearchOutbox.seq <= last_seen, SearchOutbox.done_at.is_(None))
               .values(done_at=utcnow()))
    db.commit()
    drain_all(db, backend)
    return written
