"""The generic state-transition table every workflow uses: who may move what from where to where.

Pure: no Flask, no database. A workflow is a tuple of `Transition`s; services call `check` before
changing anything and write one audit entry per transition.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.core.problems import UserError


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


class WorkflowError(UserError):
    """The action is not allowed now; `code` names the rule that refused it."""


def find(transitions, action: str, state: str) -> Transition:
    for t in transitions:
        if t.action == action and t.source == state:
            return t
    raise WorkflowError("not_allowed", action=action, state=state)


def check(
    transitions,
    action: str,
    state: str,
    *,
    roles: set[str],
    actor_id: int | None,
    author_id: int | None,
    reason: str | None,
) -> Transition:
    """Return the transition if the actor may take it now, else raise WorkflowError."""
    t = find(transitions, action, state)
    if t.role != "system" and t.role not in roles:
        raise WorkflowError("role", action=action, role=t.role)
    if t.role == "system" and "system" not in roles:
        raise WorkflowError("role", action=action, role="system")
    if t.not_author and actor_id is not None and actor_id == author_id:
        raise WorkflowError("own_change", action=action)
    if t.author_only and actor_id != author_id:
        raise WorkflowError("not_author", action=action)
    if t.others_need and actor_id != author_id and t.others_need not in roles:
        raise WorkflowError("others_draft", action=action, role=t.others_need)
    if t.needs_reason and not (reason or "").strip():
        raise WorkflowError("reason_required", "reason", action=action)
    return t


def actions_for(transitions, state: str) -> list[str]:
    """Actions that exist from `state` (before role checks)."""
    return [t.action for t in transitions if t.source == state and t.role != "system"]
