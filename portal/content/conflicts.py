"""A content load never overwrites what staff published: it records a conflict for staff to decide.

Each policy and benefit keeps `file_hash`, the hash of its file as last loaded. A load compares the
file with it and with `content_hash` (what the database holds now):
- the database already equals the file: nothing to do;
- the file did not change since the last load: the database stays (staff may have changed it);
- the file changed and the database still holds the last loaded file: the file is applied;
- the file changed and so did the database: a conflict, unless the operator forces the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.content.models import ContentConflict
from portal.core.audit import audit
from portal.core.clock import utcnow
from portal.core.locks import claim_state
from portal.core.outbox import enqueue
from portal.eligibility.models import Benefit, BenefitRevision
from portal.policies.models import Category, Policy
from portal.policies.services import apply_policy_data, as_json, from_json, policy_data
from portal.publishing.models import PolicyRevision
from portal.publishing.services import field_diff

SAME, KEEP, UPDATE, CONFLICT = "same", "keep", "update", "conflict"
# What staff may decide: keep the database version, or take the file's.
CHOICES = ("keep_db", "take_file")


@dataclass
class Conflict:
    """One item whose file and database versions both changed, as the load reports it."""

    entity_type: str
    entity_id: str
    changes: list[dict[str, Any]] = field(default_factory=list)  # field, before (db), after (file)

    @property
    def fields(self) -> list[str]:
        return [c["field"] for c in self.changes]


def classify(
    current_hash: str | None, last_file_hash: str | None, new_file_hash: str, staff_published: bool
) -> str:
    """What a load should do with one item (see the module docstring)."""
    if current_hash == new_file_hash:
        return SAME
    if last_file_hash is None:
        # Loaded before file hashes were kept: a published staff revision means staff changed it.
        return CONFLICT if staff_published else UPDATE
    if new_file_hash == last_file_hash:
        return KEEP
    if current_hash == last_file_hash:
        return UPDATE
    return CONFLICT


def policy_published_by_staff(db: Session, policy_id: str) -> bool:
    stmt = select(PolicyRevision.id).where(
        PolicyRevision.policy_id == policy_id, PolicyRevision.state == "published"
    )
    return db.scalar(stmt.limit(1)) is not None


def benefit_published_by_staff(db: Session, benefit_id: str) -> bool:
    stmt = select(BenefitRevision.id).where(
        BenefitRevision.benefit_id == benefit_id, BenefitRevision.state == "published"
    )
    return db.scalar(stmt.limit(1)) is not None


def policy_changes(db_policy: Policy, file_data: dict[str, Any]) -> list[dict[str, Any]]:
    return field_diff(as_json(policy_data(db_policy)), as_json(file_data))


def benefit_changes(db_definition: dict[str, Any], file_definition: dict[str, Any]) -> list[dict[str, Any]]:
    changes = []
    for name in sorted(set(db_definition) | set(file_definition)):
        before, after = db_definition.get(name), file_definition.get(name)
        if before != after:
            changes.append({"field": name, "before": _show(before), "after": _show(after)})
    return changes


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str)


def record(
    db: Session,
    entity_type: str,
    entity_id: str,
    file_hash: str,
    file_data: dict[str, Any],
    db_data: dict[str, Any],
    changes: list[dict[str, Any]],
) -> Conflict:
    """Open (or refresh) the item's conflict in the staff queue; one open conflict per item."""
    row = db.scalar(
        select(ContentConflict).where(
            ContentConflict.entity_type == entity_type,
            ContentConflict.entity_id == entity_id,
            ContentConflict.state == "open",
        )
    )
    fields = [c["field"] for c in changes]
    if row is None or row.file_hash != file_hash:
        if row is None:
            row = ContentConflict(
                entity_type=entity_type, entity_id=entity_id, state="open", created_at=utcnow()
            )
            db.add(row)
        row.file_hash, row.file_data, row.db_data = file_hash, as_json(file_data), as_json(db_data)
        row.fields = fields
        db.flush()
        audit(
            db,
            None,
            entity_type,
            entity_id,
            "content_conflict",
            via="content load",
            fields=fields,
            conflict=row.id,
        )
    return Conflict(entity_type, entity_id, changes)


def close_open(db: Session, entity_type: str, entity_id: str, state: str, user: User | None) -> None:
    """Mark the item's open conflict decided (after a forced load took the file)."""
    for row in db.scalars(
        select(ContentConflict).where(
            ContentConflict.entity_type == entity_type,
            ContentConflict.entity_id == entity_id,
            ContentConflict.state == "open",
        )
    ):
        row.state, row.decided_at, row.decided_by = state, utcnow(), user.id if user else None


class DecisionError(ValueError):
    """The conflict was decided already or the item is gone."""


def decide(db: Session, user: User, conflict: ContentConflict, choice: str) -> None:
    """Keep the database version (the file is noted as seen) or take the file version; audited."""
    if conflict.state != "open":
        raise DecisionError("already decided")
    if choice not in CHOICES:
        raise DecisionError("unknown choice")
    if conflict.entity_type == "policy":
        item = db.get(Policy, conflict.entity_id)
    else:
        item = db.get(Benefit, conflict.entity_id)
    if item is None:
        raise DecisionError("the item no longer exists")
    if not claim_state(db, conflict, "open", "took_file" if choice == "take_file" else "kept_db"):
        raise DecisionError("already decided")  # by another reviewer a moment ago
    if choice == "take_file":
        if conflict.entity_type == "policy":
            apply_policy_file(db, from_json(conflict.file_data))
        else:
            apply_benefit_file(db, conflict.file_data, conflict.file_hash)
        enqueue(db, conflict.entity_type, conflict.entity_id)
    item.file_hash = conflict.file_hash
    conflict.decided_at, conflict.decided_by = utcnow(), user.id
    audit(
        db,
        user,
        conflict.entity_type,
        conflict.entity_id,
        f"conflict_{choice}",
        "open",
        conflict.state,
        conflict=conflict.id,
        fields=conflict.fields,
    )
    db.flush()


def apply_policy_file(db: Session, data: dict[str, Any]) -> Policy:
    """Write a policy file's data over the database record, citations included."""
    categories = {c.id: c for c in db.scalars(select(Category))}
    policy = apply_policy_data(db, data, categories)
    policy.file_hash = data["content_hash"]
    db.flush()
    policy.cites = [p for p in (db.get(Policy, c) for c in data.get("cites", [])) if p is not None]
    return policy


def apply_benefit_file(db: Session, definition: dict[str, Any], file_hash: str) -> str:
    from portal.eligibility.services import apply_benefit_definition

    outcome = apply_benefit_definition(db, definition, file_hash)
    db.get(Benefit, definition["id"]).file_hash = file_hash
    return outcome
