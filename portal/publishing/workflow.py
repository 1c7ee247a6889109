"""The publishing state machine: which action moves a revision or policy where, and who may act.

Pure: no Flask, no database. Services call `check_*` before changing anything.
"""

from __future__ import annotations

from dataclasses import dataclass

# Revision states. A policy's public record only changes when a revision is published.
REVISION_STATES = ("draft", "in_review", "rejected", "scheduled", "published", "discarded")
OPEN_STATES = ("draft", "in_review", "rejected", "scheduled")
EDITABLE_STATES = ("draft", "rejected")


@dataclass(frozen=True)
class Transition:
    """An action allowed from a state, the state it leads to and the role it needs."""

    action: str
    source: str
    target: str
    role: str
    needs_reason: bool = False
    author_only: bool = False
    not_author: bool = False
    # Someone other than the author needs this role (a colleague's draft is not theirs to drop).
    others_need: str | None = None


REVISION_TRANSITIONS = (
    Transition("submit", "draft", "in_review", "editor"),
    Transition("submit", "rejected", "in_review", "editor"),
    Transition("recall", "in_review", "draft", "editor", author_only=True),
    Transition("approve", "in_review", "published", "reviewer", not_author=True),
    Transition("schedule", "in_review", "scheduled", "reviewer", not_author=True),
    Transition("reject", "in_review", "rejected", "reviewer", needs_reason=True, not_author=True),
    Transition("unschedule", "scheduled", "in_review", "reviewer"),
    Transition("publish_due", "scheduled", "published", "system"),
    Transition("discard", "draft", "discarded", "editor", others_need="reviewer"),
    Transition("discard", "rejected", "discarded", "editor", others_need="reviewer"),
)

# A benefit's rules change: drafted by an editor, published by another reviewer once its cases pass.
BENEFIT_TRANSITIONS = (
    Transition("publish", "draft", "published", "reviewer", not_author=True),
    Transition("discard", "draft", "discarded", "editor", others_need="reviewer"),
)

POLICY_TRANSITIONS = (
    Transition("withdraw", "published", "withdrawn", "reviewer", needs_reason=True),
    Transition("republish", "withdrawn", "published", "reviewer", needs_reason=True),
)


class WorkflowError(Exception):
    """The action is not allowed; `code` names the rule, the message is for the user."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def find(transitions, action: str, state: str) -> Transition:
    for t in transitions:
        if t.action == action and t.source == state:
            return t
    raise WorkflowError("not_allowed", f"'{action}' is not possible from '{state}'")


def check(transitions, action: str, state: str, *, roles: set[str], actor_id: int | None,
          author_id: int | None, reason: str | None) -> Transition:
    """Return the transition if the actor may take it now, else raise WorkflowError."""
    t = find(transitions, action, state)
    if t.role != "system" and t.role not in roles:
        raise WorkflowError("role", f"'{action}' needs the {t.role} role")
    if t.role == "system" and "system" not in roles:
        raise WorkflowError("role", f"'{action}' is done by the scheduler only")
    if t.not_author and actor_id is not None and actor_id == author_id:
        raise WorkflowError("own_change", "a reviewer cannot approve or reject their own change")
    if t.author_only and actor_id != author_id:
        raise WorkflowError("not_author", "only the author can recall a submission")
    if t.others_need and actor_id != author_id and t.others_need not in roles:
        raise WorkflowError("others_draft", f"only the author or a {t.others_need} can {action} it")
    if t.needs_reason and not (reason or "").strip():
        raise WorkflowError("reason_required", f"'{action}' needs a reason")
    return t


def actions_for(transitions, state: str) -> list[str]:
    """Actions that exist from `state` (before role checks)."""
    return [t.action for t in transitions if t.source == state and t.role != "system"]
