"""The moderation state machine for claims and listing revisions, and when to remind operators.

Pure: no Flask, no database. Services call `check` before changing anything, then write one
audit entry per transition.
"""

from __future__ import annotations

import datetime as dt

from portal.core.states import Transition, WorkflowError, actions_for, check

STATES = ("pending", "needs_info", "approved", "rejected", "withdrawn")
OPEN_STATES = ("pending", "needs_info")

# Claims and revisions are moderated alike: staff approve, reject with a reason or ask for more
# information; the operator answers (the item is pending again) or withdraws it.
TRANSITIONS = (
    Transition("approve", "pending", "approved", "reviewer"),
    Transition("reject", "pending", "rejected", "reviewer", needs_reason=True),
    Transition("ask", "pending", "needs_info", "reviewer", needs_reason=True),
    Transition("answer", "needs_info", "pending", "operator", needs_reason=True, author_only=True),
    Transition("withdraw", "pending", "withdrawn", "operator", author_only=True),
    Transition("withdraw", "needs_info", "withdrawn", "operator", author_only=True),
)
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
    "reminder_due",
    "working_days_between",
]
