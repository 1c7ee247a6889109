"""Claims: find a listing, claim it with evidence, answer staff questions or withdraw."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import or_, select

from portal import db
from portal.core import files
from portal.core.actions import decide
from portal.core.files import StoredFile
from portal.core.messages import message
from portal.core.textmatch import contains
from portal.core.urls import absolute_url
from portal.i18n import gettext as _
from portal.operators import bp, notify, services, workflow
from portal.operators.access import operator_required
from portal.operators.forms import AnswerForm, ClaimForm
from portal.operators.messages import REFUSALS
from portal.operators.models import PlaceClaim
from portal.places.models import Place


@bp.get("/operator/claim")
@operator_required
def find_place():
    text = (request.args.get("q") or "").strip()[:100]
    rows = []
    if text:
        rows = (
            db.session()
            .scalars(
                select(Place)
                .where(
                    Place.publication_state == "published",
                    or_(contains(Place.name, text), contains(Place.name_en, text), Place.id == text),
                )
                .order_by(Place.name)
                .limit(30)
            )
            .all()
        )
    return render_template("operators/find_place.html", q=text, rows=rows)


@bp.route("/operator/places/<place_id>/claim", methods=["GET", "POST"])
@operator_required
def claim_place(place_id: str):
    session = db.session()
    place = session.get(Place, place_id)
    if place is None or not place.is_public:
        abort(404)
    form = ClaimForm()
    status = 200
    if services.is_operator_of(session, current_user, place.id):
        form.evidence.errors = [_("You already operate this listing.")]
        status = 409 if form.is_submitted() else 200
    elif services.open_claim(session, current_user, place.id) is not None:
        # Checked before storing anything, so a double submit leaves no stray file either.
        form.evidence.errors = [_("You have already claimed this listing; staff will decide soon.")]
        status = 409 if form.is_submitted() else 200
    elif form.validate_on_submit():
        upload = form.evidence.data
        if not getattr(upload, "filename", ""):
            form.evidence.errors = [_("Attach a document that shows you run this space.")]
            status = 400
        else:
            try:
                record = _store_upload(upload)
                claim = services.start_claim(session, current_user, place, record.id, form.note.data or "")
            except files.UploadError as exc:
                form.evidence.errors = [message(exc)]
                status = 400
            except services.OperatorError:
                form.evidence.errors = [_("You have already claimed this listing; staff will decide soon.")]
                status = 409
            else:
                notify.staff(
                    _("New claim on %(name)s", name=place.name),
                    absolute_url("moderation.claim", claim_id=claim.id),
                )
                flash(_("Claim sent. Staff check the evidence and tell you by email."), "info")
                return redirect(url_for(".claim", claim_id=claim.id)), 303
    elif form.is_submitted():
        status = 400
    return render_template("operators/claim_form.html", form=form, place=place), status


def _store_upload(upload) -> StoredFile:
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    return files.store(
        db.session(),
        current_app.config["UPLOAD_DIR"],
        upload.read(limit + 1),
        upload.filename,
        limit,
        current_user.id,
    )


def _own_claim(claim_id: int) -> PlaceClaim:
    claim = db.session().get(PlaceClaim, claim_id)
    if claim is None:
        abort(404)
    if claim.user_id != current_user.id:
        abort(403)
    return claim


@bp.get("/operator/claims/<int:claim_id>")
@operator_required
def claim(claim_id: int):
    item = _own_claim(claim_id)
    return render_template(
        "operators/claim.html",
        claim=item,
        place=db.session().get(Place, item.place_id),
        form=AnswerForm(),
        actions=workflow.available(item.state, "operator"),
        history=services.history(db.session(), "place_claim", item.place_id, "claim", item.id),
    )


@bp.post("/operator/claims/<int:claim_id>/<action>")
@operator_required
def claim_action(claim_id: int, action: str):
    item = _own_claim(claim_id)
    if action not in workflow.OPERATOR_ACTIONS:
        abort(404)
    form = AnswerForm()
    if action == "answer" and not form.validate_on_submit():
        flash(_("Write your answer."), "error")
        return redirect(url_for(".claim", claim_id=claim_id)), 303
    session = db.session()

    def answer_or_withdraw():
        if action == "answer" and getattr(form.evidence.data, "filename", ""):
            item.evidence_file_id = _store_upload(form.evidence.data).id
        services.act(session, current_user, item, action, form.reason.data)

    return decide(
        answer_or_withdraw,
        back=url_for(".claim", claim_id=claim_id),
        refusals=REFUSALS,
        done=_("Answer sent to the staff.") if action == "answer" else _("Claim withdrawn."),
        after=lambda: (
            action == "answer"
            and notify.staff(_("Answer on a claim"), absolute_url("moderation.claim", claim_id=item.id))
        ),
    )
