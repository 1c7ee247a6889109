"""The staff moderation queue: what waits for a decision, how long, and what waits for operators."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.core.clock import utcnow
from portal.operators import workflow
from portal.operators.models import PlaceClaim, PlaceRevision
from portal.places.models import Place


@dataclass
class Item:
    """A claim or revision as the queue lists it."""

    kind: str  # "claim" or "revision"
    obj: PlaceClaim | PlaceRevision
    name: str
    working_days: int
    overdue: bool


def _item(kind: str, obj, name: str, now: dt.datetime, limit: int) -> Item:
    days = workflow.working_days_between(obj.submitted_at.date(), now.date())
    return Item(kind, obj, name, days, days > limit)


def queue(db: Session, limit: int, now: dt.datetime | None = None) -> dict[str, list[Item]]:
    """Pending items oldest first, and items waiting for the operator's answer."""
    now = now or utcnow()
    names = dict(db.execute(select(Place.id, Place.name)).all())
    out: dict[str, list[Item]] = {"pending": [], "needs_info": []}
    for claim in db.scalars(select(PlaceClaim).where(PlaceClaim.state.in_(workflow.OPEN_STATES))):
        out[claim.state].append(_item("claim", claim, names.get(claim.place_id, claim.place_id), now, limit))
    for rev in db.scalars(select(PlaceRevision).where(PlaceRevision.state.in_(workflow.OPEN_STATES))):
        name = names.get(rev.place_id) or rev.data.get("name") or rev.place_id
        out[rev.state].append(_item("revision", rev, name, now, limit))
    for items in out.values():
        items.sort(key=lambda i: i.obj.submitted_at)
    return out
