"""Reading policies for pages, feeds and the API."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Row, bindparam, case, or_, select, true
from sqlalchemy.orm import Session, defaultload, defer, joinedload, lazyload, load_only, selectinload

from portal.policies.fields import DATE_FIELDS, GUIDE_FIELDS, GUIDE_TEXTS, SCALAR_FIELDS
from portal.policies.models import (
    Category,
    Policy,
    PolicyAttachment,
    PolicyGuide,
    PolicyStep,
    policy_citations,
)

PUBLIC = Policy.publication_state == "published"
MAX_OUTLINES = 512  # policies whose numbered paragraphs are kept in memory (a few KB each)
_outlines: dict[tuple[str, dt.datetime | None], tuple[list, dict]] = {}


# What a link to another policy shows (related documents, the one replacing it): bodies stay unread.
LINK_COLUMNS = (
    Policy.id,
    Policy.title,
    Policy.title_en,
    Policy.doc_number,
    Policy.region_id,
    Policy.issued_on,
    Policy.publication_state,
)
_ID = bindparam("policy_id")


def _page_statement(public: bool):
    """A policy with everything its page shows (the one replacing it read as a link only). Built
    once: making a statement with its loader options costs more than running it. Its few
    categories come in the same query; steps and attachments in one more each."""
    return (
        select(Policy)
        .where(Policy.id == _ID, PUBLIC if public else true())
        .options(
            joinedload(Policy.categories),
            joinedload(Policy.guide),
            selectinload(Policy.steps),
            selectinload(Policy.attachments),
            defaultload(Policy.superseded_by).options(load_only(*LINK_COLUMNS), lazyload(Policy.region)),
        )
    )


_PAGE = {True: _page_statement(True), False: _page_statement(False)}
# What an API record holds: no text, citations or attachments.
_RECORD = (
    select(Policy)
    .where(Policy.id == _ID, PUBLIC)
    .options(
        defer(Policy.body),
        lazyload(Policy.region),
        selectinload(Policy.categories),
        joinedload(Policy.guide),
        selectinload(Policy.steps),
    )
)
# The published documents a policy cites (first) and those citing it, as links.
_OTHER_END = case(
    (policy_citations.c.policy_id == _ID, policy_citations.c.cited_id), else_=policy_citations.c.policy_id
)
_CITATIONS = (
    select(*LINK_COLUMNS)
    .join(policy_citations, Policy.id == _OTHER_END)
    .where(or_(policy_citations.c.policy_id == _ID, policy_citations.c.cited_id == _ID), PUBLIC)
    .order_by((policy_citations.c.policy_id == _ID).desc(), Policy.id)
)


def get_policy(db: Session, policy_id: str, public: bool = True) -> Policy | None:
    """One policy with everything its page shows; only published ones unless `public` is False."""
    return db.scalars(_PAGE[public], {"policy_id": policy_id}).unique().one_or_none()


def get_policy_record(db: Session, policy_id: str) -> Policy | None:
    """One published policy with what its API record holds."""
    return db.scalar(_RECORD, {"policy_id": policy_id})


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


# Published documents sharing a category with a policy, newest first, as links.
_SHARING = (
    select(*LINK_COLUMNS)
    .where(
        Policy.categories.any(Category.id.in_(bindparam("categories", expanding=True))),
        Policy.id.notin_(bindparam("seen", expanding=True)),
        PUBLIC,
    )
    .order_by(Policy.issued_on.desc().nulls_last(), Policy.id)
    .limit(bindparam("limit"))
)


def related_policies(db: Session, policy: Policy, limit: int = 6) -> list[Row]:
    """Documents it cites, documents citing it, then others sharing a category (as links)."""
    seen = {policy.id}
    related: list[Row] = []
    for other in db.execute(_CITATIONS, {"policy_id": policy.id}):
        if other.id not in seen:
            seen.add(other.id)
            related.append(other)
    if len(related) < limit and policy.categories:
        more = {
            "categories": [c.id for c in policy.categories],
            "seen": list(seen),
            "limit": limit - len(related),
        }
        related.extend(db.execute(_SHARING, more))
    return related[:limit]


def latest_policies(
    db: Session, limit: int = 20, category: str | None = None, rows_only: bool = False
) -> list[Policy]:
    """Newest first, by when the library last changed them (what a feed reader wants); `rows_only`:
    just what a list row shows (the home page), no bodies or categories."""
    stmt = select(Policy).where(PUBLIC)
    if rows_only:
        stmt = stmt.options(load_only(*LIST_COLUMNS), lazyload(Policy.region))
    else:
        stmt = stmt.options(selectinload(Policy.categories))
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
            **{k: getattr(guide, k) if guide else None for k in GUIDE_TEXTS},
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


def as_json(data: dict[str, Any]) -> dict[str, Any]:
    """Policy data as revisions and conflicts store it: dates as ISO text."""
    return json.loads(
        json.dumps(
            data, default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v), ensure_ascii=False
        )
    )


def from_json(data: dict[str, Any]) -> dict[str, Any]:
    """Stored policy data (`as_json`) ready to apply: ISO dates back to dates."""
    out = dict(data)
    for name in DATE_FIELDS:
        if out.get(name):
            out[name] = dt.date.fromisoformat(out[name])
    return out
