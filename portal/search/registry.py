"""What each searchable area hands to search, so search never imports the areas it indexes.

An area describes one kind of entity as a `Source` (its index documents, its result rows, its
filters) and the app factory registers it; search reads only this registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy.orm import Session

from portal.i18n import current_language
from portal.regions.models import Region
from portal.search.backend import Hit, IndexDoc
from portal.search.snippets import Parts, snippet_from_parts

Regions = Mapping[str, Region]
Located = dict[str, tuple[float | None, str]]  # id -> (distance in km or None, name)


@dataclass
class Row:
    """A result as pages and the API show it."""

    id: str
    type: str
    title: str
    url: str
    snippet: Markup
    obj: object
    distance_km: float | None = None


@dataclass(frozen=True)
class Facet:
    """The values a filter accepts for one area, and their display names (values without one show as is)."""

    values: Callable[[Session], Iterable[str]]
    labels: Callable[[Session], Mapping[str, str]] = lambda _db: {}


@dataclass(frozen=True)
class Source:
    """One kind of searchable entity, as its area describes it.

    `entity` is the outbox's entity type and the index key's prefix ("policy:<id>"); `types` are
    the values of the type filter it answers to."""

    entity: str
    model: type  # the ORM class, to tell whether an id exists
    count: Callable[[Session], int]  # documents a full rebuild writes
    documents: Callable[[Session, Regions], Iterator[IndexDoc]]  # every public one
    document: Callable[[Session, str, Regions], IndexDoc | None]  # one, None when not public
    rows: Callable[[Session, list[Hit], str], dict[str, Row]]  # its hits -> result rows by id
    types: tuple[str, ...] = ()
    facets: Mapping[str, Facet] = field(default_factory=dict)
    locate: Callable[[Session, list[str], tuple[float, float]], Located] | None = None  # for "nearest first"


def cut(hit: Hit | None, prepare: Callable[[], Parts], text: str) -> Markup:
    """A row's snippet, from the text the index prepared for the hit (prepared from the database
    only when the index holds none, e.g. one built before it did)."""
    parts = (hit.snippet if hit is not None else None) or prepare()
    return snippet_from_parts(parts, text, current_language())


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    """Add or replace an area's source (the factory calls this for every app it builds)."""
    _SOURCES[source.entity] = source


def sources() -> list[Source]:
    """Every registered source, in registration order."""
    return list(_SOURCES.values())


def source(entity: str) -> Source | None:
    return _SOURCES.get(entity)


def types() -> tuple[str, ...]:
    """Every value of the type filter."""
    return tuple(t for s in _SOURCES.values() for t in s.types)


def facet_values(db: Session, name: str) -> tuple[str, ...]:
    """The values the filter `name` accepts, over every area."""
    found: dict[str, None] = {}
    for s in _SOURCES.values():
        if name in s.facets:
            found.update(dict.fromkeys(s.facets[name].values(db)))
    return tuple(found)


def facet_labels(db: Session, name: str) -> dict[str, str]:
    """Display names of the filter `name`'s values, over every area."""
    labels: dict[str, str] = {}
    for s in _SOURCES.values():
        if name in s.facets:
            labels.update(s.facets[name].labels(db))
    return labels
