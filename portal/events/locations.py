"""Whether an event's coordinates can be right for its region. Pure: works on region records."""

from __future__ import annotations

from portal.operators.locations import CHINA_BOX, REGION_RADIUS_KM
from portal.places.services import distance_km


def coordinate_problem(regions: dict, region_id: str, lat: float | None, lon: float | None) -> str | None:
    """ "pair", "china" or "region" when the point cannot be right, else None.

    `regions` maps ids to objects or dicts with lat, lon, level and parent_id."""
    if (lat is None) != (lon is None):
        return "pair"
    if lat is None:
        return None
    min_lat, max_lat, min_lon, max_lon = CHINA_BOX
    if not (min_lat <= lat <= max_lat and min_lon <= lon <= max_lon):
        return "china"
    region = regions.get(region_id)
    while region is not None and _get(region, "lat") is None and _get(region, "parent_id"):
        region = regions.get(_get(region, "parent_id"))
    if region is None or _get(region, "lat") is None or _get(region, "level") not in REGION_RADIUS_KM:
        return None
    if (
        distance_km(lat, lon, _get(region, "lat"), _get(region, "lon"))
        > REGION_RADIUS_KM[_get(region, "level")]
    ):
        return "region"
    return None


def _get(region, name: str):
    return region.get(name) if isinstance(region, dict) else getattr(region, name)
