"""API v1: the directory (list and GeoJSON) and the regions."""

from __future__ import annotations

import math

from flask import current_app, jsonify, request

from portal import db
from portal.api import bp
from portal.core.params import BadParameter
from portal.core.urls import absolute_url
from portal.i18n import lazy_gettext as _l
from portal.places import geo, ranking
from portal.places import services as places
from portal.places.directory import directory_query
from portal.regions.services import all_regions
from portal.search import services as search


@bp.get("/places")
def place_list():
    session = db.session()
    query, _point = directory_query(session)
    result = ranking.run(query)  # open places before planned and closed ones
    found = places.places_by_ids(session, [h.id for h in result.hits])
    return jsonify(
        {
            "total": result.total,
            "page": query.page,
            "per_page": query.per_page,
            "results": [
                {
                    **places.place_json(found[h.id], absolute_url("places.detail", place_id=h.id)),
                    "distance_km": round(h.distance_km, 2) if h.distance_km is not None else None,
                }
                for h in result.hits
                if h.id in found
            ],
            "facets": result.facets,
        }
    )


@bp.get("/places.geojson")
def place_geojson():
    session = db.session()
    bbox = parse_bbox(request.args.get("bbox"))
    filters_given = any(
        request.args.get(k)
        for k in ("q", "type", "region", "level", "industry", "service", "desks", "status", "open")
    )
    ids = None
    if filters_given:
        query, _point = directory_query(session)
        ids = {k.partition(":")[2] for k in search.keys(query) if k.startswith("place:")}
    base = absolute_url("places.detail", place_id="PLACE").rsplit("PLACE", 1)[0]
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
        raise BadParameter(
            "bbox", _l("Give four numbers: min longitude, min latitude, max longitude, max latitude.")
        )
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
    return jsonify(
        {
            "results": [
                {
                    "id": r.id,
                    "name": r.name,
                    "name_en": r.name_en,
                    "level": r.level,
                    "parent_id": r.parent_id,
                    "lat": r.lat,
                    "lon": r.lon,
                }
                for r in all_regions(db.session())
            ]
        }
    )
