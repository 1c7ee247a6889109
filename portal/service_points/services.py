"""Service points: writing them (with their place on the creator map) and finding a founder's office."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from portal.core.clock import utcnow
from portal.places.services import apply_place_data
from portal.regions.models import Region
from portal.regions.services import chain_of
from portal.service_points.content import checked_on
from portal.service_points.models import KINDS, ServicePoint

PLACE_PREFIX = "sp-"  # the directory entry of service point `x` is place `sp-x`
HOTLINE = "cn-government-service-12345"  # the national hotline every next step ends with


def place_id(point_id: str) -> str:
    return PLACE_PREFIX + point_id


def _place_fields(data: dict[str, Any], region: Region | None) -> dict[str, Any]:
    """The creator-map entry of a service point: its own pin, else its region's seat, said so.

    A national entry (a hotline, an online platform) has no seat: the centre of China is no place."""
    lat, lon, precision = data.get("lat"), data.get("lon"), "exact"
    seated = region is not None and region.lat is not None and region.level != "national"
    if lat is None and seated:
        lat, lon = region.lat, region.lon
        precision = "district" if region.level == "district" else "city"
    elif lat is None:
        precision = None
    online = data.get("online") or {}
    return {
        "id": place_id(data["id"]),
        "type": "service_point",
        "name": data["name"],
        "name_en": data.get("name_en"),
        "aliases": [],
        "region_id": data["region"],
        "level": None,
        "recognition": None,
        "industries": [],
        "services": [],
        "description": data.get("handles") or "",
        "description_en": data.get("handles_en"),
        "address": data.get("address"),
        "lat": lat,
        "lon": lon,
        "geo_precision": precision,
        "status": "active",
        "website": online.get("url"),
        "phone": data.get("phone"),
        "opening_hours": data.get("hours"),
        "source_ref": None,
        "source_quote": None,
        "source_note": (data.get("source") or {}).get("note"),
        "verified": bool(data.get("verified")),
        "last_confirmed_on": checked_on(data),
        "publication_state": "published",
        "content_hash": data.get("_hash", ""),
    }


def apply_definition(db: Session, data: dict[str, Any], content_hash: str) -> str:
    """Create or update a service point and its place; returns created, updated or unchanged."""
    point = db.get(ServicePoint, data["id"])
    if point is not None and point.content_hash == content_hash:
        return "unchanged"
    outcome = "created" if point is None else "updated"
    if point is None:
        point = ServicePoint(id=data["id"])
        db.add(point)
    point.kind, point.region_id, point.definition = data["kind"], data["region"], data
    point.verified, point.checked_on = bool(data.get("verified")), checked_on(data)
    point.content_hash, point.updated_at = content_hash, utcnow()
    db.flush()
    apply_place_data(
        db, {**_place_fields(data, db.get(Region, data["region"])), "content_hash": content_hash}
    )
    return outcome


def all_points(db: Session) -> list[ServicePoint]:
    return list(
        db.scalars(select(ServicePoint).order_by(ServicePoint.region_id, ServicePoint.kind, ServicePoint.id))
    )


def _chain(db: Session, region_id: str | None) -> list[str]:
    """The region and its ancestors, nearest first, ending with `cn`."""
    chain = list(chain_of(db, region_id)) if region_id else []
    return chain if "cn" in chain else [*chain, "cn"]


def _nearest(points, chain: list[str], kind: str) -> list[ServicePoint]:
    """Of `points`, the offices of `kind` of the nearest region in `chain`, then the national one."""
    points = sorted(
        (p for p in points if p.kind == kind and p.region_id in chain),
        key=lambda p: (chain.index(p.region_id), p.id),
    )
    local = [p for p in points if p.region_id != "cn"]
    national = [p for p in points if p.region_id == "cn"]
    nearest = [p for p in local if p.region_id == local[0].region_id] if local else []
    return nearest + national[:1]


def _online(points, chain: list[str]) -> list[ServicePoint]:
    """Of `points`, the online platforms on the way up `chain` (provincial platform, then national)."""
    found = [
        p
        for p in points
        if p.region_id in chain
        and p.kind == "government_service"
        and (p.definition.get("online") or {}).get("url")
    ]
    return sorted(found, key=lambda p: chain.index(p.region_id))


def office_for(db: Session, region_id: str | None, kind: str) -> list[ServicePoint]:
    """Where a founder in `region_id` goes for `kind`: the nearest region's office, then the national one.

    The national entry (with its hotline) always comes last, as the fallback that is always true.
    """
    if kind not in KINDS:
        kind = "government_service"
    chain = _chain(db, region_id)
    points = db.scalars(
        select(ServicePoint).where(ServicePoint.kind == kind, ServicePoint.region_id.in_(chain))
    )
    return _nearest(points, chain, kind)


# The service points of a region chain and the national hotline (built once, run on many pages).
_ON_THE_WAY_UP = select(ServicePoint).where(
    or_(ServicePoint.region_id.in_(bindparam("chain", expanding=True)), ServicePoint.id == HOTLINE)
)


def next_step(db: Session, region_id: str | None, kind: str) -> dict[str, Any]:
    """Everything a founder needs to take the next step: the office, the online entry, the hotline
    (one query for all three: the service points of the region's chain and the hotline)."""
    chain = _chain(db, region_id)
    points = list(db.scalars(_ON_THE_WAY_UP, {"chain": chain}))
    offices = _nearest(points, chain, kind if kind in KINDS else "government_service")
    hotline = next((p for p in points if p.id == HOTLINE), None)
    online = [p for p in _online(points, chain) if p.region_id != "cn"][:1]
    return {"offices": offices, "online": online, "hotline": hotline, "kind": kind, "region_id": region_id}


@dataclass(frozen=True)
class RegionName:
    id: str
    name: str
    name_en: str | None


@dataclass(frozen=True)
class Office:
    """A service point as pages show it, detached from any session (kept per content version)."""

    id: str
    kind: str
    region_id: str
    region: RegionName
    definition: dict[str, Any]
    verified: bool
    checked_on: dt.date | None


def _office(point: ServicePoint) -> Office:
    region = RegionName(point.region.id, point.region.name, point.region.name_en)
    return Office(
        point.id, point.kind, point.region_id, region, point.definition, point.verified, point.checked_on
    )


def shown_next_step(db: Session, region_id: str | None, kind: str) -> dict[str, Any]:
    """`next_step` with plain offices, which requests can share once it is read."""
    step = next_step(db, region_id, kind)
    hotline = step["hotline"]
    return {
        **step,
        "offices": [_office(p) for p in step["offices"]],
        "online": [_office(p) for p in step["online"]],
        "hotline": _office(hotline) if hotline is not None else None,
    }
