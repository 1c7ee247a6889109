"""How places appear in search: their index documents, result rows, filters and distances."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pypinyin import lazy_pinyin
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.core import labels
from portal.core.urls import DetailLinks
from portal.core.versioncache import per_version
from portal.i18n import in_language, localized
from portal.places import taxonomy
from portal.places.freshness import is_fresh
from portal.places.models import TYPES, Place
from portal.places.services import distance_km, list_rows_by_ids
from portal.regions.services import ancestry
from portal.search.backend import IndexDoc
from portal.search.registry import Facet, Regions, Row, Source, cut
from portal.search.snippets import prepare_parts
from portal.search.text import pinyin_forms

_SUFFIX = re.compile(r"(特别行政区|自治区|新区|省|市|区|县)$")
_PUBLISHED = Place.publication_state == "published"


def region_words(regions: Regions, ids) -> str:
    """Names of a place's regions as people type them: 南山区 南山 Nanshan nanshan, per ancestor."""
    words = []
    for rid in ids:
        region = regions.get(rid)
        if region is None or region.parent_id is None:
            continue
        short = _SUFFIX.sub("", region.name) if len(region.name) > 2 else region.name
        words += [region.name, short, region.name_en or "", pinyin_forms(short, whole=False)]
    return " ".join(w for w in words if w)


@lru_cache(maxsize=32)
def type_words(type_id: str) -> str:
    """A place type's labels in Chinese, English and pinyin (众创空间 Maker space zhongchuangkongjian)."""
    label = labels.PLACE_TYPES.get(type_id)
    if label is None:
        return type_id
    name, name_en = in_language(label, "zh"), in_language(label, "en")
    return " ".join([name, name_en, type_id.replace("_", " "), pinyin_forms(name)])


def place_document(place: Place, regions: Regions) -> IndexDoc:
    """The index form of a place: names (with pinyin) weigh most, then descriptions."""
    names = " ".join([place.name, place.name_en or "", *place.aliases, pinyin_forms(place.name)])
    ancestors = tuple(ancestry(regions, place.region_id))
    # Region and type are searchable words too, so "南山 孵化器" finds Nanshan's incubators.
    text = "\n".join(
        [
            place.description,
            place.description_en or "",
            place.address or "",
            place.recognition or "",
            region_words(regions, ancestors),
            type_words(place.type),
        ]
    )
    fresh = is_fresh(place)
    # Listings not confirmed lately rank lower: half weight by relevance, after the confirmed by name.
    sort_title = ("" if fresh else "~") + " ".join(lazy_pinyin(place.name))
    return IndexDoc(
        key=f"place:{place.id}",
        type=place.type,
        title=names,
        text=text,
        names=tuple(n for n in (place.name, place.name_en, *place.aliases) if n),
        regions=ancestors,
        level=place.level or "",
        status=place.status,
        sort_title=sort_title,
        # Planned and closed places weigh less in site search (the directory puts them last).
        boost=(1.0 if fresh else 0.5) * (0.3 if place.status in ("planned", "closed") else 1.0),
        industries=tuple(place.industries or ()),
        services=tuple(place.services or ()),
        desks="free" if (place.desks_free or 0) > 0 else "",
        lat=place.lat,
        lon=place.lon,
        snippet=prepare_parts(place.description, place.description_en),
    )


def _count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Place).where(_PUBLISHED)) or 0


def _documents(db: Session, regions: Regions) -> Iterator[IndexDoc]:
    for place in db.scalars(select(Place).where(_PUBLISHED)):
        yield place_document(place, regions)


def _document(db: Session, place_id: str, regions: Regions) -> IndexDoc | None:
    place = db.get(Place, place_id)
    return place_document(place, regions) if place is not None and place.is_public else None


def _rows(db: Session, hits, text: str) -> dict[str, Row]:
    link = DetailLinks("places.detail", "place_id")
    places = list_rows_by_ids(db, [h.id for h in hits])
    out = {}
    for hit in hits:
        pl = places.get(hit.id)
        if pl is not None:
            out[pl.id] = Row(
                id=pl.id,
                type=pl.type,
                title=localized(pl, "name"),
                url=link(pl.id),
                obj=pl,
                distance_km=hit.distance_km,
                snippet=cut(hit, lambda pl=pl: prepare_parts(pl.description, pl.description_en), text),
            )
    return out


def _locate(db: Session, ids: list[str], near: tuple[float, float]) -> dict[str, tuple[float | None, str]]:
    """Distance from `near` (None without coordinates) and name of each place."""
    known = per_version(db, "place_coordinates", None, lambda: _coordinates(db))
    found = {}
    for place_id in ids:
        if place_id in known:
            name, lat, lon = known[place_id]
            found[place_id] = (distance_km(near[0], near[1], lat, lon) if lat is not None else None, name)
    return found


def _coordinates(db: Session) -> dict[str, tuple[str, float | None, float | None]]:
    """Name and coordinates of every place, read once per content version (not per "near" search)."""
    return {
        row.id: (row.name, row.lat, row.lon)
        for row in db.execute(select(Place.id, Place.name, Place.lat, Place.lon))
    }


def _taxonomy_facet(names) -> Facet:
    return Facet(lambda _db: tuple(names()), lambda _db: names())


SOURCE = Source(
    entity="place",
    model=Place,
    count=_count,
    documents=_documents,
    document=_document,
    rows=_rows,
    types=TYPES,
    locate=_locate,
    facets={
        "type": Facet(lambda _db: TYPES, lambda _db: taxonomy.type_labels()),
        "status": Facet(lambda _db: ("active", "planned", "closed")),
        "industry": _taxonomy_facet(taxonomy.industries),
        "service": _taxonomy_facet(taxonomy.services),
        "desks": Facet(lambda _db: ("free",), lambda _db: {"free": str(labels.FREE_DESKS)}),
    },
)
