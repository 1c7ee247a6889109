"""Operator pages (sign-up, home, claims, the listing editor) and the public feedback form.

Each view checks role and ownership, calls a service and redirects; errors name the field.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import or_, select

from portal import db
from portal.accounts import mail
from portal.accounts.auth import role_required
from portal.accounts.models import User
from portal.accounts.services import AccountError, normalise_email
from portal.core import files
from portal.core.actions import decide
from portal.core.clock import utcnow
from portal.core.files import StoredFile
from portal.core.messages import message
from portal.core.urls import absolute_url
from portal.operators import feedback, freshness, locations, notify, registration, services, workflow
from portal.operators.access import operator_required
from portal.operators.editing import EditError, form_data, listing_form, location_message
from portal.operators.forms import FIELD_LABELS, AnswerForm, ClaimForm, SignupForm
from portal.operators.models import PlaceClaim, PlaceRevision
from portal.places import freshness as place_freshness
from portal.places.models import Place

# Refusals worded for operators: the item changed under them (the shared words cover the rest).
REFUSALS = {
    "not_allowed": _l("This is no longer possible: it has been decided or changed. Check it again."),
    "stale": _l("This is no longer possible: it has been decided or changed. Check it again."),
}
bp = Blueprint("operators", __name__)


def _own_place(place_id: str) -> Place:
    place = db.session().get(Place, place_id)
    if place is None:
        abort(404)
    if not services.is_operator_of(db.session(), current_user, place_id):
        # Say why and what to do instead of a bare "forbidden".
        abort(make_response(render_template("operators/not_yours.html", place=place), 403))
    return place


def continue_path(raw: str | None) -> str | None:
    """Where to go after signing up: only the portal's own operator pages (not an open redirect)."""
    if not raw or not raw.startswith("/operator/") or "//" in raw or "\\" in raw or len(raw) > 300:
        return None
    return raw


# -- sign-up -------------------------------------------------------------------------------------
@bp.route("/operator/signup", methods=["GET", "POST"])
def signup():
    form = SignupForm()
    # A claim (or new listing) started before signing up continues after the address is confirmed.
    next_path = continue_path(request.args.get("next"))
    if form.validate_on_submit():
        session = db.session()
        try:
            user = registration.sign_up(
                session,
                form.email.data,
                form.password.data,
                form.organisation.data,
                form.contact_name.data,
                form.phone.data,
            )
        except AccountError:
            # Say the same as for a new account; the owner of the address learns it already has one,
            # or gets a fresh link when it was never confirmed (the first one may have expired).
            existing = session.scalar(select(User).where(User.email == normalise_email(form.email.data)))
            if (
                existing is not None
                and existing.role == "operator"
                and not registration.is_verified(session, existing)
            ):
                notify.verification(existing, next_path)
                return redirect(url_for(".signup_sent")), 303
            mail.send(
                normalise_email(form.email.data),
                _("Your account on the portal"),
                _(
                    "Someone tried to sign up with this address, which already has an account. "
                    "Sign in, or reset the password:"
                )
                + "\n\n"
                + absolute_url("accounts.forgot"),
            )
        else:
            notify.verification(user, next_path)
        return redirect(url_for(".signup_sent")), 303
    return (render_template("operators/signup.html", form=form, next_path=next_path),
            400 if form.is_submitted() else 200)


@bp.get("/operator/signup/sent")
def signup_sent():
    return render_template("operators/signup_sent.html")


@bp.get("/operator/verify/<token>")
def verify(token: str):
    try:
        registration.verify_email(db.session(), current_app.config["SECRET_KEY"], token)
    except services.OperatorError:
        return render_template("operators/verify_invalid.html"), 400
    flash(_("Your email address is confirmed. Sign in to list or claim your space."), "info")
    return redirect(url_for("accounts.login", next=continue_path(request.args.get("next"))))


# -- home ----------------------------------------------------------------------------------------
@bp.get("/operator/")
@operator_required
def home():
    session = db.session()
    ids = services.operated_place_ids(session, current_user.id)
    places = [session.get(Place, pid) for pid in ids]
    mine = or_(PlaceRevision.author_id == current_user.id, PlaceRevision.place_id.in_(ids))
    revisions = session.scalars(
        select(PlaceRevision).where(mine).order_by(PlaceRevision.updated_at.desc()).limit(50)
    ).all()
    claims = session.scalars(
        select(PlaceClaim).where(PlaceClaim.user_id == current_user.id).order_by(PlaceClaim.updated_at.desc())
    ).all()
    return render_template(
        "operators/home.html",
        places=places,
        revisions=revisions,
        claims=claims,
        figures=feedback.figures(session, ids),
        suggestions=feedback.open_feedback(session, ids),
        freshness=place_freshness,
        lead=current_app.config["LISTING_REMINDER_DAYS"],
        names=dict(
            session.execute(
                select(Place.id, Place.name).where(Place.id.in_([*ids, *(c.place_id for c in claims)]))
            ).all()
        ),
        today=utcnow().date(),
    )


# -- claims --------------------------------------------------------------------------------------
@bp.get("/operator/claim")
@operator_required
def find_place():
    text = (request.args.get("q") or "").strip()[:100]
    rows = []
    if text:
        like = f"%{text}%"
        rows = (
            db.session()
            .scalars(
                select(Place)
                .where(
                    Place.publication_state == "published",
                    or_(Place.name.like(like), Place.name_en.ilike(like), Place.id == text),
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
        answer_or_withdraw, back=url_for(".claim", claim_id=claim_id), refusals=REFUSALS,
        done=_("Answer sent to the staff.") if action == "answer" else _("Claim withdrawn."),
        after=lambda: action == "answer" and notify.staff(
            _("Answer on a claim"), absolute_url("moderation.claim", claim_id=item.id)))


# -- the listing editor --------------------------------------------------------------------------
@bp.route("/operator/places/new", methods=["GET", "POST"])
@operator_required
def new_place():
    return _edit(None)


@bp.route("/operator/places/<place_id>/edit", methods=["GET", "POST"])
@operator_required
def edit_place(place_id: str):
    return _edit(_own_place(place_id))


def _edit(place: Place | None):
    session = db.session()
    current = services.current_data(session, place) if place else {}
    form = listing_form(session, current, services.edit_token(session, place) if place else "new")
    status = 200
    if form.validate_on_submit():
        problem = locations.location_problem(session, form.region_id.data, form.lat.data, form.lon.data)
        if problem:
            form.lat.errors = [location_message(problem)]
            status = 400
        elif place is not None and form.token.data != services.edit_token(session, place):
            form, status = _stale(session, place), 409  # checked before any upload is stored
        else:
            try:
                data = form_data(session, form, current)
                if place is None:
                    revision = services.submit_new(session, current_user, data)
                else:
                    revision = services.submit_change(session, current_user, place, data, form.token.data)
            except EditError as exc:
                getattr(form, exc.field).errors = [exc.message]
                status = 400
            except services.OperatorError as exc:
                if exc.code == "stale":  # another request got in between the two checks
                    form, status = _stale(session, place), 409
                elif exc.code == "other_author":
                    form.name.errors = [_("Another operator of this listing has a change waiting for "
                                          "review. It must be decided or withdrawn before you send yours.")]
                    status = 409
                else:
                    form.name.errors = [_("Nothing has changed compared with the current version.")]
                    status = 400
            else:
                notify.staff(
                    _("Listing change to review: %(name)s", name=data["name"]),
                    absolute_url("moderation.revision", revision_id=revision.id),
                )
                flash(
                    _("Sent to the staff. The public sees the approved version until they approve it."),
                    "info",
                )
                return redirect(url_for(".revision", revision_id=revision.id)), 303
    elif form.is_submitted():
        status = 400
    return render_template(
        "operators/listing_form.html",
        form=form,
        place=place,
        open_revision=services.open_revision(session, place.id) if place else None,
        map_config=_map_config(),
    ), status


def _stale(session, place: Place):
    """The form sent was opened on an older version (or sent twice): show the current one instead,
    so nothing is overwritten blindly."""
    flash(
        _(
            "This listing changed since you opened the form (or the form was sent twice). "
            "Nothing was overwritten: check the current version and edit again."
        ),
        "error",
    )
    current = services.current_data(session, place)
    return listing_form(session, current, services.edit_token(session, place), fill=True)


def _map_config() -> dict:
    from portal.places.directory import map_config

    return map_config()


@bp.post("/operator/places/<place_id>/confirm")
@operator_required
def confirm(place_id: str):
    place = _own_place(place_id)
    freshness.confirm(db.session(), current_user, place)
    flash(_("Thank you: the listing is confirmed as current."), "info")
    return redirect(url_for(".home")), 303


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
        back=url_for(".revision", revision_id=revision_id), refusals=REFUSALS,
        done=_("Answer sent to the staff.") if action == "answer" else _("Change withdrawn."),
        after=lambda: action == "answer" and notify.staff(
            _("Answer on a listing change"),
            absolute_url("moderation.revision", revision_id=rev.id)))


@bp.get("/operator/photos/<file_id>")
@role_required("operator")
def photo_preview(file_id: str):
    """A photo not yet public, for the operator who uploaded it."""
    record = db.session().get(StoredFile, file_id)
    if record is None or record.uploaded_by != current_user.id or record.extension != "jpg":
        abort(404)
    return send_file(files.path_of(current_app.config["UPLOAD_DIR"], record), mimetype="image/jpeg")


@bp.app_template_global("place_code_words")
def place_code_words() -> dict[str, dict[str, str]]:
    """Coded listing fields in words, for showing a listing change to staff and operators."""
    from portal.core import labels
    from portal.i18n import localized
    from portal.places import taxonomy
    from portal.regions.services import all_regions

    def words(mapping) -> dict[str, str]:
        return {k: str(v) for k, v in mapping.items()}

    return {
        "type": taxonomy.type_labels(), "status": words(labels.PLACE_STATUSES), "level": words(labels.LEVELS),
        "industries": taxonomy.industries(), "services": taxonomy.services(),
        "geo_precision": words(labels.GEO_PRECISION),
        "region_id": {r.id: localized(r, "name") for r in all_regions(db.session())},
    }
