"""Reading and writing places: the directory, GeoJSON, links to policies, distances."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from sqlalchemy import bindparam, exists, func, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from portal.places.models import Place
from portal.policies.models import Policy

# Which seed plan a source reference points into (citation prefixes of SEED-CONTENT.md).
SOURCE_PLANS = {
    "S0": "shijiazhuang-base-plan",
    "S1": "shanxi-provincial-base-opinions",
    "NS": "nanshan-base-work-plan",
    "LJ": "liangjiang-base-work-plan",
    "HD": "haidian-base-work-plan",
    "S3": "cangzhou-innovation-opinions",
    "S4": "chengguan-base-work-plan",
}
PUBLIC = Place.publication_state == "published"
EARTH_KM = 6371.0


def apply_place_data(db: Session, data: dict[str, Any]) -> Place:
    """Create or update a place from validated data."""
    place = db.get(Place, data["id"])
    if place is None:
        place = Place(id=data["id"])
        db.add(place)
    for name, value in data.items():
        if name != "id":
            setattr(place, name, value)
    place.updated_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return place


def get_place(db: Session, place_id: str) -> Place | None:
    return db.scalar(select(Place).where(Place.id == place_id, PUBLIC))


# Built once: constructing the statement took about as long as running it for a page of rows.
_BY_IDS = select(Place).where(Place.id.in_(bindparam("ids", expanding=True)), PUBLIC)


def places_by_ids(db: Session, ids: list[str]) -> dict[str, Place]:
    if not ids:
        return {}
    return {p.id: p for p in db.scalars(_BY_IDS, {"ids": list(ids)})}


def mentioning_policy_ids(place: Place) -> list[str]:
    """The seed plans whose text names this place, from its source reference."""
    found = []
    for prefix in re.findall(r"\b(S[0-4]|NS|LJ|HD)\b", place.source_ref or ""):
        plan = SOURCE_PLANS.get(prefix)
        if plan and plan not in found:
            found.append(plan)
    return found


def related_policies(db: Session, place: Place, limit: int = 6) -> list[Policy]:
    """The plans that name the place, then published policies of its region and the regions above."""
    ids = mentioning_policy_ids(place)
    chain = []
    region = place.region
    while region is not None:
        chain.append(region.id)
        region = db.get(type(region), region.parent_id) if region.parent_id else None
    stmt = (
        select(Policy)
        .where(
            Policy.publication_state == "published",
            (Policy.id.in_(ids)) | (Policy.region_id.in_(chain[:-1] or chain)),
        )
        .order_by(Policy.issued_on.desc().nulls_last())
    )
    rows = list(db.scalars(stmt))
    rows.sort(key=lambda p: (p.id not in ids, chain.index(p.region_id) if p.region_id in chain else 99))
    return rows[:limit]


def places_mentioned_in(db: Session, policy_id: str, limit: int = 200) -> list[Place]:
    """Places whose source is this seed plan (shown on the plan's page)."""
    prefixes = [k for k, v in SOURCE_PLANS.items() if v == policy_id]
    if not prefixes:
        return []
    rows = db.scalars(select(Place).where(PUBLIC).order_by(Place.type, Place.name))
    return [p for p in rows if any(re.search(rf"\b{k}\b", p.source_ref or "") for k in prefixes)][:limit]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(a))


def place_json(place: Place, url: str) -> dict[str, Any]:
    """API v1 representation (PRODUCT.md: add fields, never rename)."""
    from portal.places.freshness import is_fresh

    return {
        "id": place.id,
        "type": place.type,
        "name": place.name,
        "name_en": place.name_en,
        "region": place.region_id,
        "address": place.address,
        "lat": place.lat,
        "lon": place.lon,
        "geo_precision": place.geo_precision,
        "level": place.level,
        "url": url,
        "recognition": place.recognition,
        "industries": place.industries,
        "services": place.services,
        "status": place.status,
        "desks_free": place.desks_free,
        "fund": (
            {
                "fund_type": place.fund_type,
                "stages": place.fund_stages,
                "size_cny": place.fund_size_cny,
                "ticket": place.fund_ticket,
            }
            if place.type in ("fund", "investor")
            else None
        ),
        "verified": place.verified,
        "desk_price": place.desk_price,
        "offices_free": place.offices_free,
        "capacity": place.capacity,
        "desks_updated_at": (
            place.desks_updated_at.isoformat(timespec="seconds") + "Z" if place.desks_updated_at else None
        ),
        "last_confirmed_on": place.last_confirmed_on.isoformat() if place.last_confirmed_on else None,
        "confirmed": is_fresh(place),
    }


def photo_is_public(db: Session, file_id: str) -> bool:
    """Some published place shows the stored photo `file_id`."""
    if db.get_bind().dialect.name == "postgresql":
        # jsonb containment, answered from the GIN index ix_places_photos.
        listed = type_coerce(Place.photos, JSONB).contains([file_id])
    else:
        value = func.json_each(Place.photos).table_valued("value")
        listed = exists(select(1).select_from(value).where(value.c.value == file_id))
    return db.scalar(select(Place.id).where(PUBLIC, listed).limit(1)) is not None
