"""The kinds of content one can subscribe to, and what changed of each within a time window.

A new kind (events, say) is one more `Kind` passed to `register`: its filters and a function
listing its new or changed items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal.i18n import lazy_gettext as _l
from portal.regions.models import Region

# Filter name → label, as the subscribe form and messages name them.
FILTER_LABELS = {
    "region": _l("Region"),
    "category": _l("Category"),
    "kind": _l("Benefit kind"),
    "type": _l("Place type"),
}


@dataclass(frozen=True)
class Change:
    """One new or changed item, as a digest lists it."""

    kind: str
    id: str
    title: str
    title_en: str | None
    endpoint: str
    values: dict
    new: bool


@dataclass(frozen=True)
class Kind:
    """A subscribable kind: which filters apply and how to list its changes."""

    id: str
    label: object
    filters: tuple[str, ...]
    changes: Callable[[Session, dt.datetime, dt.datetime, dict], list[Change]]


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    KINDS[kind.id] = kind


def region_scope(db: Session, chosen: list[str]) -> set[str] | None:
    """Regions whose items matter to someone in `chosen`: those regions, their parents (a national
    policy applies everywhere) and everything inside them. None when no region was chosen."""
    if not chosen:
        return None
    parents = dict(db.execute(select(Region.id, Region.parent_id)).all())
    scope: set[str] = set()
    for region in chosen:
        current: str | None = region
        while current:
            scope.add(current)
            current = parents.get(current)
    for region_id in parents:
        current = region_id
        while current:
            if current in chosen:
                scope.add(region_id)
                break
            current = parents.get(current)
    return scope


def _policies(db: Session, since: dt.datetime, until: dt.datetime, filters: dict) -> list[Change]:
    from portal.policies.models import Category, Policy

    stmt = select(Policy).where(
        Policy.publication_state == "published",
        or_(
            (Policy.updated_at > since) & (Policy.updated_at <= until),
            (Policy.published_at > since) & (Policy.published_at <= until),
        ),
    )
    scope = region_scope(db, filters.get("region") or [])
    if scope is not None:
        stmt = stmt.where(Policy.region_id.in_(scope))
    if filters.get("category"):
        stmt = stmt.where(Policy.categories.any(Category.id.in_(filters["category"])))
    return [
        Change(
            "policy",
            p.id,
            p.title,
            p.title_en,
            "policies.detail",
            {"policy_id": p.id},
            new=p.created_at is not None and p.created_at > since,
        )
        for p in db.scalars(stmt.order_by(Policy.updated_at.desc()))
    ]


def _benefits(db: Session, since: dt.datetime, until: dt.datetime, filters: dict) -> list[Change]:
    from portal.eligibility.models import Benefit

    stmt = select(Benefit).where(Benefit.updated_at > since, Benefit.updated_at <= until)
    scope = region_scope(db, filters.get("region") or [])
    if scope is not None:
        stmt = stmt.where(Benefit.region_id.in_(scope))
    if filters.get("kind"):
        stmt = stmt.where(Benefit.kind.in_(filters["kind"]))
    return [
        Change(
            "benefit",
            b.id,
            b.name,
            b.name_en,
            "eligibility.benefit_detail",
            {"benefit_id": b.id},
            new=b.version == 1,
        )
        for b in db.scalars(stmt.order_by(Benefit.updated_at.desc()))
    ]


def _places(db: Session, since: dt.datetime, until: dt.datetime, filters: dict) -> list[Change]:
    from portal.places.models import Place

    stmt = select(Place).where(
        Place.publication_state == "published", Place.updated_at > since, Place.updated_at <= until
    )
    scope = region_scope(db, filters.get("region") or [])
    if scope is not None:
        stmt = stmt.where(Place.region_id.in_(scope))
    if filters.get("type"):
        stmt = stmt.where(Place.type.in_(filters["type"]))
    return [
        Change(
            "place",
            p.id,
            p.name,
            p.name_en,
            "places.detail",
            {"place_id": p.id},
            new=p.created_at is not None and p.created_at > since,
        )
        for p in db.scalars(stmt.order_by(Place.updated_at.desc()))
    ]


register(Kind("policy", _l("Policies"), ("region", "category"), _policies))
register(Kind("benefit", _l("Benefits"), ("region", "kind"), _benefits))
register(Kind("place", _l("Places"), ("region", "type"), _places))


def allowed_filter_values(db: Session) -> dict[str, tuple[str, ...]]:
    """Valid values of each filter, for refusing unknown ones by name."""
    from portal.eligibility.rules import KINDS as BENEFIT_KINDS
    from portal.places.models import TYPES
    from portal.policies.models import Category

    return {
        "region": tuple(db.scalars(select(Region.id))),
        "category": tuple(db.scalars(select(Category.id))),
        "kind": BENEFIT_KINDS,
        "type": tuple(t for t in TYPES if t != "event"),
    }
