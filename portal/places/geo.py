"""GeoJSON for the map: only the columns the map needs, read without building ORM objects."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.places.models import Place
from portal.places.services import PUBLIC


def features(db: Session, *, ids: set[str] | None, bbox: tuple[float, float, float, float] | None,
             url_for_place) -> dict:
    """A FeatureCollection of the places with coordinates, restricted to `ids` and `bbox`."""
    stmt = select(Place.id, Place.type, Place.name, Place.name_en, Place.lat, Place.lon,
                  Place.geo_precision, Place.level, Place.region_id, Place.desks_free,
                  Place.status).where(PUBLIC, Place.lat.is_not(None), Place.lon.is_not(None))
    if bbox is not None:
        min_lon, min_lat, max_lon, max_lat = bbox
        stmt = stmt.where(Place.lat >= min_lat, Place.lat <= max_lat)
        if min_lon <= max_lon:
            stmt = stmt.where(Place.lon >= min_lon, Place.lon <= max_lon)
        else:  # the box crosses the antimeridian
            stmt = stmt.where((Place.lon >= min_lon) | (Place.lon <= max_lon))
    out = []
    for row in db.execute(stmt):
        if ids is not None and row.id not in ids:
            continue
        out.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row.lon, row.lat]},
            "properties": {
                "id": row.id, "type": row.type, "name": row.name, "name_en": row.name_en,
                "url": url_for_place(row.id), "geo_precision": row.geo_precision,
                "level": row.level, "region": row.region_id, "desks_free": row.desks_free,
                "status": row.status,
            },
        })
    return {"type": "FeatureCollection", "features": out}
