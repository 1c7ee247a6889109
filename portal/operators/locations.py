"""Whether typed or dragged coordinates can be right for the region chosen."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.places.services import distance_km
from portal.regions.models import Region

# How far from its region's centre a pin may be, by the region's level (km). Generous: district
# centres are approximate and some districts are large.
REGION_RADIUS_KM = {"district": 80, "city": 250, "provincial": 1200}
CHINA_BOX = (17.0, 54.5, 73.0, 135.5)  # min lat, max lat, min lon, max lon


def location_problem(db: Session, region_id: str, lat: float | None, lon: float | None) -> str | None:
    """Why the coordinates cannot be right for the region ("pair", "china", "region"), or None."""
    if (lat is None) != (lon is None):
        return "pair"
    if lat is None:
        return None
    min_lat, max_lat, min_lon, max_lon = CHINA_BOX
    if not (min_lat <= lat <= max_lat and min_lon <= lon <= max_lon):
        return "china"
    region = db.get(Region, region_id)
    while region is not None and region.lat is None and region.parent_id:
        region = db.get(Region, region.parent_id)
    if region is None or region.lat is None or region.level not in REGION_RADIUS_KM:
        return None
    if distance_km(lat, lon, region.lat, region.lon) > REGION_RADIUS_KM[region.level]:
        return "region"
    return None
