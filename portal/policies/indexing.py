"""How policies appear in search: their index documents, result rows and filters."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from portal.core import labels
from portal.core.urls import DetailLinks
from portal.i18n import localized
from portal.policies.models import STATUSES, Category, Policy
from portal.policies.services import list_rows_by_ids
from portal.regions.services import ancestry
from portal.search.backend import IndexDoc
from portal.search.registry import Facet, Regions, Row, Source, cut
from portal.search.snippets import prepare_parts
from portal.search.text import pinyin_forms

# Ended plans rank below those in force; drafts and proposals in between.
STATUS_PRIOR = {
    "in_force": 1.0,
    "unknown": 0.9,
    "to_draft": 0.8,
    "proposed": 0.8,
    "expired": 0.5,
    "withdrawn": 0.4,
}
_PUBLISHED = Policy.publication_state == "published"


def freshness(year: int | None) -> float:
    """A small lift for recent documents: 1.0 for 2010 and before, up to 1.15 for this decade."""
    if not year:
        return 1.0
    return 1.0 + 0.15 * min(max(year - 2010, 0), 16) / 16


def policy_document(policy: Policy, regions: Regions) -> IndexDoc:
    """The index form of a policy: zh and en text together, facets as keywords."""
    parts = [
        policy.summary,
        policy.summary_en or "",
        policy.issuer or "",
        policy.issuer_en or "",
        policy.doc_number or "",
        policy.body,
    ]
    if policy.guide:
        parts += [policy.guide.beneficiaries or "", policy.guide.conditions or ""]
    issued = policy.issued_on
    return IndexDoc(
        key=f"policy:{policy.id}",
        type="policy",
        title=" ".join(
            [
                policy.title,
                policy.title_en or "",
                policy.doc_number or "",
                pinyin_forms(policy.title, whole=False),
            ]
        ),
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
        snippet=_parts(policy),
    )


def _parts(policy: Policy):
    return prepare_parts(policy.summary, policy.summary_en, policy.body)


def _count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Policy).where(_PUBLISHED)) or 0


def _documents(db: Session, regions: Regions) -> Iterator[IndexDoc]:
    stmt = (
        select(Policy).where(_PUBLISHED).options(selectinload(Policy.categories), selectinload(Policy.guide))
    )
    for policy in db.scalars(stmt):
        yield policy_document(policy, regions)


def _document(db: Session, policy_id: str, regions: Regions) -> IndexDoc | None:
    policy = db.scalar(
        select(Policy)
        .where(Policy.id == policy_id)
        .options(selectinload(Policy.categories), selectinload(Policy.guide))
    )
    return policy_document(policy, regions) if policy is not None and policy.is_public else None


def _rows(db: Session, hits, text: str) -> dict[str, Row]:
    link = DetailLinks("policies.detail", "policy_id")
    by_id = {h.id: h for h in hits}
    out = {}
    for p in list_rows_by_ids(db, list(by_id)).values():
        out[p.id] = Row(
            id=p.id,
            type="policy",
            title=localized(p, "title"),
            url=link(p.id),
            obj=p,
            snippet=cut(by_id[p.id], lambda p=p: _parts(p), text),
        )
    return out


SOURCE = Source(
    entity="policy",
    model=Policy,
    count=_count,
    documents=_documents,
    document=_document,
    rows=_rows,
    types=("policy",),
    facets={
        "category": Facet(
            lambda db: db.scalars(select(Category.id)),
            lambda db: {c.id: localized(c, "name") for c in db.scalars(select(Category))},
        ),
        "status": Facet(lambda _db: STATUSES, lambda _db: {k: str(v) for k, v in labels.STATUSES.items()}),
    },
)
