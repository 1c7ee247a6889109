"""Queries over regions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.core.versioncache import per_version
from portal.regions.models import Region


def all_regions(db: Session) -> list[Region]:
    """Every region in content order."""
    return list(db.scalars(select(Region).order_by(Region.position)))


def ancestry(regions: dict[str, Region], region_id: str) -> list[str]:
    """Ids from the region itself up to the root, e.g. [district, city, province, cn]."""
    chain: list[str] = []
    current = regions.get(region_id)
    while current is not None and current.id not in chain:
        chain.append(current.id)
        current = regions.get(current.parent_id) if current.parent_id else None
    return chain


def chain_of(db: Session, region_id: str | None) -> tuple[str, ...]:
    """The region and its ancestors, nearest first (empty for an unknown region), from the
    parent links read once per content version instead of one query per level."""
    parents = per_version(
        db, "region_parents", None, lambda: dict(db.execute(select(Region.id, Region.parent_id)).all())
    )
    chain: list[str] = []
    current = region_id
    while current is not None and current in parents and current not in chain:
        chain.append(current)
        current = parents[current]
    return tuple(chain)
