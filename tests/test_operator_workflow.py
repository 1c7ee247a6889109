"""The moderation state machine and the freshness rules, without Flask or a database."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.operators import workflow
from portal.places.freshness import fresh_on

STAFF = {"reviewer", "editor"}


def test_staff_decide_and_operators_answer():
    assert (
        workflow.check_action("approve", "pending", roles=STAFF, actor_id=1, author_id=2, reason=None).target
        == "approved"
    )
    assert (
        workflow.check_action(
            "ask", "pending", roles=STAFF, actor_id=1, author_id=2, reason="备案号？"
        ).target
        == "needs_info"
    )
    assert (
        workflow.check_action(
            "answer", "needs_info", roles={"operator"}, actor_id=2, author_id=2, reason="见附件"
        ).target
        == "pending"
    )
    assert workflow.available("needs_info", "staff") == []
    assert workflow.available("pending", "staff") == ["approve", "reject", "ask"]
    assert workflow.available("pending", "operator") == ["withdraw"]


@pytest.mark.parametrize(
    ("action", "state", "roles", "actor", "reason", "code"),
    [
        ("reject", "pending", STAFF, 1, " ", "reason_required"),
        ("ask", "pending", STAFF, 1, "", "reason_required"),
        ("approve", "pending", {"operator"}, 2, None, "role"),
        ("approve", "needs_info", STAFF, 1, None, "not_allowed"),  # wait for the answer
        ("approve", "rejected", STAFF, 1, None, "not_allowed"),
        ("answer", "needs_info", {"operator"}, 3, "x", "not_author"),
        ("withdraw", "approved", {"operator"}, 2, None, "not_allowed"),
    ],
)
def test_refused_transitions(action, state, roles, actor, reason, code):
    with pytest.raises(workflow.WorkflowError) as err:
        workflow.check_action(action, state, roles=roles, actor_id=actor, author_id=2, reason=reason)
    assert err.value.code == code


def test_working_days_skip_weekends():
    friday = dt.date(2026, 11, 27)
    assert workflow.working_days_between(friday, dt.date(2026, 11, 30)) == 1  # to Monday
    assert workflow.working_days_between(friday, dt.date(2026, 12, 4)) == 5
    submitted = dt.datetime(2026, 11, 27, 9)
    assert not workflow.is_overdue(submitted, dt.datetime(2026, 12, 4, 17), 5)
    assert workflow.is_overdue(submitted, dt.datetime(2026, 12, 7, 9), 5)


def test_freshness_and_reminders():
    confirmed = dt.date(2026, 9, 1)
    assert fresh_on(confirmed, dt.date(2026, 11, 30), 90)
    assert not fresh_on(confirmed, dt.date(2026, 12, 1), 90)
    assert not fresh_on(None, dt.date(2026, 12, 1), 90)
    assert not workflow.reminder_due(confirmed, None, dt.date(2026, 11, 15), 90, 14)
    assert workflow.reminder_due(confirmed, None, dt.date(2026, 11, 16), 90, 14)
    assert not workflow.reminder_due(confirmed, dt.date(2026, 11, 16), dt.date(2026, 11, 20), 90, 14)
    assert workflow.reminder_due(dt.date(2026, 12, 1), dt.date(2026, 11, 16), dt.date(2027, 2, 15), 90, 14)
    assert workflow.reminder_due(None, None, dt.date(2026, 12, 1), 90, 14)
    assert not workflow.reminder_due(None, dt.date(2026, 11, 1), dt.date(2026, 12, 1), 90, 14)
