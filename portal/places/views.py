"""Directory pages: the searchable list, a place's page and the creator map."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from portal import db
from portal.core import params
from portal.places import near, services, taxonomy
from portal.places.models import TYPES
from portal.policies.views import external_url
from portal.search import services as search

bp = Blueprint("places", __name__)
FACETS = ("type", "region", "level", "industry", "service", "desks")


def directory_query(session):
    """The directory's search from the query string, with `near` resolved to a point."""
    query = search.query_from_request(session, scope=TYPES)
    query.facets = FACETS
    point = near.resolve(session, params.query_text("near"))
    if point is not None:
        query.near = point[0]
    if query.sort == "distance" and point is None:
        query.sort = "title"
    if not query.text and query.sort == "relevance":
        query.sort = "distance" if point else "title"
    return query, point


@bp.get("/places")
def index():
    session = db.session()
    query, point = directory_query(session)
    result = search.run(query)
    return render_template(
        "places/index.html", query=query, result=result, point=point,
        rows=search.rows(session, result, query.text),
        facets=search.ordered_facets(result, FACETS, session, query),
        pages=max(1, -(-result.total // query.per_page)),
        near_text=request.args.get("near", ""), near_unknown=bool(request.args.get("near")) and not point,
    )


@bp.get("/places/<place_id>")
def detail(place_id: str):
    session = db.session()
    place = services.get_place(session, place_id)
    if place is None:
        abort(404)
    from portal.operators import freshness
    from portal.operators.public_views import count_view_after_response

    count_view_after_response(place.id, from_map=request.args.get("from") == "map")
    return render_template(
        "places/detail.html", place=place, related=services.related_policies(session, place),
        fresh=freshness.is_fresh(place),
        permalink=external_url("places.detail", place_id=place.id), map_config=map_config(),
        industry_labels=taxonomy.industries(), service_labels=taxonomy.services(),
    )


@bp.get("/map")
def map_page():
    session = db.session()
    query, point = directory_query(session)
    query.per_page = min(query.per_page, 50)
    result = search.run(query)
    return render_template(
        "places/map.html", query=query, result=result, point=point,
        rows=search.rows(session, result, query.text),
        facets=search.ordered_facets(result, FACETS, session, query),
        pages=max(1, -(-result.total // query.per_page)), map_config=map_config(),
        near_text=request.args.get("near", ""), near_unknown=bool(request.args.get("near")) and not point,
    )


def map_config() -> dict:
    """What the map script needs, passed as data attributes (no inline script under our CSP)."""
    cfg = current_app.config
    return {"tiles": cfg["MAP_TILE_URL"], "attribution": cfg["MAP_TILE_ATTRIBUTION"],
            "crs": cfg["MAP_TILE_CRS"]}
