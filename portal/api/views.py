"""API v1 endpoints: search, policies and regions."""

from __future__ import annotations

import math

from flask import Blueprint, abort, current_app, jsonify, request
from flask_babel import lazy_gettext as _l

from portal import db
from portal.core.params import BadParameter
from portal.core.security import csrf
from portal.places import geo
from portal.places import services as places
from portal.places.views import directory_query
from portal.policies import services as policies
from portal.policies.views import external_url
from portal.regions.services import all_regions
from portal.search import services as search
from portal.search.snippets import plain_text

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # token-less JSON clients; every endpoint here is read-only so far


@bp.get("/search")
def search_all():
    session = db.session()
    query = search.query_from_request(session)
    result = search.run(query)
    rows = search.rows(session, result, query.text)
    return jsonify({
        "query": query.text,
        "total": result.total,
        "page": query.page,
        "per_page": query.per_page,
        "relaxed": result.relaxed,
        "results": [
            {"id": r.id, "type": r.type, "title": r.title,
             "url": external_url("policies.detail", policy_id=r.id) if r.type == "policy"
             else external_url("places.detail", place_id=r.id),
             "snippet": plain_text(r.snippet.striptags()), "snippet_html": str(r.snippet)}
            for r in rows
        ],
        "facets": result.facets,
    })


@bp.get("/policies")
def policy_list():
    session = db.session()
    query = search.query_from_request(session, scope=("policy",))
    query.facets = ("level", "region", "category", "status", "year")
    result = search.run(query)
    found = policies.policies_by_ids(session, [h.id for h in result.hits])
    return jsonify({
        "total": result.total,
        "page": query.page,
        "per_page": query.per_page,
        "results": [
            policies.policy_summary_json(found[h.id], external_url("policies.detail", policy_id=h.id))
            for h in result.hits if h.id in found
        ],
        "facets": result.facets,
    })


@bp.get("/policies/<policy_id>")
def policy_detail(policy_id: str):
    policy = policies.get_policy(db.session(), policy_id)
    if policy is None:
        abort(404, description=f"No policy with id '{policy_id[:80]}'.")
    return jsonify(policies.policy_json(policy, external_url("policies.detail", policy_id=policy.id)))


@bp.get("/places")
def place_list():
    session = db.session()
    query, _point = directory_query(session)
    result = search.run(query)
    found = places.places_by_ids(session, [h.id for h in result.hits])
    return jsonify({
        "total": result.total, "page": query.page, "per_page": query.per_page,
        "results": [
            {**places.place_json(found[h.id], external_url("places.detail", place_id=h.id)),
             "distance_km": round(h.distance_km, 2) if h.distance_km is not None else None}
            for h in result.hits if h.id in found
        ],
        "facets": result.facets,
    })


@bp.get("/places.geojson")
def place_geojson():
    session = db.session()
    bbox = parse_bbox(request.args.get("bbox"))
    filters_given = any(request.args.get(k) for k in (
        "q", "type", "region", "level", "industry", "service", "desks", "status"))
    ids = None
    if filters_given:
        query, _point = directory_query(session)
        ids = {k.partition(":")[2] for k in search.backend().keys(query) if k.startswith("place:")}
    base = external_url("places.detail", place_id="PLACE").rsplit("PLACE", 1)[0]
    body = geo.feature_collection(session, ids=ids, bbox=bbox, base_url=base)
    return current_app.response_class(body, mimetype="application/geo+json")


def parse_bbox(raw: str | None) -> tuple[float, float, float, float] | None:
    """minlon,minlat,maxlon,maxlat in WGS-84 degrees."""
    if raw is None or raw == "":
        return None
    parts = raw.split(",")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise BadParameter("bbox", _l("Give four numbers: min longitude, min latitude, max longitude, "
                                      "max latitude."))
    min_lon, min_lat, max_lon, max_lat = values
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise BadParameter("bbox", _l("Longitudes must be between -180 and 180."))
    if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
        raise BadParameter("bbox", _l("Latitudes must be between -90 and 90."))
    if min_lat > max_lat:
        raise BadParameter("bbox", _l("The minimum latitude is greater than the maximum."))
    return min_lon, min_lat, max_lon, max_lat


@bp.get("/regions")
def regions():
    return jsonify({"results": [
        {"id": r.id, "name": r.name, "name_en": r.name_en, "level": r.level, "parent_id": r.parent_id,
         "lat": r.lat, "lon": r.lon}
        for r in all_regions(db.session())
    ]})
