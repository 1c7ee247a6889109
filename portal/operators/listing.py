"""The operator's home and listing editor: every field, the pin, photos, "still current"."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlalchemy import or_, select

from portal import db
from portal.accounts.auth import role_required
from portal.core import files
from portal.core.clock import utcnow
from portal.core.files import StoredFile
from portal.core.urls import absolute_url
from portal.i18n import gettext as _
from portal.operators import bp, feedback, freshness, locations, notify, services
from portal.operators.access import operator_required, own_place
from portal.operators.editing import EditError, form_data, listing_form, location_message
from portal.operators.models import PlaceClaim, PlaceRevision
from portal.places import freshness as place_freshness
from portal.places.models import Place


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


@bp.route("/operator/places/new", methods=["GET", "POST"])
@operator_required
def new_place():
    return _edit(None)


@bp.route("/operator/places/<place_id>/edit", methods=["GET", "POST"])
@operator_required
def edit_place(place_id: str):
    return _edit(own_place(place_id))


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
                    form.name.errors = [
                        _(
                            "Another operator of this listing has a change waiting for "
                            "review. It must be decided or withdrawn before you send yours."
                        )
                    ]
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
    place = own_place(place_id)
    freshness.confirm(db.session(), current_user, place)
    flash(_("Thank you: the listing is confirmed as current."), "info")
    return redirect(url_for(".home")), 303


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
        "type": taxonomy.type_labels(),
        "status": words(labels.PLACE_STATUSES),
        "level": words(labels.LEVELS),
        "industries": taxonomy.industries(),
        "services": taxonomy.services(),
        "geo_precision": words(labels.GEO_PRECISION),
        "region_id": {r.id: localized(r, "name") for r in all_regions(db.session())},
    }
