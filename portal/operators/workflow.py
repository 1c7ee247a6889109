"""The moderation state machine for claims and listing revisions, and when to remind operators.

Pure: no Flask, no database. Services call `check` before changing anything, then write one
audit entry per transition.
"""

from __future__ import annotations

import datetime as dt

from portal.core.states import Transition, WorkflowError, actions_for, check

STATES = ("pending", "needs_info", "approved", "rejected", "withdrawn")
OPEN_STATES = ("pending", "needs_info")


def moderation_table(author_role: str, *, not_author: bool = False) -> tuple[Transition, ...]:
    """Staff approve, reject with a reason or ask for more information; the author (who needs
    `author_role`) answers, making the item pending again, or withdraws it. `not_author` keeps a
    reviewer from deciding on their own proposal, where staff can be authors too (events)."""
    return (
        Transition("approve", "pending", "approved", "reviewer", not_author=not_author),
        Transition("reject", "pending", "rejected", "reviewer", needs_reason=True, not_author=not_author),
        Transition("ask", "pending", "needs_info", "reviewer", needs_reason=True, not_author=not_author),
        Transition("answer", "needs_info", "pending", author_role, needs_reason=True, author_only=True),
        Transition("withdraw", "pending", "withdrawn", author_role, author_only=True),
        Transition("withdraw", "needs_info", "withdrawn", author_role, author_only=True),
    )


# Claims and listing revisions are moderated alike, operators being the authors.
TRANSITIONS = moderation_table("operator")
STAFF_ACTIONS = ("approve", "reject", "ask")
OPERATOR_ACTIONS = ("answer", "withdraw")


def check_action(
    action: str,
    state: str,
    *,
    roles: set[str],
    actor_id: int | None,
    author_id: int | None,
    reason: str | None,
) -> Transition:
    """The transition if the actor may take it now, else WorkflowError."""
    return check(
        TRANSITIONS, action, state, roles=roles, actor_id=actor_id, author_id=author_id, reason=reason
    )


def available(state: str, side: str) -> list[str]:
    """Actions from `state` for staff or for the operator (before role and author checks)."""
    wanted = STAFF_ACTIONS if side == "staff" else OPERATOR_ACTIONS
    return [a for a in actions_for(TRANSITIONS, state) if a in wanted]


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days after `start` up to and including `end` (holidays not modelled)."""
    days, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    return days


def is_overdue(submitted: dt.datetime, now: dt.datetime, limit: int) -> bool:
    """Waiting more than `limit` working days for a decision."""
    return working_days_between(submitted.date(), now.date()) > limit


def reminder_due(
    last_confirmed: dt.date | None, reminded: dt.date | None, today: dt.date, period_days: int, lead_days: int
) -> bool:
    """Whether to remind the operators now: `lead_days` before the confirmation runs out (or at
    once when it never was), and only once per confirmation."""
    if last_confirmed is None:
        return reminded is None
    if reminded is not None and reminded >= last_confirmed:
        return False
    return today >= last_confirmed + dt.timedelta(days=period_days - lead_days)


__all__ = [
    "OPEN_STATES",
    "STATES",
    "TRANSITIONS",
    "WorkflowError",
    "available",
    "check_action",
    "is_overdue",
    "moderation_table",
    "reminder_due",
    "working_days_between",
]
