"""What the public does on a listing: suggest a correction or report a problem, and see its photos."""

from __future__ import annotations

import re

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from portal import db
from portal.core import files
from portal.core.files import StoredFile
from portal.i18n import gettext as _
from portal.operators import feedback, notify, services
from portal.operators import place_help_bp as bp
from portal.operators.forms import FeedbackForm
from portal.places import services as place_services
from portal.places.models import Place


@bp.route("/places/<place_id>/feedback", methods=["GET", "POST"])
def place_feedback(place_id: str):
    session = db.session()
    place = session.get(Place, place_id)
    if place is None or not place.is_public:
        abort(404)
    form = FeedbackForm()
    if request.method == "GET" and request.args.get("kind") in feedback.KINDS:
        form.kind.data = request.args["kind"]
    status = 200
    if form.validate_on_submit():
        who = feedback.ip_hash(current_app.config["SECRET_KEY"], request.remote_addr or "?")
        try:
            item = feedback.add(
                session,
                place,
                form.kind.data,
                form.body.data,
                form.contact.data,
                who,
                current_app.config["FEEDBACK_PER_HOUR"],
            )
        except feedback.RateLimited:
            form.body.errors = [_("Too many reports from your connection in the last hour. Try again later.")]
            status = 429
        else:
            notify.feedback(place, item, services.operators_of(session, place.id))
            flash(_("Thank you. The operator and the portal staff will look at it."), "info")
            return redirect(url_for("places.detail", place_id=place.id)), 303
    elif form.is_submitted():
        status = 400
    return render_template("operators/feedback.html", form=form, place=place), status


@bp.get("/places/photos/<file_id>.jpg")
def public_photo(file_id: str):
    """A photo of a public listing."""
    session = db.session()
    if not re.fullmatch(r"[0-9a-f]{32}", file_id):
        abort(404)
    record = session.get(StoredFile, file_id)
    shown = record is not None and place_services.photo_is_public(session, file_id)
    if not shown:
        abort(404)
    return send_file(
        files.path_of(current_app.config["UPLOAD_DIR"], record), mimetype="image/jpeg", max_age=3600
    )
