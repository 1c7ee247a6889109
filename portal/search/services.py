"""Reading a search request, running it and turning hits into rows for pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.core import params
from portal.eligibility.services import benefit_rows
from portal.events.services import events_by_ids
from portal.i18n import localized
from portal.places.models import TYPES as PLACE_TYPES
from portal.places.services import places_by_ids
from portal.policies.models import LEVELS, STATUSES, Category
from portal.policies.services import policies_by_ids
from portal.regions.models import Region
from portal.search.backend import FACET_FIELDS, SORTS, SearchBackend, SearchQuery, SearchResult
from portal.search.snippets import snippet

SEARCH_TYPES = ("policy", "benefit", *PLACE_TYPES)
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
    """Turn hits into rows, reading titles and text from the database (the source of truth)."""
    policy_ids = [h.id for h in result.hits if h.type == "policy"]
    policies = policies_by_ids(db, policy_ids)
    places = places_by_ids(db, [h.id for h in result.hits if h.type == "place"])
    benefits = {b.id: b for b in benefit_rows(db, [h.id for h in result.hits if h.type == "benefit"])}
    events = events_by_ids(db, [h.id for h in result.hits if h.type == "event"])
    out: list[Row] = []
    for hit in result.hits:
        if hit.type == "policy" and hit.id in policies:
            p = policies[hit.id]
            source = "\n".join([localized(p, "summary"), p.summary_en or "", p.body])
            out.append(Row(id=p.id, type="policy", title=localized(p, "title"),
                           url=url_for("policies.detail", policy_id=p.id),
                           snippet=snippet(source, text), obj=p))
        elif hit.type == "place" and hit.id in places:
            pl = places[hit.id]
            source = "\n".join([localized(pl, "description"), pl.description_en or ""])
            out.append(Row(id=pl.id, type=pl.type, title=localized(pl, "name"),
                           url=url_for("places.detail", place_id=pl.id),
                           snippet=snippet(source, text), obj=pl, distance_km=hit.distance_km))
        elif hit.type == "benefit" and hit.id in benefits:
            b = benefits[hit.id]
            d = b.definition
            source = "\n".join([(d.get("summary_en") or ""), d.get("summary") or ""])
            out.append(Row(id=b.id, type="benefit", title=localized(b, "name"),
                           url=url_for("eligibility.benefit_detail", benefit_id=b.id),
                           snippet=snippet(source, text), obj=b))
        elif hit.type == "event" and hit.id in events:
            ev = events[hit.id]
            source = "\n".join([localized(ev, "description"), ev.description_en or ""])
            out.append(Row(id=ev.id, type="event", title=localized(ev, "title"),
                           url=url_for("events.detail", event_id=ev.id),
                           snippet=snippet(source, text), obj=ev))
    return out


def facet_labels(db: Session) -> dict[str, dict[str, str]]:
    """Display names for facet values in the interface language."""
    from portal.core import labels

    regions = list(db.scalars(select(Region).order_by(Region.position)))
    from portal.places import taxonomy

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
    """Facets for display: each value with label, count and whether it is chosen."""
    chosen = {**query.filters, "type": query.types}
    label_map = facet_labels(db)
    region_order = {rid: i for i, rid in enumerate(label_map["region"])}
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
        out.append({"name": name, "values": [
            {"value": v, "label": label_map.get(name, {}).get(v, v), "count": c,
             "chosen": v in chosen.get(name, ())}
            for v, c in values
        ]})
    return out


__all__ = ["FACET_FIELDS", "Row", "backend", "keys", "query_from_request", "rows", "run"]
