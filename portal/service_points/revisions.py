"""Staff changes to a service point: YAML drafted by an editor, reviewed and published by another person.

The same states and rules as a policy revision (draft → in review → published, or returned with a
reason); every step is in the audit log and the published entry stays public meanwhile.
"""

from __future__ import annotations

import difflib
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts.models import User, roles_of
from portal.core.audit import audit
from portal.core.clock import utcnow
from portal.core.content_checks import Problems
from portal.core.content_files import parse_yaml
from portal.core.outbox import enqueue
from portal.publishing import workflow
from portal.regions.models import Region
from portal.service_points.content import definition_hash, read_definition
from portal.service_points.models import ServicePoint, ServicePointRevision
from portal.service_points.services import apply_definition, place_id

MAX_SOURCE_CHARS = 20_000
OPEN = ("draft", "in_review", "rejected")
ACTIONS = ("submit", "recall", "approve", "reject", "discard")


def check_source(db: Session, source: str, expected_id: str | None) -> tuple[dict | None, list[str]]:
    """Parse and check one service point; problems read "field: message"."""
    if len(source) > MAX_SOURCE_CHARS:
        return None, [f"source: is longer than {MAX_SOURCE_CHARS} characters"]
    try:
        data = parse_yaml(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [f"source: is not valid YAML (line {mark.line + 1 if mark else 0})"]
    except ValueError:
        return None, ["source: holds an impossible date"]
    problems = Problems()
    definition = read_definition(data, "entry", set(db.scalars(select(Region.id))), problems)
    messages = [p.removeprefix("entry: field ").replace("'", "", 2) for p in problems.items]
    if expected_id and definition.get("id") and definition["id"] != expected_id:
        messages.append(f"id: must stay '{expected_id}'")
    return (None, messages) if messages else (definition, [])


def open_revision(db: Session, point_id: str) -> ServicePointRevision | None:
    return db.scalar(
        select(ServicePointRevision).where(
            ServicePointRevision.service_point_id == point_id, ServicePointRevision.state.in_(OPEN)
        )
    )


def save_draft(db: Session, user: User, point_id: str, source: str, definition: dict) -> ServicePointRevision:
    """Store a checked entry as the open draft (a returned revision becomes a draft again)."""
    revision = open_revision(db, point_id)
    if revision is not None and revision.state not in workflow.EDITABLE_STATES:
        raise workflow.WorkflowError("not_editable")
    if revision is None:
        number = (
            db.scalar(
                select(func.max(ServicePointRevision.number)).where(
                    ServicePointRevision.service_point_id == point_id
                )
            )
            or 0
        ) + 1
        revision = ServicePointRevision(
            service_point_id=point_id, number=number, state="draft", author_id=user.id, created_at=utcnow()
        )
        db.add(revision)
        action = "create_revision"
    else:
        action = "edit_revision"
    revision.definition, revision.source_text, revision.updated_at = definition, source, utcnow()
    db.flush()
    audit(db, user, "service_point", point_id, action, None, revision.state, revision=revision.number)
    return revision


def act(
    db: Session,
    user: User,
    revision: ServicePointRevision,
    action: str,
    reason: str | None,
) -> None:
    """Submit, recall, approve (publish), return or discard a revision, checking role and state.

    The caller checks the version the person saw (`core.actions.decide`); the revision's lock
    version makes a concurrent decision fail when flushed."""
    if action not in ACTIONS:
        raise workflow.WorkflowError("not_allowed", action=action, state=revision.state)
    t = workflow.check(
        workflow.REVISION_TRANSITIONS,
        action,
        revision.state,
        roles=roles_of(user),
        actor_id=user.id,
        author_id=revision.author_id,
        reason=reason,
    )
    if action == "approve":
        definition = revision.definition
        apply_definition(db, definition, definition_hash(definition))
        enqueue(db, "place", place_id(revision.service_point_id))
    if action in ("approve", "reject"):
        revision.reviewer_id, revision.decided_at = user.id, utcnow()
    revision.reason = reason if action == "reject" else revision.reason
    revision.state, revision.updated_at = t.target, utcnow()
    db.flush()
    audit(
        db,
        user,
        "service_point",
        revision.service_point_id,
        action,
        t.source,
        t.target,
        reason=reason if t.needs_reason else None,
        revision=revision.number,
    )


def yaml_text(definition: dict[str, Any]) -> str:
    return yaml.safe_dump(definition, allow_unicode=True, sort_keys=False, width=100)


def diff_lines(before: str, after: str) -> list[str]:
    return list(
        difflib.unified_diff(before.splitlines(), after.splitlines(), "published", "draft", lineterm="", n=2)
    )[2:]


def published(db: Session, point_id: str) -> ServicePoint | None:
    return db.get(ServicePoint, point_id)
