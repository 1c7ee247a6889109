"""Reading policies for pages, feeds and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, defer, load_only, selectinload

from portal.policies.models import Category, Policy, PolicyAttachment, PolicyGuide, PolicyStep

GUIDE_FIELDS = ("beneficiaries", "conditions", "time_limit", "address", "phone", "online_url", "source")
SCALAR_FIELDS = (
    "title",
    "title_en",
    "doc_number",
    "issuer",
    "issuer_en",
    "level",
    "region_id",
    "issued_on",
    "date_precision",
    "effective_from",
    "effective_to",
    "status",
    "summary",
    "summary_en",
    "body",
    "full_text",
    "source_kind",
    "source_ref",
    "source_url",
    "source_note",
    "verified",
    "content_hash",
)
PUBLIC = Policy.publication_state == "published"
MAX_OUTLINES = 512  # policies whose numbered paragraphs are kept in memory (a few KB each)
_outlines: dict[tuple[str, dt.datetime | None], tuple[list, dict]] = {}


def get_policy(db: Session, policy_id: str, public: bool = True) -> Policy | None:
    """One policy with everything its page shows; only published ones unless `public` is False."""
    stmt = (
        select(Policy)
        .where(Policy.id == policy_id, PUBLIC if public else True)
        .options(
            selectinload(Policy.categories),
            selectinload(Policy.guide),
            selectinload(Policy.steps),
            selectinload(Policy.attachments),
            selectinload(Policy.cites),
            selectinload(Policy.cited_by),
        )
    )
    return db.scalar(stmt)


def policies_by_ids(db: Session, ids: list[str]) -> dict[str, Policy]:
    """Policies keyed by id, for turning search hits into rows (lists show no body: not read)."""
    if not ids:
        return {}
    stmt = (
        select(Policy)
        .where(Policy.id.in_(ids), PUBLIC)
        .options(defer(Policy.body), selectinload(Policy.categories))
    )
    return {p.id: p for p in db.scalars(stmt)}


# What a list row shows (title, meta line) and its snippet's fallback source; bodies stay unread.
LIST_COLUMNS = (
    Policy.id,
    Policy.title,
    Policy.title_en,
    Policy.doc_number,
    Policy.issuer,
    Policy.issuer_en,
    Policy.level,
    Policy.issued_on,
    Policy.date_precision,
    Policy.status,
    Policy.summary,
    Policy.summary_en,
    Policy.publication_state,
)


# Built once: constructing the statement and its options took more than running it.
_LIST_ROWS = (
    select(Policy)
    .where(Policy.id.in_(bindparam("ids", expanding=True)), PUBLIC)
    .options(load_only(*LIST_COLUMNS))
)


def list_rows_by_ids(db: Session, ids: list[str]) -> dict[str, Policy]:
    """Policies keyed by id with only the columns a result list shows."""
    if not ids:
        return {}
    return {p.id: p for p in db.scalars(_LIST_ROWS, {"ids": list(ids)})}


def related_policies(db: Session, policy: Policy, limit: int = 6) -> list[Policy]:
    """Documents it cites, documents citing it, then others sharing a category."""
    seen = {policy.id}
    related: list[Policy] = []
    for other in [*policy.cites, *policy.cited_by]:
        if other.id not in seen and other.is_public:
            seen.add(other.id)
            related.append(other)
    if len(related) < limit and policy.categories:
        cat_ids = [c.id for c in policy.categories]
        stmt = (
            select(Policy)
            .where(Policy.categories.any(Category.id.in_(cat_ids)), Policy.id.notin_(seen), PUBLIC)
            .order_by(Policy.issued_on.desc().nulls_last(), Policy.id)
            .limit(limit - len(related))
        )
        related.extend(db.scalars(stmt))
    return related[:limit]


def latest_policies(db: Session, limit: int = 20, category: str | None = None) -> list[Policy]:
    """Newest first, by when the library last changed them (what a feed reader wants)."""
    stmt = select(Policy).where(PUBLIC).options(selectinload(Policy.categories))
    if category:
        stmt = stmt.where(Policy.categories.any(Category.id == category))
    stmt = stmt.order_by(
        Policy.published_at.desc().nulls_last(), Policy.issued_on.desc().nulls_last(), Policy.id
    )
    return list(db.scalars(stmt.limit(limit)))


def published_versions(db: Session) -> dict[str, dt.datetime | None]:
    """When each published policy last changed, by id (one small query: keys for cached outlines)."""
    return {row.id: row.updated_at for row in db.execute(select(Policy.id, Policy.updated_at).where(PUBLIC))}


def clause_anchor(
    db: Session, policy_id: str, version: dt.datetime | None, clause: str | None
) -> tuple[str | None, str] | None:
    """The anchor and outline label of the paragraph a basis clause names in a published policy
    (None: no such policy), found once per version of its text: rendering a whole body as Markdown
    costs milliseconds, and a result page links dozens of clauses."""
    from portal.core.outline import find_clause, number_blocks
    from portal.core.templating import render_markdown

    key = (policy_id, version)
    if key not in _outlines:
        body = db.scalar(select(Policy.body).where(Policy.id == policy_id, PUBLIC))
        if body is None:
            return None
        if len(_outlines) >= MAX_OUTLINES:
            _outlines.clear()
        _outlines[key] = (number_blocks(str(render_markdown(body)))[1], {})
    blocks, found = _outlines[key]
    if clause not in found:
        block = find_clause(blocks, clause)
        found[clause] = (block.id, block.label) if block else (None, "")
    return found[clause]


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
        # The document that replaces this one ("fully" or "partly"), or null.
        "superseded_by": (
            {"id": policy.superseded_by_id, "scope": policy.superseded_scope}
            if policy.superseded_by_id
            else None
        ),
        "categories": [c.id for c in policy.categories],
        "summary": policy.summary,
        "summary_en": policy.summary_en,
        "url": url,
        "verified": policy.verified,
        "source": {
            "kind": policy.source_kind,
            "ref": policy.source_ref,
            "url": policy.source_url,
            "note": policy.source_note,
        },
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
        "id": policy.id,
        "title": policy.title,
        "title_en": policy.title_en,
        "doc_number": policy.doc_number,
        "issuer": policy.issuer,
        "level": policy.level,
        "region": policy.region_id,
        "issued_on": policy.issued_on.isoformat() if policy.issued_on else None,
        "status": policy.status,
        "categories": [c.id for c in policy.categories],
        "url": url,
    }


def apply_policy_data(db: Session, data: dict[str, Any], categories: dict[str, Category]) -> Policy:
    """Create or update a policy's public record from validated data (content file or revision)."""
    policy = db.get(Policy, data["id"])
    if policy is None:
        policy = Policy(id=data["id"], publication_state="draft")
        db.add(policy)
    for name in SCALAR_FIELDS:
        if name in data:
            setattr(policy, name, data[name])
    policy.updated_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    policy.categories = [categories[c] for c in data.get("categories", []) if c in categories]
    guide = data.get("guide")
    if guide and any(guide.get(k) for k in GUIDE_FIELDS):
        if policy.guide is None:
            policy.guide = PolicyGuide()
        for k in GUIDE_FIELDS:
            setattr(policy.guide, k, guide.get(k))
    else:
        policy.guide = None
    policy.steps = [
        PolicyStep(position=i, title=s["title"], detail=s.get("detail"))
        for i, s in enumerate(data.get("steps", []))
    ]
    policy.attachments = [
        PolicyAttachment(
            position=i, title=a["title"], note=a.get("note"), url=a.get("url"), file_id=a.get("file_id")
        )
        for i, a in enumerate(data.get("attachments", []))
    ]
    return policy


def policy_data(policy: Policy) -> dict[str, Any]:
    """A policy's record as editable data (the same shape as a loaded content file)."""
    data: dict[str, Any] = {"id": policy.id}
    for name in SCALAR_FIELDS:
        data[name] = getattr(policy, name)
    data["categories"] = [c.id for c in policy.categories]
    data["cites"] = [c.id for c in policy.cites]
    data["guide"] = {k: getattr(policy.guide, k) for k in GUIDE_FIELDS} if policy.guide else None
    data["steps"] = [{"title": s.title, "detail": s.detail} for s in policy.steps]
    data["attachments"] = [
        {"title": a.title, "note": a.note, "url": a.url, "file_id": a.file_id} for a in policy.attachments
    ]
    return data
