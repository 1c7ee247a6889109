"""Reading "near": coordinates typed as "lat,lon", or a place or region name to centre on."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal.core.params import BadParameter
from portal.places.models import Place
from portal.regions.models import Region

COORDS = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,，]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def resolve(db: Session, text: str) -> tuple[tuple[float, float], str] | None:
    """(lat, lon) and a label for the point; None when nothing matches the name."""
    text = text.strip()
    if not text:
        return None
    match = COORDS.match(text)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise BadParameter("near", _l("Latitude must be -90 to 90 and longitude -180 to 180."))
        return (lat, lon), f"{lat:.4f}, {lon:.4f}"
    like = f"%{text}%"
    region = db.scalar(select(Region).where(or_(Region.name.like(like), Region.name_en.ilike(like)),
                                            Region.lat.is_not(None))
                       .order_by(Region.level.desc()))
    place = db.scalar(select(Place).where(or_(Place.name.like(like), Place.name_en.ilike(like)),
                                          Place.lat.is_not(None), Place.publication_state == "published")
                      .order_by(Place.name))
    # A named place is more precise than a region, unless the text is exactly a region's name.
    if region is not None and (place is None or text in (region.name, region.name_en)):
        return (region.lat, region.lon), region.name
    if place is not None:
        return (place.lat, place.lon), place.name
    return None
