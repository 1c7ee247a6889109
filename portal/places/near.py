"""Reading "near": "lat,lon", a division typed as people type it, an address or a place's name.

Chinese text is split into province, city and district by cpca; the division is then looked up
in the gazetteer (GB/T 2260 codes with centres, gazetteer.py). Latin text is compared with the
pinyin of division names. A name several districts share is not guessed: the visitor is asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal.core.params import BadParameter
from portal.core.textmatch import contains
from portal.core.versioncache import per_version
from portal.i18n import current_language
from portal.i18n import lazy_gettext as _l
from portal.places import gazetteer
from portal.places.models import Place
from portal.regions.models import Region

COORDS = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*[,，、\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Point:
    """Where to measure from, and how it was found (for telling the visitor)."""

    lat: float
    lon: float
    label: str
    kind: str  # coordinates, division, place, address
    code: str | None = None  # GB/T 2260 code of the division, when it is one
    unlocated: str = ""  # the part of the text that could not be placed more precisely
    others: list[tuple[str, str]] = field(default_factory=list)  # same-named divisions not taken


@dataclass
class Ambiguous:
    """Several divisions answer to the text: the visitor chooses."""

    text: str
    choices: list[tuple[str, str]] = field(default_factory=list)  # (label, text to search for)


def resolve_kept(db: Session, text: str, map_dir: Path | None = None) -> Point | Ambiguous | None:
    """`resolve`, remembered per content version: parsing an address and looking it up in the
    gazetteer costs milliseconds, and the same few places are asked again and again."""
    key = (text, str(map_dir), current_language())
    return per_version(db, "near", key, lambda: resolve(db, text, map_dir))


def resolve(db: Session, text: str, map_dir: Path | None = None) -> Point | Ambiguous | None:
    """A Point, an Ambiguous choice, or None when nothing of that name is known."""
    # A NUL names no place, and PostgreSQL refuses it in a text parameter (a 500 otherwise).
    text = text.replace("\x00", "").strip()
    if not text:
        return None
    match = COORDS.match(text)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise BadParameter("near", _l("Latitude must be -90 to 90 and longitude -180 to 180."))
        return Point(lat, lon, f"{lat:.4f}, {lon:.4f}", "coordinates")
    gaz = gazetteer.load(map_dir) if map_dir else None
    if gaz is not None:
        found = _latin(db, gaz, text) if not HAN.search(text) else _chinese(db, gaz, text)
        if found is not None:
            return found
    return _by_name(db, text)


def _latin(db: Session, gaz: gazetteer.Gazetteer, text: str) -> Point | Ambiguous | None:
    found = _choose(db, text, gaz.latin(text), "")
    if found is not None:
        return found
    # Not a division's pinyin: one of the portal's regions named so in English (Liangjiang New Area).
    key = gazetteer.latin_key(text)
    for region in db.scalars(select(Region).where(Region.lat.is_not(None))):
        if region.name_en and gazetteer.latin_key(region.name_en) == key:
            return _region_point(region)
    return None


def _chinese(db: Session, gaz: gazetteer.Gazetteer, text: str) -> Point | Ambiguous | None:
    compact = re.sub(r"\s+", "", text)
    province, city, district, rest, _ambiguous = gazetteer.parse_address(compact)
    candidates: list[gazetteer.Division] = []
    if district:
        candidates = [d for d in gaz.named(district) if d.level == "district"]
        # cpca fills in a city it guessed; keep the filter only when the visitor typed it.
        typed = [d for d in candidates if _typed(compact, d.city) or _typed(compact, d.province)]
        if typed:
            candidates = typed
    elif city or province:
        hit = gaz.find(province, city, "")
        candidates = [hit] if hit else []
    if not candidates:
        # Not a name cpca knows (城关, 两江新区 …): the portal's regions, then a stem of a name.
        region = db.scalar(
            select(Region)
            .where(Region.lat.is_not(None), or_(Region.name == compact, Region.name == district))
            .order_by(Region.level.desc())
        )
        if region is not None:
            return _region_point(region)
        candidates = gaz.named(compact) if len(compact) >= 2 else []
        rest = ""
    return _choose(db, text, candidates, rest)


def _typed(text: str, name: str | None) -> bool:
    return bool(name) and gazetteer.stem(name) in text


def _choose(db: Session, text: str, candidates: list, rest: str) -> Point | Ambiguous | None:
    if not candidates:
        return None
    others: list = []
    if len(candidates) > 1 and rest:
        # 南山区科技园: more than a bare name was typed. The district where a place of that name
        # lies settles it; else the one district the directory covers, naming the others.
        narrowed = [d for d in candidates if _places_matching(db, d, rest)] or [
            d for d in candidates if _places_matching(db, d, "")
        ]
        if len(narrowed) == 1:
            others = [d for d in candidates if d is not narrowed[0]]
            candidates = narrowed
    if len(candidates) > 1:
        return Ambiguous(
            text, [(d.full_name, d.short_query) for d in sorted(candidates, key=lambda d: d.code)]
        )
    division = candidates[0]
    choices = [(d.full_name, d.short_query) for d in others]
    if rest:
        places = _places_matching(db, division, rest)
        if len(places) == 1:
            place = places[0]
            return Point(place.lat, place.lon, place.name, "place", division.code, others=choices)
    # A region of the portal with this code has the seat of government as its centre.
    region = db.scalar(select(Region).where(Region.code == division.code, Region.lat.is_not(None)))
    lat, lon = (region.lat, region.lon) if region is not None else (division.lat, division.lon)
    return Point(
        lat, lon, division.full_name, "address" if rest else "division", division.code, rest, choices
    )


def _places_matching(db: Session, division, rest: str) -> list[Place]:
    """Published places inside the division's box whose name, alias or address holds `rest`."""
    min_lon, min_lat, max_lon, max_lat = division.bbox
    stmt = select(Place).where(
        Place.publication_state == "published",
        Place.lat.between(min_lat, max_lat),
        Place.lon.between(min_lon, max_lon),
    )
    if rest:
        stmt = stmt.where(or_(contains(Place.name, rest), contains(Place.address, rest)))
    return list(db.scalars(stmt.order_by(Place.id).limit(5)))


def _region_point(region: Region) -> Point:
    return Point(region.lat, region.lon, region.name, "division", region.code)


def _by_name(db: Session, text: str) -> Point | None:
    """A listed place or one of the portal's regions whose name holds the text."""
    region = db.scalar(
        select(Region)
        .where(or_(contains(Region.name, text), contains(Region.name_en, text)), Region.lat.is_not(None))
        .order_by(Region.level.desc())
    )
    place = db.scalar(
        select(Place)
        .where(
            or_(contains(Place.name, text), contains(Place.name_en, text)),
            Place.lat.is_not(None),
            Place.publication_state == "published",
        )
        .order_by(Place.name)
    )
    # A named place is more precise than a region, unless the text is exactly a region's name.
    if region is not None and (place is None or text in (region.name, region.name_en)):
        return Point(region.lat, region.lon, region.name, "division", region.code)
    if place is not None:
        return Point(place.lat, place.lon, place.name, "place")
    return None
