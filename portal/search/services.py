"""Reading a search request, running it and turning hits into rows for pages and the API."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.core import params
from portal.core.versioncache import per_version
from portal.i18n import current_language, localized
from portal.regions.models import LEVELS, Region
from portal.search import registry
from portal.search.backend import FACET_FIELDS, SORTS, SearchBackend, SearchQuery, SearchResult
from portal.search.registry import Row

MAX_PER_PAGE = 100


def backend() -> SearchBackend:
    """The configured search backend of this application."""
    return current_app.extensions["search"]


def allowed_values(db: Session) -> dict[str, tuple[str, ...]]:
    """Valid values for each filter, for rejecting unknown ones with a clear message."""
    return per_version(db, "search_allowed", None, lambda: _allowed_values(db))


def _allowed_values(db: Session) -> dict[str, tuple[str, ...]]:
    own = {
        "region": tuple(db.scalars(select(Region.id))),
        "level": LEVELS,
        "year": tuple(str(y) for y in range(1949, 2101)),
    }
    return {name: own.get(name) or registry.facet_values(db, name) for name in FACET_FIELDS if name != "type"}


def query_from_request(
    db: Session, *, scope: tuple[str, ...] | None = None, default_per_page: int = 20
) -> SearchQuery:
    """Validate the query string into a SearchQuery; BadParameter names a bad field.

    `scope` limits the page to some types (the directory holds only places); within it the
    visitor may still choose types with `type=`."""
    allowed = allowed_values(db)
    q = SearchQuery(
        text=params.query_text("q"),
        types=params.choices("type", scope or registry.types()),
        scope=scope or (),
        page=params.positive_int("page", 1, params.MAX_PAGE),
        per_page=params.positive_int("per_page", default_per_page, MAX_PER_PAGE),
        sort=params.choice("sort", SORTS, "relevance"),
    )
    q.filters = {name: params.choices(name, values) for name, values in allowed.items()}
    return q


def run(q: SearchQuery, *, synonyms=None) -> SearchResult:
    """Run a query with the current synonym list (or `synonyms`, read for an earlier query of the
    same request); "nearest first" is ordered here, over every match's stored coordinates, so no
    backend has to know about distances."""
    from portal import db
    from portal.search.synonyms import synonym_map

    session = db.session()
    q.synonyms = synonym_map(session) if synonyms is None else synonyms
    if q.sort == "distance" and q.near is not None:
        return _by_distance(session, q)
    return backend().search(q)


def keys(q: SearchQuery) -> list[str]:
    """Keys of every match (the map draws them all), with the current synonym list."""
    from portal import db
    from portal.search.synonyms import synonym_map

    q.synonyms = synonym_map(db.session())
    return backend().keys(q)


def _by_distance(session: Session, q: SearchQuery) -> SearchResult:
    """Nearest first; entries without coordinates come last, by name."""
    from dataclasses import replace

    from portal.search.backend import Hit

    counted = backend().search(replace(q, sort="title", page=1, per_page=1))
    ranked = []
    for source in registry.sources():
        if source.locate is None:
            continue
        prefix = source.entity + ":"
        ids = [k.partition(":")[2] for k in backend().keys(q) if k.startswith(prefix)]
        located = source.locate(session, ids, q.near)
        ranked += [
            (km is None, km or 0.0, name, source.entity, i)
            for i in ids
            if i in located
            for km, name in [located[i]]
        ]
    ranked.sort()
    start = (q.page - 1) * q.per_page
    counted.hits = [
        Hit(type=entity, id=i, score=0.0, distance_km=None if no_geo else km)
        for no_geo, km, _name, entity, i in ranked[start : start + q.per_page]
    ]
    return counted


def rows(db: Session, result: SearchResult, text: str) -> list[Row]:
    """Turn hits into rows, each area reading titles and text from the database (the source of truth)."""
    found: dict[tuple[str, str], Row] = {}
    for source in registry.sources():
        hits = [h for h in result.hits if h.type == source.entity]
        if hits:
            found.update({(source.entity, i): row for i, row in source.rows(db, hits, text).items()})
    return [found[(h.type, h.id)] for h in result.hits if (h.type, h.id) in found]


def facet_labels(db: Session) -> dict[str, dict[str, str]]:
    """Display names for facet values in the interface language."""
    return per_version(db, "search_labels", current_language(), lambda: _facet_labels(db))


def _facet_labels(db: Session) -> dict[str, dict[str, str]]:
    from portal.core import labels

    regions = list(db.scalars(select(Region).order_by(Region.position)))
    own = {
        "type": {k: str(v) for k, v in labels.TYPES.items()},
        "region": {r.id: localized(r, "name") for r in regions},
        "level": {k: str(v) for k, v in labels.LEVELS.items()},
        "year": {},
    }
    return {name: {**own.get(name, {}), **registry.facet_labels(db, name)} for name in FACET_FIELDS}


def ordered_facets(
    result: SearchResult, names: tuple[str, ...], db: Session, query: SearchQuery
) -> list[dict]:
    """Facets for display: each value with label, count, whether it is chosen and its link."""
    from portal.core.urls import FilterLinks

    chosen = {**query.filters, "type": query.types}
    label_map = facet_labels(db)
    region_order = {rid: i for i, rid in enumerate(label_map["region"])}
    links = FilterLinks()
    out = []
    for name in names:
        counts = result.facets.get(name, {})
        values = list(counts.items())
        if name == "region":
            values.sort(key=lambda kv: region_order.get(kv[0], 10**6))
        elif name == "year":
            values.sort(key=lambda kv: kv[0], reverse=True)
        else:
            values.sort(key=lambda kv: (-kv[1], kv[0]))
        names_of = label_map.get(name, {})
        picked = chosen.get(name, ())
        out.append(
            {
                "name": name,
                "values": [
                    {
                        "value": v,
                        "label": names_of.get(v, v),
                        "count": c,
                        "chosen": v in picked,
                        "href": links.toggle(name, v),
                    }
                    for v, c in values
                ],
            }
        )
    return out


__all__ = ["FACET_FIELDS", "Row", "backend", "keys", "query_from_request", "rows", "run"]
