"""Directory pages: the searchable list, a place's page and the creator map."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from portal import db
from portal.core.urls import external_url
from portal.places import freshness, services, taxonomy
from portal.places.directory import FACETS, directory_query, map_config
from portal.places.signals import place_viewed
from portal.search import services as search

bp = Blueprint("places", __name__)
bp.add_app_template_global(freshness.is_fresh, "listing_fresh")
bp.add_app_template_global(taxonomy.type_label, "type_label")


@bp.app_template_global("places_named_in")
def places_named_in(policy_id: str) -> list:
    """Places a plan names, for the plan's page (the policies area does not depend on places)."""
    return services.places_mentioned_in(db.session(), policy_id)




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
    place_viewed.send(current_app._get_current_object(), session=session, place_id=place.id,
                      from_map=request.args.get("from") == "map")
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
