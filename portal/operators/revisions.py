"""An operator's listing change: its state, the staff's reason or question, answer or withdraw."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user

from portal import db
from portal.core.actions import decide
from portal.core.urls import absolute_url
from portal.i18n import gettext as _
from portal.operators import bp, notify, services, workflow
from portal.operators.access import operator_required
from portal.operators.forms import FIELD_LABELS, AnswerForm
from portal.operators.messages import REFUSALS
from portal.operators.models import PlaceRevision


def _own_revision(revision_id: int) -> PlaceRevision:
    revision = db.session().get(PlaceRevision, revision_id)
    if revision is None:
        abort(404)
    if not services.can_see_revision(db.session(), current_user, revision):
        abort(403)
    return revision


@bp.get("/operator/revisions/<int:revision_id>")
@operator_required
def revision(revision_id: int):
    rev = _own_revision(revision_id)
    actions = workflow.available(rev.state, "operator") if rev.author_id == current_user.id else []
    return render_template(
        "operators/revision.html",
        rev=rev,
        changes=services.field_changes(rev.base, rev.data),
        form=AnswerForm(),
        actions=actions,
        field_labels=FIELD_LABELS,
        photo_url=lambda pid: url_for(".photo_preview", file_id=pid),
        history=services.history(db.session(), "place_revision", rev.place_id, "revision", rev.number),
    )


@bp.post("/operator/revisions/<int:revision_id>/<action>")
@operator_required
def revision_action(revision_id: int, action: str):
    rev = _own_revision(revision_id)
    if action not in workflow.OPERATOR_ACTIONS:
        abort(404)
    form = AnswerForm()
    if action == "answer" and not form.validate_on_submit():
        flash(_("Write your answer."), "error")
        return redirect(url_for(".revision", revision_id=revision_id)), 303
    return decide(
        lambda: services.act(db.session(), current_user, rev, action, form.reason.data),
        back=url_for(".revision", revision_id=revision_id),
        refusals=REFUSALS,
        done=_("Answer sent to the staff.") if action == "answer" else _("Change withdrawn."),
        after=lambda: (
            action == "answer"
            and notify.staff(
                _("Answer on a listing change"), absolute_url("moderation.revision", revision_id=rev.id)
            )
        ),
    )
