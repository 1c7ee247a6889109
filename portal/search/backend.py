"""The search interface the rest of the portal calls, and its value types."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

FACET_FIELDS = ("type", "region", "level", "category", "year", "status", "industry", "service", "desks")
SORTS = ("relevance", "newest", "oldest", "title", "distance")


@dataclass(frozen=True)
class IndexDoc:
    """What the index holds for one entity; built from the database, never edited by hand."""

    key: str  # "<type>:<id>", unique across the index
    type: str
    title: str
    text: str
    regions: tuple[str, ...] = ()  # the region and all its ancestors, for filtering and facets
    level: str = ""
    categories: tuple[str, ...] = ()
    year: str = ""
    status: str = ""
    date_ordinal: int = 0  # issue date as a day number, for "newest first"
    sort_title: str = ""
    industries: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    desks: str = ""  # "free" when a space reports free desks
    lat: float | None = None
    lon: float | None = None
    boost: float = 1.0  # below 1 ranks the entity lower (a listing not confirmed lately)


@dataclass
class SearchQuery:
    """A parsed, validated request for results."""

    text: str = ""
    types: tuple[str, ...] = ()  # chosen by the user (a filter shown as chosen)
    scope: tuple[str, ...] = ()  # set by the page, e.g. the directory only holds places
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20
    sort: str = "relevance"
    facets: tuple[str, ...] = FACET_FIELDS
    near: tuple[float, float] | None = None  # (lat, lon) for sort="distance"


@dataclass(frozen=True)
class Hit:
    """One matching entity: its type and id, in rank order."""

    type: str
    id: str
    score: float
    distance_km: float | None = None


@dataclass
class SearchResult:
    """A page of hits, the total and facet counts over the whole match."""

    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]]
    terms: list[str]
    relaxed: bool = False  # no entity had every word; these match some of them


class SearchBackend(Protocol):
    """What a search engine must offer the portal."""

    def search(self, query: SearchQuery) -> SearchResult: ...

    def rebuild(self, docs: Iterable[IndexDoc], total: int | None = None, progress=None) -> int: ...

    def keys(self, query: SearchQuery) -> list[str]: ...

    def upsert(self, docs: Iterable[IndexDoc]) -> None: ...

    def delete(self, keys: Iterable[str]) -> None: ...

    def count(self) -> int: ...
