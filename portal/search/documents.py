"""Turning database rows into index documents; each area registers its own builder."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import yaml
from pypinyin import lazy_pinyin
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from portal.eligibility.models import Benefit
from portal.events.models import Event
from portal.places.freshness import is_fresh
from portal.places.models import Place
from portal.policies.models import Policy
from portal.regions.models import Region
from portal.regions.services import ancestry
from portal.search.backend import IndexDoc
from portal.search.snippets import prepare_parts
from portal.search.text import pinyin_forms

# Ended plans rank below those in force; drafts and proposals in between.
STATUS_PRIOR = {"in_force": 1.0, "unknown": 0.9, "to_draft": 0.8, "proposed": 0.8, "expired": 0.5,
                "withdrawn": 0.4}
_SUFFIX = re.compile(r"(特别行政区|自治区|新区|省|市|区|县)$")


def freshness(year: int | None) -> float:
    """A small lift for recent documents: 1.0 for 2010 and before, up to 1.15 for this decade."""
    if not year:
        return 1.0
    return 1.0 + 0.15 * min(max(year - 2010, 0), 16) / 16


def region_words(regions: dict[str, Region], ids) -> str:
    """Names of a place's regions as people type them: 南山区 南山 Nanshan nanshan, per ancestor."""
    words = []
    for rid in ids:
        region = regions.get(rid)
        if region is None or region.parent_id is None:
            continue
        short = _SUFFIX.sub("", region.name) if len(region.name) > 2 else region.name
        words += [region.name, short, region.name_en or "", pinyin_forms(short, whole=False)]
    return " ".join(w for w in words if w)


@lru_cache(maxsize=4)
def _taxonomy(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def type_words(type_id: str, content_dir: Path | None = None) -> str:
    """A place type's labels in Chinese, English and pinyin (众创空间 Maker space zhongchuangkongjian)."""
    from portal.config import ROOT

    data = _taxonomy((content_dir or ROOT / "content") / "taxonomies.yaml")
    for item in data.get("place_types", []):
        if item["id"] == type_id:
            return " ".join([item["name"], item.get("name_en") or "", type_id.replace("_", " "),
                             pinyin_forms(item["name"])])
    return type_id


def policy_document(policy: Policy, regions: dict[str, Region]) -> IndexDoc:
    """The index form of a policy: zh and en text together, facets as keywords."""
    parts = [policy.summary, policy.summary_en or "", policy.issuer or "", policy.issuer_en or "",
             policy.doc_number or "", policy.body]
    if policy.guide:
        parts += [policy.guide.beneficiaries or "", policy.guide.conditions or ""]
    issued = policy.issued_on
    return IndexDoc(
        key=f"policy:{policy.id}",
        type="policy",
        title=" ".join([policy.title, policy.title_en or "", policy.doc_number or "",
                        pinyin_forms(policy.title, whole=False)]),
        names=tuple(n for n in (policy.title, policy.title_en, policy.doc_number) if n),
        guide=policy.guide is not None,
        boost=STATUS_PRIOR.get(policy.status, 1.0) * freshness(issued.year if issued else None),
        text="\n".join(parts),
        regions=tuple(ancestry(regions, policy.region_id)),
        level=policy.level,
        categories=tuple(c.id for c in policy.categories),
        year=str(issued.year) if issued else "",
        status=policy.status,
        date_ordinal=issued.toordinal() if issued else 0,
        sort_title=policy.title,
        snippet=prepare_parts(policy.summary, policy.summary_en, policy.body),
    )


def place_document(place: Place, regions: dict[str, Region]) -> IndexDoc:
    """The index form of a place: names (with pinyin) weigh most, then descriptions."""
    names = " ".join([place.name, place.name_en or "", *place.aliases, pinyin_forms(place.name)])
    ancestors = tuple(ancestry(regions, place.region_id))
    # Region and type are searchable words too, so "南山 孵化器" finds Nanshan's incubators.
    text = "\n".join([place.description, place.description_en or "", place.address or "",
                      place.recognition or "", region_words(regions, ancestors), type_words(place.type)])
    fresh = is_fresh(place)
    # Listings not confirmed lately rank lower: half weight by relevance, after the confirmed by name.
    sort_title = ("" if fresh else "~") + " ".join(lazy_pinyin(place.name))
    return IndexDoc(
        key=f"place:{place.id}", type=place.type, title=names, text=text,
        names=tuple(n for n in (place.name, place.name_en, *place.aliases) if n),
        regions=ancestors, level=place.level or "",
        status=place.status, sort_title=sort_title,
        # Planned and closed places weigh less in site search (the directory puts them last).
        boost=(1.0 if fresh else 0.5) * (0.3 if place.status in ("planned", "closed") else 1.0),
        industries=tuple(place.industries or ()), services=tuple(place.services or ()),
        desks="free" if (place.desks_free or 0) > 0 else "", lat=place.lat, lon=place.lon,
        snippet=prepare_parts(place.description, place.description_en),
    )


def benefit_document(benefit: Benefit, regions: dict[str, Region]) -> IndexDoc:
    """The index form of a benefit: names, issuer, summary and the conditions in words."""
    d = benefit.definition
    conditions = d.get("conditions") or {}
    words = [f"{c.get('text', '')} {c.get('text_en', '')}" for c in conditions.get("all", [conditions])
             if isinstance(c, dict)]
    text = "\n".join([d.get("summary") or "", d.get("summary_en") or "", benefit.issuer or "",
                      benefit.issuer_en or "", *words])
    return IndexDoc(
        key=f"benefit:{benefit.id}", type="benefit",
        title=" ".join([benefit.name, benefit.name_en or "", pinyin_forms(benefit.name, whole=False)]),
        text=text, names=tuple(n for n in (benefit.name, benefit.name_en) if n), guide=True,
        regions=tuple(ancestry(regions, benefit.region_id)), level="", status="",
        sort_title=" ".join(lazy_pinyin(benefit.name)),
        # Benefits show the English summary first on pages in either language.
        snippet=prepare_parts(d.get("summary_en"), "", d.get("summary")),
    )


def event_document(event: Event, regions: dict[str, Region]) -> IndexDoc:
    """The index form of an event: titles (with pinyin), organiser, description; dated by its start."""
    start = event.starts_at
    return IndexDoc(
        key=f"event:{event.id}", type="event",
        title=" ".join([event.title, event.title_en or "", pinyin_forms(event.title)]),
        text="\n".join([event.description, event.description_en or "", event.organiser or "",
                        event.organiser_en or "", event.address or ""]),
        regions=tuple(ancestry(regions, event.region_id)), level="", status="",
        year=str(start.year) if start else "", date_ordinal=start.toordinal() if start else 0,
        sort_title=" ".join(lazy_pinyin(event.title)),
        lat=event.point[0] if event.point else None, lon=event.point[1] if event.point else None,
        snippet=prepare_parts(event.description, event.description_en),
    )


def count_documents(db: Session) -> int:
    """How many documents a full rebuild will write."""
    stmt = select(func.count()).select_from(Policy).where(Policy.publication_state == "published")
    places = select(func.count()).select_from(Place).where(Place.publication_state == "published")
    benefits = select(func.count()).select_from(Benefit)
    events = select(func.count()).select_from(Event).where(Event.publication_state == "published")
    return (db.scalar(stmt) or 0) + (db.scalar(places) or 0) + (db.scalar(benefits) or 0) + (
        db.scalar(events) or 0)


def all_documents(db: Session) -> Iterator[IndexDoc]:
    """Every searchable entity, read from the database (the source of truth)."""
    regions = {r.id: r for r in db.scalars(select(Region))}
    stmt = (select(Policy).where(Policy.publication_state == "published")
            .options(selectinload(Policy.categories), selectinload(Policy.guide)))
    for policy in db.scalars(stmt):
        yield policy_document(policy, regions)
    for place in db.scalars(select(Place).where(Place.publication_state == "published")):
        yield place_document(place, regions)
    for benefit in db.scalars(select(Benefit)):
        yield benefit_document(benefit, regions)
    for event in db.scalars(select(Event).where(Event.publication_state == "published")):
        yield event_document(event, regions)
