"""Moderation of proposed events: the listings' table, with staff authors in mind.

Pure: no Flask, no database. As for listings, a reviewer approves, rejects with a reason or asks
a question; the author answers or withdraws. A reviewer never decides on their own proposal.
"""

from __future__ import annotations

from portal.core.states import Transition, WorkflowError, actions_for, check
from portal.operators.workflow import OPEN_STATES, STATES, moderation_table

# Anyone may act as an author (check_action adds the role); a reviewer never decides on their own.
TRANSITIONS = moderation_table("author", not_author=True)
STAFF_ACTIONS = ("approve", "reject", "ask")
AUTHOR_ACTIONS = ("answer", "withdraw")


def check_action(
    action: str,
    state: str,
    *,
    roles: set[str],
    actor_id: int | None,
    author_id: int | None,
    reason: str | None,
) -> Transition:
    """The transition if the actor may take it now, else WorkflowError. Anyone may act as an author;
    `author_only` keeps it to the actual author."""
    return check(
        TRANSITIONS,
        action,
        state,
        roles=roles | {"author"},
        actor_id=actor_id,
        author_id=author_id,
        reason=reason,
    )


def available(state: str, side: str) -> list[str]:
    """Actions from `state` for reviewers ("staff") or for the author."""
    wanted = STAFF_ACTIONS if side == "staff" else AUTHOR_ACTIONS
    return [a for a in actions_for(TRANSITIONS, state) if a in wanted]


__all__ = ["OPEN_STATES", "STATES", "TRANSITIONS", "WorkflowError", "available", "check_action"]
