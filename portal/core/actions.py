"""One way to take a workflow action from a form: check the version, act, and undo if refused."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import flash, redirect, request
from sqlalchemy.orm.exc import StaleDataError

from portal import db
from portal.core.messages import message
from portal.core.problems import UserError
from portal.core.states import WorkflowError


def decide(
    act: Callable[[], object],
    *,
    back: str,
    done: object,
    version: int | None = None,
    after: Callable[[], object] | None = None,
    refusals: Mapping[str, object] | None = None,
):
    """Run `act`; flash what happened and go back to `back` with a 303.

    With `version`, the form must carry the version the person saw (optimistic locking). A
    refused action or a lost race stores nothing, not even what `act` wrote before failing.
    `after` runs only on success (e.g. telling someone of the decision); `refusals` words
    workflow refusal codes for this audience (the shared words cover the rest)."""
    session = db.session()
    sent = request.form.get("version", "")
    if version is not None and (not (sent.isascii() and sent.isdigit()) or int(sent) != version):
        flash(message(WorkflowError("stale"), refusals), "error")
        return redirect(back), 303
    try:
        act()
        session.flush()
    except StaleDataError:
        session.rollback()
        flash(message(WorkflowError("stale"), refusals), "error")
    except UserError as exc:
        session.rollback()
        flash(message(exc, refusals if isinstance(exc, WorkflowError) else None), "error")
    else:
        if after is not None:
            after()
        flash(str(done), "info")
    return redirect(back), 303
