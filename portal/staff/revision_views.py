"""A policy revision: its review page with the diff, and the workflow actions on it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from portal import db
from portal.accounts.auth import role_required
from portal.core.actions import decide
from portal.core.localtime import from_display
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.i18n import localized
from portal.policies.fields import REVISION_FIELDS
from portal.policies.models import Category, Policy
from portal.publishing import services as publishing
from portal.publishing import workflow
from portal.publishing.models import PolicyRevision
from portal.regions.services import all_regions
from portal.staff import bp, services
from portal.staff.forms import ActionForm


@bp.get("/revisions/<int:revision_id>")
@role_required("editor")
def revision(revision_id: int):
    session = db.session()
    rev = session.get(PolicyRevision, revision_id)
    if rev is None:
        abort(404)
    policy = session.get(Policy, rev.policy_id)
    base = publishing.revision_base(session, rev)
    return render_template(
        "staff/revision.html",
        rev=rev,
        policy=policy,
        changes=_readable_changes(session, base, rev.data),
        form=ActionForm(),
        actions=workflow.actions_for(workflow.REVISION_TRANSITIONS, rev.state),
        history=services.audit_log(session, rev.policy_id, None, 1, 20),
    )


def _readable_changes(session, base, data):
    """The revision's changes field by field, codes and identifiers as names, texts word by word."""
    from portal.publishing.readable import readable_changes

    names = {
        "region_id": {r.id: localized(r, "name") for r in all_regions(session)},
        "categories": {c.id: localized(c, "name") for c in session.scalars(select(Category))},
        "cites": dict(session.execute(select(Policy.id, Policy.title)).all()),
    }
    return readable_changes(base, data, REVISION_FIELDS, names)


ACTION_MESSAGES = {
    "submit": _l("Sent for review."),
    "recall": _l("Taken back to draft."),
    "approve": _l("Published."),
    "schedule": _l("Scheduled for publication."),
    "reject": _l("Returned to the author."),
    "unschedule": _l("Publication cancelled; back in review."),
    "discard": _l("Draft discarded."),
    "approve_alone": _l(
        "Published without a second reviewer; the reason is in the audit log and on the dashboard."
    ),
}


@bp.post("/revisions/<int:revision_id>/<action>")
@role_required("editor")
def revision_action(revision_id: int, action: str):
    session = db.session()
    rev = session.get(PolicyRevision, revision_id)
    if rev is None:
        abort(404)
    if action not in ACTION_MESSAGES:
        abort(404)
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("The form could not be read. Try again."), "error")
        return redirect(url_for(".revision", revision_id=revision_id)), 303
    publish_at = from_display(form.publish_at.data) if form.publish_at.data else None  # typed local time
    return decide(
        lambda: publishing.act(
            session, current_user, rev, action, reason=form.reason.data, publish_at=publish_at
        ),
        version=rev.version,
        back=url_for(".revision", revision_id=revision_id),
        done=ACTION_MESSAGES[action],
    )
