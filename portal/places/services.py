"""Reading and writing places: the directory, GeoJSON, links to policies, distances."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, bindparam, exists, func, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session, load_only

from portal.core.versioncache import per_version
from portal.places.models import Place
from portal.policies.models import Policy
from portal.policies.services import LINK_COLUMNS
from portal.regions.services import chain_of

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


# What a list row shows (title, the meta line, the snippet when the index holds none): a directory
# page reads 20 to 50 places, and their JSON columns and source texts cost more than the rest.
_LIST_ROW = _BY_IDS.options(
    load_only(
        Place.id,
        Place.type,
        Place.name,
        Place.name_en,
        Place.region_id,
        Place.level,
        Place.recognition,
        Place.description,
        Place.description_en,
        Place.lat,
        Place.lon,
        Place.geo_precision,
        Place.status,
        Place.last_confirmed_on,
    )
)


def list_rows_by_ids(db: Session, ids: list[str]) -> dict[str, Place]:
    """Places for list rows, with only the columns a row shows (any other is read when first used)."""
    if not ids:
        return {}
    return {p.id: p for p in db.scalars(_LIST_ROW, {"ids": list(ids)})}


def mentioning_policy_ids(place: Place) -> list[str]:
    """The seed plans whose text names this place, from its source reference."""
    found = []
    for prefix in re.findall(r"\b(S[0-4]|NS|LJ|HD)\b", place.source_ref or ""):
        plan = SOURCE_PLANS.get(prefix)
        if plan and plan not in found:
            found.append(plan)
    return found


def related_policies(db: Session, place: Place, limit: int = 6) -> list[Row]:
    """The plans that name the place, then published policies of its region and the regions above
    (as links: their titles, never their bodies)."""
    ids = mentioning_policy_ids(place)
    chain = list(chain_of(db, place.region_id))
    stmt = (
        select(*LINK_COLUMNS)
        .where(
            Policy.publication_state == "published",
            (Policy.id.in_(ids)) | (Policy.region_id.in_(chain[:-1] or chain)),
        )
        .order_by(Policy.issued_on.desc().nulls_last())
    )
    rows = list(db.execute(stmt))
    rows.sort(key=lambda p: (p.id not in ids, chain.index(p.region_id) if p.region_id in chain else 99))
    return rows[:limit]


@dataclass(frozen=True)
class PlaceLink:
    """What a plan's page shows of a place it names: a link with the place's name and type."""

    id: str
    type: str
    name: str
    name_en: str | None


def places_mentioned_in(db: Session, policy_id: str, limit: int = 200) -> list[PlaceLink]:
    """Places whose source is this seed plan (shown on the plan's page)."""
    if policy_id not in SOURCE_PLANS.values():
        return []
    return per_version(db, "places_by_plan", None, lambda: _places_by_plan(db)).get(policy_id, [])[:limit]


def _places_by_plan(db: Session) -> dict[str, list[PlaceLink]]:
    """Every seed plan's named places, by type and name: one read of four columns per content version."""
    cited = re.compile(rf"\b({'|'.join(SOURCE_PLANS)})\b")
    rows = db.execute(
        select(Place.id, Place.type, Place.name, Place.name_en, Place.source_ref)
        .where(PUBLIC)
        .order_by(Place.type, Place.name)
    )
    found: dict[str, list[PlaceLink]] = {}
    for row in rows:
        for plan in dict.fromkeys(SOURCE_PLANS[k] for k in cited.findall(row.source_ref or "")):
            found.setdefault(plan, []).append(PlaceLink(row.id, row.type, row.name, row.name_en))
    return found


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
