"""Staff moderation of claims, listing changes and public feedback. Reviewers decide."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from portal import db
from portal.accounts.auth import role_required
from portal.accounts.models import User
from portal.core import files
from portal.core.actions import decide
from portal.core.files import StoredFile
from portal.core.urls import absolute_url
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.operators import feedback, notify, queue, services, workflow
from portal.operators.forms import FIELD_LABELS, ReasonForm
from portal.operators.models import OperatorProfile, PlaceClaim, PlaceFeedback, PlaceRevision
from portal.places.models import Place
from portal.staff import moderation_bp as bp

# Refusals worded for moderators (the shared workflow words cover the rest).
REFUSALS = {"reason_required": _l("Give a reason: the operator is told it.")}
MESSAGES = {
    "approve": _l("Approved; the operator has been told."),
    "reject": _l("Rejected; the operator has been told why."),
    "ask": _l("Question sent to the operator."),
}


@bp.get("/")
@role_required("reviewer")
def queue_page():
    session = db.session()
    limit = current_app.config["MODERATION_FLAG_WORKING_DAYS"]
    return render_template(
        "moderation/queue.html",
        queue=queue.queue(session, limit),
        limit=limit,
        suggestions=feedback.open_feedback(session),
        form=ReasonForm(),
        names=dict(session.execute(select(Place.id, Place.name)).all()),
    )


@bp.get("/claims/<int:claim_id>")
@role_required("reviewer")
def claim(claim_id: int):
    session = db.session()
    item = session.get(PlaceClaim, claim_id)
    if item is None:
        abort(404)
    return render_template(
        "moderation/claim.html",
        claim=item,
        place=session.get(Place, item.place_id),
        profile=session.get(OperatorProfile, item.user_id),
        form=ReasonForm(),
        actions=workflow.available(item.state, "staff"),
        operators=services.operators_of(session, item.place_id),
        target=lambda action: url_for(".claim_action", claim_id=item.id, action=action),
        history=services.history(db.session(), "place_claim", item.place_id, "claim", item.id),
    )


@bp.get("/revisions/<int:revision_id>")
@role_required("reviewer")
def revision(revision_id: int):
    session = db.session()
    rev = session.get(PlaceRevision, revision_id)
    if rev is None:
        abort(404)
    return render_template(
        "moderation/revision.html",
        rev=rev,
        place=session.get(Place, rev.place_id),
        changes=services.field_changes(rev.base, rev.data),
        form=ReasonForm(),
        profile=session.get(OperatorProfile, rev.author_id),
        actions=workflow.available(rev.state, "staff"),
        field_labels=FIELD_LABELS,
        target=lambda action: url_for(".revision_action", revision_id=rev.id, action=action),
        photo_url=lambda pid: url_for(".photo", file_id=pid),
        history=services.history(db.session(), "place_revision", rev.place_id, "revision", rev.number),
    )


@bp.post("/claims/<int:claim_id>/<action>")
@role_required("reviewer")
def claim_action(claim_id: int, action: str):
    item = db.session().get(PlaceClaim, claim_id)
    if item is None or action not in workflow.STAFF_ACTIONS:
        abort(404)
    place = db.session().get(Place, item.place_id)
    return _decide(
        item,
        action,
        url_for(".claim", claim_id=claim_id),
        _("Your claim on %(name)s", name=place.name),
        absolute_url("operators.claim", claim_id=item.id),
    )


@bp.post("/revisions/<int:revision_id>/<action>")
@role_required("reviewer")
def revision_action(revision_id: int, action: str):
    rev = db.session().get(PlaceRevision, revision_id)
    if rev is None or action not in workflow.STAFF_ACTIONS:
        abort(404)
    return _decide(
        rev,
        action,
        url_for(".revision", revision_id=revision_id),
        _("Your change to %(name)s", name=rev.data.get("name", rev.place_id)),
        absolute_url("operators.revision", revision_id=rev.id),
    )


def _decide(item, action: str, back: str, what: str, link: str):
    session = db.session()
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Reason: use plain text, at most 4000 characters."), "error")
        return redirect(back), 303
    return decide(
        lambda: services.act(session, current_user, item, action, form.reason.data),
        version=item.version,
        back=back,
        done=MESSAGES[action],
        refusals=REFUSALS,
        after=lambda: notify.decision(
            session.get(User, item.author_id), what, action, form.reason.data, link
        ),
    )


@bp.post("/feedback/<int:feedback_id>/handled")
@role_required("reviewer")
def feedback_handled(feedback_id: int):
    item = db.session().get(PlaceFeedback, feedback_id)
    if item is None:
        abort(404)
    if ReasonForm().validate_on_submit():
        feedback.mark_handled(db.session(), current_user, item)
        flash(_("Marked as handled."), "info")
    return redirect(url_for(".queue_page")), 303


@bp.get("/photos/<file_id>")
@role_required("reviewer")
def photo(file_id: str):
    """A photo in a change under review (not public yet)."""
    record = db.session().get(StoredFile, file_id)
    if record is None or record.extension != "jpg":
        abort(404)
    return send_file(files.path_of(current_app.config["UPLOAD_DIR"], record), mimetype="image/jpeg")
