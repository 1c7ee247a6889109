"""Turning database rows into index documents; each area registers its own builder."""

from __future__ import annotations

from collections.abc import Iterator

import jieba
from pypinyin import lazy_pinyin
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from portal.eligibility.models import Benefit
from portal.operators.freshness import is_fresh
from portal.places.models import Place
from portal.policies.models import Policy
from portal.regions.models import Region
from portal.regions.services import ancestry
from portal.search.backend import IndexDoc


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
        title=f"{policy.title} {policy.title_en or ''} {policy.doc_number or ''}",
        text="\n".join(parts),
        regions=tuple(ancestry(regions, policy.region_id)),
        level=policy.level,
        categories=tuple(c.id for c in policy.categories),
        year=str(issued.year) if issued else "",
        status=policy.status,
        date_ordinal=issued.toordinal() if issued else 0,
        sort_title=policy.title,
    )


def pinyin_forms(name: str) -> str:
    """Ways people type a Chinese name in Latin letters: per word (chaihuo kongjian), whole
    (chaihuokongjian) and initials (chkj), so `chaihuo` finds 柴火空间."""
    words = [w for w in jieba.cut(name) if w.strip()]
    per_word = ["".join(lazy_pinyin(w)) for w in words]
    syllables = lazy_pinyin(name)
    initials = "".join(s[0] for s in syllables if s and s[0].isalpha())
    forms = [*per_word, "".join(per_word), initials]
    return " ".join(f for f in forms if f and f.isascii())


def place_document(place: Place, regions: dict[str, Region]) -> IndexDoc:
    """The index form of a place: names (with pinyin) weigh most, then descriptions."""
    names = " ".join([place.name, place.name_en or "", *place.aliases, pinyin_forms(place.name)])
    text = "\n".join([place.description, place.description_en or "", place.address or "",
                      place.recognition or ""])
    fresh = is_fresh(place)
    # Listings not confirmed lately rank lower: half weight by relevance, after the confirmed by name.
    sort_title = ("" if fresh else "~") + " ".join(lazy_pinyin(place.name))
    return IndexDoc(
        key=f"place:{place.id}", type=place.type, title=names, text=text,
        regions=tuple(ancestry(regions, place.region_id)), level=place.level or "",
        status=place.status, sort_title=sort_title,
        # Planned and closed places weigh less in site search (the directory puts them last).
        boost=(1.0 if fresh else 0.5) * (0.3 if place.status in ("planned", "closed") else 1.0),
        industries=tuple(place.industries or ()), services=tuple(place.services or ()),
        desks="free" if (place.desks_free or 0) > 0 else "", lat=place.lat, lon=place.lon,
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
        title=f"{benefit.name} {benefit.name_en or ''}", text=text,
        regions=tuple(ancestry(regions, benefit.region_id)), level="", status="",
        sort_title=" ".join(lazy_pinyin(benefit.name)),
    )


def count_documents(db: Session) -> int:
    """How many documents a full rebuild will write."""
    stmt = select(func.count()).select_from(Policy).where(Policy.publication_state == "published")
    places = select(func.count()).select_from(Place).where(Place.publication_state == "published")
    benefits = select(func.count()).select_from(Benefit)
    return (db.scalar(stmt) or 0) + (db.scalar(places) or 0) + (db.scalar(benefits) or 0)


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
