"""Reading a search request, running it and turning hits into rows for pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from urllib.parse import quote as _quote

from flask import current_app, url_for
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.core import params
from portal.eligibility.services import benefit_rows
from portal.events.services import events_by_ids
from portal.i18n import current_language, localized
from portal.places.models import TYPES as PLACE_TYPES
from portal.places.services import places_by_ids
from portal.policies.models import LEVELS, STATUSES, Category
from portal.policies.services import list_rows_by_ids
from portal.regions.models import Region
from portal.search.backend import FACET_FIELDS, SORTS, SearchBackend, SearchQuery, SearchResult
from portal.search.snippets import Parts, prepare_parts, snippet_from_parts

SEARCH_TYPES = ("policy", "benefit", *PLACE_TYPES)
# How werkzeug's default converter writes a path segment (so a built link equals url_for's).
quote = partial(_quote, safe="!$&'()*+,/:;=@")
MAX_PER_PAGE = 100


def backend() -> SearchBackend:
    """The configured search backend of this application."""
    return current_app.extensions["search"]


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


def allowed_values(db: Session) -> dict[str, tuple[str, ...]]:
    """Valid values for each filter, for rejecting unknown ones with a clear message."""
    return _per_version("allowed", lambda: _allowed_values(db))


def _allowed_values(db: Session) -> dict[str, tuple[str, ...]]:
    from portal.places import taxonomy

    return {
        "region": tuple(db.scalars(select(Region.id))),
        "level": LEVELS,
        "category": tuple(db.scalars(select(Category.id))),
        "status": (*STATUSES, "active", "planned", "closed"),
        "year": tuple(str(y) for y in range(1949, 2101)),
        "industry": tuple(taxonomy.industries()),
        "service": tuple(taxonomy.services()),
        "desks": ("free",),
    }


def query_from_request(db: Session, *, scope: tuple[str, ...] | None = None,
                       default_per_page: int = 20) -> SearchQuery:
    """Validate the query string into a SearchQuery; BadParameter names a bad field.

    `scope` limits the page to some types (the directory holds only places); within it the
    visitor may still choose types with `type=`."""
    allowed = allowed_values(db)
    q = SearchQuery(
        text=params.query_text("q"),
        types=params.choices("type", scope or SEARCH_TYPES),
        scope=scope or (),
        page=params.positive_int("page", 1, params.MAX_PAGE),
        per_page=params.positive_int("per_page", default_per_page, MAX_PER_PAGE),
        sort=params.choice("sort", SORTS, "relevance"),
    )
    q.filters = {name: params.choices(name, values) for name, values in allowed.items()}
    return q


def run(q: SearchQuery) -> SearchResult:
    """Run a query with the current synonym list; "nearest first" is ordered here, over every
    match's stored coordinates, so no backend has to know about distances."""
    from portal import db
    from portal.search.synonyms import synonym_map

    session = db.session()
    q.synonyms = synonym_map(session)
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

    from portal.places.models import Place
    from portal.places.services import distance_km
    from portal.search.backend import Hit

    counted = backend().search(replace(q, sort="title", page=1, per_page=1))
    ids = [k.partition(":")[2] for k in backend().keys(q) if k.startswith("place:")]
    located = {}
    for chunk in range(0, len(ids), 500):
        stmt = select(Place.id, Place.name, Place.lat, Place.lon).where(Place.id.in_(ids[chunk:chunk + 500]))
        located.update({row.id: row for row in session.execute(stmt)})
    ranked = []
    for pid in ids:
        row = located.get(pid)
        if row is None:
            continue
        km = distance_km(q.near[0], q.near[1], row.lat, row.lon) if row.lat is not None else None
        ranked.append((km is None, km or 0.0, row.name, pid))
    ranked.sort()
    start = (q.page - 1) * q.per_page
    hits = [Hit(type="place", id=pid, score=0.0, distance_km=None if no_geo else km)
            for no_geo, km, _name, pid in ranked[start:start + q.per_page]]
    counted.hits = hits
    return counted


def rows(db: Session, result: SearchResult, text: str) -> list[Row]:
    """Turn hits into rows: titles and what the meta lines show from the database (the source of
    truth), snippets cut from the text the index prepared (read from the database only when the
    index holds none, e.g. built before it did)."""
    policies = list_rows_by_ids(db, [h.id for h in result.hits if h.type == "policy"])
    places = places_by_ids(db, [h.id for h in result.hits if h.type == "place"])
    benefits = {b.id: b for b in benefit_rows(db, [h.id for h in result.hits if h.type == "benefit"])}
    events = events_by_ids(db, [h.id for h in result.hits if h.type == "event"])
    language = current_language()
    base = _detail_bases()

    def cut(hit, source) -> Markup:
        parts: Parts = hit.snippet or source()
        return snippet_from_parts(parts, text, language)

    out: list[Row] = []
    for hit in result.hits:
        if hit.type == "policy" and hit.id in policies:
            p = policies[hit.id]
            out.append(Row(id=p.id, type="policy", title=localized(p, "title"),
                           url=base["policy"] + quote(p.id),
                           snippet=cut(hit, lambda p=p: prepare_parts(p.summary, p.summary_en, p.body)),
                           obj=p))
        elif hit.type == "place" and hit.id in places:
            pl = places[hit.id]
            out.append(Row(id=pl.id, type=pl.type, title=localized(pl, "name"),
                           url=base["place"] + quote(pl.id),
                           snippet=cut(hit, lambda pl=pl: prepare_parts(pl.description, pl.description_en)),
                           obj=pl, distance_km=hit.distance_km))
        elif hit.type == "benefit" and hit.id in benefits:
            b = benefits[hit.id]
            d = b.definition
            out.append(Row(id=b.id, type="benefit", title=localized(b, "name"),
                           url=base["benefit"] + quote(b.id),
                           snippet=cut(hit, lambda d=d: prepare_parts(d.get("summary_en"), "",
                                                                      d.get("summary"))),
                           obj=b))
        elif hit.type == "event" and hit.id in events:
            ev = events[hit.id]
            out.append(Row(id=ev.id, type="event", title=localized(ev, "title"),
                           url=base["event"] + quote(ev.id),
                           snippet=cut(hit, lambda ev=ev: prepare_parts(ev.description, ev.description_en)),
                           obj=ev))
    return out


def _detail_bases() -> dict[str, str]:
    """Each detail page's address without its id, built once per request rather than once per row
    (ids are quoted as url_for would quote them)."""
    marker = "__ID__"
    built = {
        "policy": url_for("policies.detail", policy_id=marker),
        "place": url_for("places.detail", place_id=marker),
        "benefit": url_for("eligibility.benefit_detail", benefit_id=marker),
        "event": url_for("events.detail", event_id=marker),
    }
    return {kind: url.removesuffix(marker) for kind, url in built.items() if url.endswith(marker)}


MAX_CACHED = 64  # entries of the per-version caches below (a handful per language and index version)
_cached: dict[tuple, object] = {}


def content_key() -> str:
    """What filter values and labels are cached on: the search index's version, which moves when
    published content is reindexed. (Meant to become portal.core.contentversion.current.)"""
    return backend().version()


def _per_version(what: str, build, language: str = ""):
    """`build()` once per content key and language; always afresh while there is no index."""
    key = (what, content_key(), language)
    if not key[1]:
        return build()
    if key not in _cached:
        if len(_cached) >= MAX_CACHED:
            _cached.clear()
        _cached[key] = build()
    return _cached[key]


def facet_labels(db: Session) -> dict[str, dict[str, str]]:
    """Display names for facet values in the interface language."""
    return _per_version("labels", lambda: _facet_labels(db), current_language())


def _facet_labels(db: Session) -> dict[str, dict[str, str]]:
    from portal.core import labels
    from portal.places import taxonomy

    regions = list(db.scalars(select(Region).order_by(Region.position)))
    return {
        "type": {**{k: str(v) for k, v in labels.TYPES.items()}, **taxonomy.type_labels()},
        "industry": taxonomy.industries(),
        "service": taxonomy.services(),
        "desks": {"free": str(labels.FREE_DESKS)},
        "region": {r.id: localized(r, "name") for r in regions},
        "level": {k: str(v) for k, v in labels.LEVELS.items()},
        "category": {c.id: localized(c, "name") for c in db.scalars(select(Category))},
        "status": {k: str(v) for k, v in labels.STATUSES.items()},
        "year": {},
    }


def ordered_facets(result: SearchResult, names: tuple[str, ...], db: Session,
                   query: SearchQuery) -> list[dict]:
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
        out.append({"name": name, "values": [
            {"value": v, "label": names_of.get(v, v), "count": c, "chosen": v in picked,
             "href": links.toggle(name, v)}
            for v, c in values
        ]})
    return out


__all__ = ["FACET_FIELDS", "Row", "backend", "keys", "query_from_request", "rows", "run"]
