"""Operators post events for their own listings and follow each through moderation."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal import db
from portal.events import operator_bp as bp
from portal.events import workflow
from portal.events.forms import EventForm
from portal.events.models import EventRevision
from portal.events.moderation import act, handle, revision_page
from portal.operators import services as operator_services
from portal.operators.access import operator_required
from portal.places.models import Place


def _own_places() -> list[Place]:
    session = db.session()
    ids = operator_services.operated_place_ids(session, current_user.id)
    return [p for p in (session.get(Place, pid) for pid in ids) if p is not None]


@bp.get("/")
@operator_required
def mine():
    """The operator's proposed events and the state of each."""
    rows = (
        db.session()
        .scalars(
            select(EventRevision)
            .where(EventRevision.author_id == current_user.id)
            .order_by(EventRevision.updated_at.desc())
        )
        .all()
    )
    return render_template("events/mine.html", revisions=rows, has_places=bool(_own_places()))


@bp.route("/new", methods=["GET", "POST"])
@operator_required
def operator_new():
    places = _own_places()
    if not places:
        abort(403)
    form = EventForm()
    if not form.is_submitted() and request.args.get("place") in {p.id for p in places}:
        form.place_id.data = request.args["place"]
    response = handle(form, event=None, own_places=places, done_endpoint="event_operators.revision")
    return response or render_template("events/form.html", form=form, event=None, operator=True)


@bp.get("/revisions/<int:revision_id>")
@operator_required
def revision(revision_id: int):
    rev = db.session().get(EventRevision, revision_id)
    if rev is None:
        abort(404)
    if rev.author_id != current_user.id:
        abort(403)
    return revision_page(rev, "author")


@bp.post("/revisions/<int:revision_id>/<action>")
@operator_required
def operator_action(revision_id: int, action: str):
    rev = db.session().get(EventRevision, revision_id)
    if rev is None or action not in workflow.AUTHOR_ACTIONS:
        abort(404)
    if rev.author_id != current_user.id:
        abort(403)
    return act(rev, action, url_for(".revision", revision_id=rev.id))
