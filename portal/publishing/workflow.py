"""The publishing state tables: which action moves a policy revision or a policy where.

Pure: no Flask, no database. Services call `check_*` before changing anything.
"""

from __future__ import annotations

from portal.core.states import Transition, WorkflowError, actions_for, check, find

# Revision states. A policy's public record only changes when a revision is published.
REVISION_STATES = ("draft", "in_review", "rejected", "scheduled", "published", "discarded")
OPEN_STATES = ("draft", "in_review", "rejected", "scheduled")
EDITABLE_STATES = ("draft", "rejected")


REVISION_TRANSITIONS = (
    Transition("submit", "draft", "in_review", "editor"),
    Transition("submit", "rejected", "in_review", "editor"),
    Transition("recall", "in_review", "draft", "editor", author_only=True),
    Transition("approve", "in_review", "published", "reviewer", not_author=True),
    # A team with one administrator and no second reviewer is not stuck: the administrator may
    # publish alone, with a written reason that the audit log keeps and the dashboard shows.
    Transition("approve_alone", "in_review", "published", "admin", needs_reason=True),
    Transition("schedule", "in_review", "scheduled", "reviewer", not_author=True),
    Transition("reject", "in_review", "rejected", "reviewer", needs_reason=True, not_author=True),
    Transition("unschedule", "scheduled", "in_review", "reviewer"),
    Transition("publish_due", "scheduled", "published", "system"),
    Transition("discard", "draft", "discarded", "editor", others_need="reviewer"),
    Transition("discard", "rejected", "discarded", "editor", others_need="reviewer"),
)

POLICY_TRANSITIONS = (
    Transition("withdraw", "published", "withdrawn", "reviewer", needs_reason=True),
    Transition("republish", "withdrawn", "published", "reviewer", needs_reason=True),
)

__all__ = ["Transition", "WorkflowError", "actions_for", "check", "find"]
