"""Reading policies for pages, feeds and the API."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.policies.models import Category, Policy


def get_policy(db: Session, policy_id: str) -> Policy | None:
    """One policy with everything its page shows."""
    stmt = (
        select(Policy)
        .where(Policy.id == policy_id)
        .options(selectinload(Policy.categories), selectinload(Policy.guide),
                 selectinload(Policy.steps), selectinload(Policy.attachments),
                 selectinload(Policy.cites), selectinload(Policy.cited_by))
    )
    return db.scalar(stmt)


def policies_by_ids(db: Session, ids: list[str]) -> dict[str, Policy]:
    """Policies keyed by id, for turning search hits into rows."""
    if not ids:
        return {}
    stmt = select(Policy).where(Policy.id.in_(ids)).options(selectinload(Policy.categories))
    return {p.id: p for p in db.scalars(stmt)}


def related_policies(db: Session, policy: Policy, limit: int = 6) -> list[Policy]:
    """Documents it cites, documents citing it, then others sharing a category."""
    seen = {policy.id}
    related: list[Policy] = []
    for other in [*policy.cites, *policy.cited_by]:
        if other.id not in seen:
            seen.add(other.id)
            related.append(other)
    if len(related) < limit and policy.categories:
        cat_ids = [c.id for c in policy.categories]
        stmt = (
            select(Policy)
            .where(Policy.categories.any(Category.id.in_(cat_ids)), Policy.id.notin_(seen))
            .order_by(Policy.issued_on.desc().nulls_last(), Policy.id)
            .limit(limit - len(related))
        )
        related.extend(db.scalars(stmt))
    return related[:limit]


def latest_policies(db: Session, limit: int = 20, category: str | None = None) -> list[Policy]:
    """Newest first, by when the library last changed them (what a feed reader wants)."""
    stmt = select(Policy).options(selectinload(Policy.categories))
    if category:
        stmt = stmt.where(Policy.categories.any(Category.id == category))
    stmt = stmt.order_by(Policy.issued_on.desc().nulls_last(), Policy.updated_at.desc(), Policy.id)
    return list(db.scalars(stmt.limit(limit)))


def all_categories(db: Session) -> list[Category]:
    return list(db.scalars(select(Category).order_by(Category.position)))


def policy_json(policy: Policy, url: str) -> dict:
    """The API v1 representation of a policy (PRODUCT.md contract; add fields, never rename)."""
    guide = policy.guide
    return {
        "id": policy.id,
        "title": policy.title,
        "title_en": policy.title_en,
        "doc_number": policy.doc_number,
        "issuer": policy.issuer,
        "issuer_en": policy.issuer_en,
        "level": policy.level,
        "region": policy.region_id,
        "issued_on": policy.issued_on.isoformat() if policy.issued_on else None,
        "date_precision": policy.date_precision,
        "effective_from": policy.effective_from.isoformat() if policy.effective_from else None,
        "effective_to": policy.effective_to.isoformat() if policy.effective_to else None,
        "status": policy.status,
        "categories": [c.id for c in policy.categories],
        "summary": policy.summary,
        "summary_en": policy.summary_en,
        "url": url,
        "verified": policy.verified,
        "source": {"kind": policy.source_kind, "ref": policy.source_ref, "url": policy.source_url,
                   "note": policy.source_note},
        "guide": {
            "beneficiaries": guide.beneficiaries if guide else None,
            "conditions": guide.conditions if guide else None,
            "time_limit": guide.time_limit if guide else None,
            "address": guide.address if guide else None,
            "phone": guide.phone if guide else None,
            "online_url": guide.online_url if guide else None,
            "steps": [{"title": s.title, "detail": s.detail} for s in policy.steps],
        },
    }


def policy_summary_json(policy: Policy, url: str) -> dict:
    """The short form used in lists."""
    return {
        "id": policy.id, "title": policy.title, "title_en": policy.title_en,
        "doc_number": policy.doc_number, "issuer": policy.issuer, "level": policy.level,
        "region": policy.region_id,
        "issued_on": policy.issued_on.isoformat() if policy.issued_on else None,
        "status": policy.status, "categories": [c.id for c in policy.categories], "url": url,
    }
