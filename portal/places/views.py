"""Directory pages: the searchable list, a place's page and the creator map."""

from __future__ import annotations

from flask import abort, current_app, render_template, request, send_file

from portal import db
from portal.core.urls import absolute_url
from portal.places import bp, freshness, ranking, services, taxonomy
from portal.places.directory import FACETS, Directory, directory, map_config
from portal.places.signals import place_viewed
from portal.search import services as search

bp.add_app_template_global(freshness.is_fresh, "listing_fresh")
bp.add_app_template_global(taxonomy.type_label, "type_label")


@bp.app_template_global("places_named_in")
def places_named_in(policy_id: str) -> list:
    """Places a plan names, for the plan's page (the policies area does not depend on places)."""
    return services.places_mentioned_in(db.session(), policy_id)


def _listing(template: str, state: Directory, **extra):
    session = db.session()
    query = state.query
    result = ranking.run(query)
    return render_template(
        template,
        query=query,
        result=result,
        state=state,
        point=state.point,
        rows=search.rows(session, result, query.text),
        facets=search.ordered_facets(result, FACETS, session, query),
        pages=max(1, -(-result.total // query.per_page)),
        near_text=state.near_text,
        near_unknown=state.near_unknown,
        **extra,
    )


@bp.get("/places")
def index():
    return _listing("places/index.html", directory(db.session()))


@bp.get("/places/<place_id>")
def detail(place_id: str):
    session = db.session()
    place = services.get_place(session, place_id)
    if place is None:
        abort(404)
    place_viewed.send(
        current_app._get_current_object(),
        session=session,
        place_id=place.id,
        from_map=request.args.get("from") == "map",
    )
    return render_template(
        "places/detail.html",
        place=place,
        related=services.related_policies(session, place),
        fresh=freshness.is_fresh(place),
        permalink=absolute_url("places.detail", place_id=place.id),
        map_config=map_config(),
        industry_labels=taxonomy.industries(),
        service_labels=taxonomy.services(),
    )


@bp.get("/map")
def map_page():
    state = directory(db.session())
    state.query.per_page = min(state.query.per_page, 50)
    return _listing("places/map.html", state, map_config=map_config())


BASEMAP_LEVELS = ("province", "city", "district")


@bp.get("/map/base/<level>.geojson")
def base_layer(level: str):
    """A boundary layer built by `flask map build`; sent gzipped to browsers that accept it."""
    if level not in BASEMAP_LEVELS:
        abort(404)
    folder = current_app.config["MAP_DATA_DIR"]
    gz = folder / f"{level}.geojson.gz"
    if "gzip" in request.headers.get("Accept-Encoding", "") and gz.exists():
        response = send_file(gz, mimetype="application/geo+json", max_age=86400, conditional=True)
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding"
        return response
    plain = folder / f"{level}.geojson"
    if not plain.exists():
        abort(404)
    return send_file(plain, mimetype="application/geo+json", max_age=86400, conditional=True)
