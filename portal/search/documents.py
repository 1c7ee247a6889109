"""Turning database rows into index documents; each area registers its own builder."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

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


def count_documents(db: Session) -> int:
    """How many documents a full rebuild will write."""
    stmt = select(func.count()).select_from(Policy).where(Policy.publication_state == "published")
    return db.scalar(stmt) or 0


def all_documents(db: Session) -> Iterator[IndexDoc]:
    """Every searchable entity, read from the database (the source of truth)."""
    regions = {r.id: r for r in db.scalars(select(Region))}
    stmt = (select(Policy).where(Policy.publication_state == "published")
            .options(selectinload(Policy.categories), selectinload(Policy.guide)))
    for policy in db.scalars(stmt):
        yield policy_document(policy, regions)
