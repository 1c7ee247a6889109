"""Publishing operations: revisions, transitions, withdrawals and scheduled work.

They flush but never commit: the request (or command) owns the transaction, so the policy change,
its audit entry and its search-outbox row are committed together or not at all.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts.models import User, roles_of
from portal.core.audit import audit
from portal.core.clock import utcnow
from portal.core.locks import try_transaction_lock
from portal.core.outbox import enqueue
from portal.policies.fields import REVISION_FIELDS
from portal.policies.models import Category, Policy
from portal.policies.services import apply_policy_data, as_json, from_json, policy_data
from portal.publishing import workflow
from portal.publishing.models import PolicyRevision


def open_revision(db: Session, policy_id: str) -> PolicyRevision | None:
    """The revision currently being worked on for a policy, if any (at most one is open)."""
    stmt = select(PolicyRevision).where(
        PolicyRevision.policy_id == policy_id, PolicyRevision.state.in_(workflow.OPEN_STATES)
    )
    return db.scalar(stmt)


def data_hash(data: dict[str, Any]) -> str:
    payload = {k: v for k, v in data.items() if k != "content_hash"}
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()


def start_revision(db: Session, user: User, policy: Policy | None, data: dict[str, Any]) -> PolicyRevision:
    """Open a revision: of an existing policy (its published record stays visible) or a new one."""
    existing = open_revision(db, data["id"])
    if existing is not None:
        raise workflow.WorkflowError("open_revision")
    number = (
        db.scalar(select(func.max(PolicyRevision.number)).where(PolicyRevision.policy_id == data["id"])) or 0
    ) + 1
    revision = PolicyRevision(
        policy_id=data["id"],
        number=number,
        state="draft",
        data=as_json(data),
        base_hash=policy.content_hash if policy else None,
        author_id=user.id,
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    db.add(revision)
    db.flush()
    audit(db, user, "policy", data["id"], "create_revision", None, "draft", revision=revision.number)
    return revision


def save_revision(db: Session, user: User, revision: PolicyRevision, data: dict[str, Any]) -> None:
    """Store edited data; a rejected revision becomes a draft again when edited."""
    if revision.state not in workflow.EDITABLE_STATES:
        raise workflow.WorkflowError("not_editable")
    before = revision.state
    revision.data = as_json(data)
    revision.updated_at = utcnow()
    if revision.state == "rejected":
        revision.state = "draft"
    audit(db, user, "policy", revision.policy_id, "edit", before, revision.state, revision=revision.number)
    db.flush()


def act(
    db: Session,
    user: User,
    revision: PolicyRevision,
    action: str,
    reason: str | None = None,
    publish_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> str:
    """Take a workflow action on a revision; returns the new state."""
    now = now or utcnow()
    roles = {"system"} if user is None else roles_of(user)
    if action == "approve" and publish_at is not None and publish_at > now:
        action = "schedule"
    t = workflow.check(
        workflow.REVISION_TRANSITIONS,
        action,
        revision.state,
        roles=roles,
        actor_id=user.id if user else None,
        author_id=revision.author_id,
        reason=reason,
    )
    before = revision.state
    revision.state = t.target
    revision.updated_at = now
    if action == "submit":
        revision.submitted_at = now
    if action in {"approve", "approve_alone", "schedule", "reject"}:
        revision.reviewer_id = user.id
        revision.decided_at = now
        revision.reason = reason
    if action == "schedule":
        revision.publish_at = publish_at
    if action == "unschedule":
        revision.publish_at = None
    if t.target == "published":
        _publish(db, revision, now)
    audit(
        db,
        user,
        "policy",
        revision.policy_id,
        action,
        before,
        t.target,
        reason,
        revision=revision.number,
        publish_at=publish_at.isoformat() if publish_at and action == "schedule" else None,
    )
    db.flush()
    return t.target


def _publish(db: Session, revision: PolicyRevision, now: dt.datetime) -> None:
    data = from_json(revision.data)
    data["content_hash"] = data_hash(revision.data)
    categories = {c.id: c for c in db.scalars(select(Category))}
    policy = apply_policy_data(db, data, categories)
    policy.cites = [p for p in (db.get(Policy, c) for c in data.get("cites", [])) if p is not None]
    if policy.publication_state != "published":
        policy.publication_state = "published"
    policy.published_at = now
    enqueue(db, "policy", policy.id)


def change_policy_state(db: Session, user: User, policy: Policy, action: str, reason: str) -> str:
    """Withdraw a published policy or put a withdrawn one back; the index follows."""
    t = workflow.check(
        workflow.POLICY_TRANSITIONS,
        action,
        policy.publication_state,
        roles=roles_of(user),
        actor_id=user.id,
        author_id=None,
        reason=reason,
    )
    before = policy.publication_state
    policy.publication_state = t.target
    enqueue(db, "policy", policy.id)
    audit(db, user, "policy", policy.id, action, before, t.target, reason)
    db.flush()
    return t.target


RUN_DUE_LOCK = "publishing.run_due"


def run_due(db: Session, now: dt.datetime | None = None) -> dict[str, int] | None:
    """Publish scheduled revisions whose time has come and mark policies past their end expired.

    Returns None, doing nothing, while another host or worker runs it (a lock held until the
    caller's commit); rows another transaction has locked are left to it (SKIP LOCKED).
    """
    if not try_transaction_lock(db, RUN_DUE_LOCK):
        return None
    now = now or utcnow()
    published = 0
    due = db.scalars(
        select(PolicyRevision)
        .where(PolicyRevision.state == "scheduled", PolicyRevision.publish_at <= now)
        .with_for_update(skip_locked=True, of=PolicyRevision)
    )
    for revision in list(due):
        act(db, None, revision, "publish_due", now=now)
        published += 1
    expired = 0
    stmt = (
        select(Policy)
        .where(Policy.effective_to < now.date(), Policy.status == "in_force")
        .with_for_update(skip_locked=True, of=Policy)
    )
    for policy in list(db.scalars(stmt)):
        policy.status = "expired"
        enqueue(db, "policy", policy.id)
        audit(
            db,
            None,
            "policy",
            policy.id,
            "expire",
            "in_force",
            "expired",
            effective_to=policy.effective_to.isoformat(),
        )
        expired += 1
    db.flush()
    return {"published": published, "expired": expired}


def field_diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[dict[str, Any]]:
    """Field-by-field differences; long text fields get a line diff."""
    old = old or {}
    changes = []
    for name in REVISION_FIELDS:
        before, after = _show(old.get(name)), _show(new.get(name))
        if before == after:
            continue
        lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=1))
        changes.append({"field": name, "before": before, "after": after, "lines": lines[2:]})
    return changes


def revision_base(db: Session, revision: PolicyRevision) -> dict[str, Any] | None:
    policy = db.get(Policy, revision.policy_id)
    return as_json(policy_data(policy)) if policy is not None else None


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str)
