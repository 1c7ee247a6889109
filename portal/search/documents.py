"""Turning database rows into index documents, through the builders each area registers."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.regions.models import Region
from portal.search import registry
from portal.search.backend import IndexDoc


def count_documents(db: Session) -> int:
    """How many documents a full rebuild will write."""
    return sum(source.count(db) for source in registry.sources())


def all_documents(db: Session) -> Iterator[IndexDoc]:
    """Every searchable entity, read from the database (the source of truth)."""
    by_id = regions(db)
    for source in registry.sources():
        yield from source.documents(db, by_id)


def regions(db: Session) -> dict[str, Region]:
    """Every region by id, which the builders need to place a document in its region's ancestry."""
    return {r.id: r for r in db.scalars(select(Region))}
