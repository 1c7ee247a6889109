"""The search interface the rest of the portal calls, and its value types."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
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
    boost: float = 1.0  # ranking prior: below 1 ranks lower (an ended plan, a listing not confirmed lately)
    names: tuple[str, ...] = ()  # titles and names as written, for "the query is this name"
    guide: bool = False  # a benefit, or a policy that says how to apply
    # What result snippets are cut from, prepared once here (snippets.prepare_parts), not per result.
    snippet: tuple[str, str, str] = ("", "", "")


def doc_version(doc: IndexDoc) -> str:
    """A short hash of everything indexed for a document: `search check` compares these."""
    raw = json.dumps(asdict(doc), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


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
    # Everyday word → official terms, already analysed (plan.analyse_synonyms); applied to the
    # query only, so a change to the list needs no rebuild.
    synonyms: Mapping[tuple[str, ...], tuple[tuple[str, ...], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    """One matching entity: its type and id, in rank order."""

    type: str
    id: str
    score: float
    distance_km: float | None = None
    snippet: tuple[str, str, str] | None = None  # the prepared snippet text, when the index holds it


@dataclass
class SearchResult:
    """A page of hits, the total and facet counts over the whole match."""

    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]]
    terms: list[str]
    relaxed: bool = False  # no entity had every word; these match some of them


class IndexNotBuilt(RuntimeError):
    """There is no index to write changes into yet: they wait in the outbox for `search rebuild`."""


class SearchBackend(Protocol):
    """What a search engine must offer the portal."""

    def is_ready(self) -> bool:
        """Whether an index built with the current analysis is there to answer queries."""
        ...

    def versions(self) -> dict[str, str]:
        """Key → `doc_version` of every indexed document (for `search check`)."""
        ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def rebuild(self, docs: Iterable[IndexDoc], total: int | None = None, progress=None) -> int: ...

    def keys(self, query: SearchQuery) -> list[str]:
        """Keys of every match, unranked (the map shows them all; distance sorting uses them)."""
        ...

    def upsert(self, docs: Iterable[IndexDoc]) -> None: ...

    def delete(self, keys: Iterable[str]) -> None: ...

    def count(self) -> int: ...


BACKENDS = ("whoosh", "postgres")


def make_backend(config: Mapping, engine=None) -> SearchBackend:
    """The search backend named by `SEARCH_BACKEND` (default whoosh), set up from `config`; the
    postgres backend uses `engine` (the application's), else one made from DATABASE_URL."""
    name = config.get("SEARCH_BACKEND") or "whoosh"
    if name == "whoosh":
        from portal.search.whoosh_backend import WhooshBackend

        return WhooshBackend(config["SEARCH_DIR"])
    if name == "postgres":
        from portal.db import make_engine
        from portal.search.postgres_backend import PostgresBackend

        return PostgresBackend(engine if engine is not None else make_engine(config["DATABASE_URL"]))
    raise ValueError(f"SEARCH_BACKEND: unknown search backend '{name}' (known: {', '.join(BACKENDS)})")
