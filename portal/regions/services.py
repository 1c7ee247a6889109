"""Queries over regions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

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
