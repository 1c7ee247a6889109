"""Back office: events proposed by editors and operators, decided by a reviewer who is not the author."""

from __future__ import annotations

from flask import abort, current_app, render_template, url_for
from sqlalchemy import select

from portal import db
from portal.accounts.auth import role_required
from portal.core.clock import utcnow
from portal.events import workflow
from portal.events.forms import EventForm
from portal.events.models import Event, EventRevision
from portal.events.moderation import act, events_waiting, handle, revision_page
from portal.operators.workflow import working_days_between
from portal.staff import bp

bp.add_app_template_global(events_waiting, "events_waiting")


@bp.get("/events/")
@role_required("editor")
def event_queue():
    session = db.session()
    now = utcnow()
    limit = current_app.config["MODERATION_FLAG_WORKING_DAYS"]
    rows = session.scalars(select(EventRevision).order_by(EventRevision.submitted_at)).all()
    waiting = [
        (r, working_days_between(r.submitted_at.date(), now.date()))
        for r in rows
        if r.state in workflow.OPEN_STATES
    ]
    return render_template(
        "events/queue.html",
        waiting=waiting,
        limit=limit,
        decided=[r for r in reversed(rows) if r.state not in workflow.OPEN_STATES][:30],
        undated=session.scalars(select(Event).where(Event.starts_at.is_(None)).order_by(Event.title)).all(),
    )


@bp.route("/events/new", methods=["GET", "POST"])
@role_required("editor")
def new_event():
    form = EventForm()
    response = handle(form, event=None, own_places=None, done_endpoint="staff.event_revision")
    return response or render_template("events/form.html", form=form, event=None, operator=False)


@bp.route("/events/<event_id>/edit", methods=["GET", "POST"])
@role_required("editor")
def edit_event(event_id: str):
    event = db.session().get(Event, event_id)
    if event is None:
        abort(404)
    form = EventForm()
    response = handle(form, event=event, own_places=None, done_endpoint="staff.event_revision")
    return response or render_template("events/form.html", form=form, event=event, operator=False)


@bp.get("/events/revisions/<int:revision_id>")
@role_required("editor")
def event_revision(revision_id: int):
    rev = db.session().get(EventRevision, revision_id)
    if rev is None:
        abort(404)
    return revision_page(rev, "staff")


@bp.post("/events/revisions/<int:revision_id>/<action>")
@role_required("editor")
def event_revision_action(revision_id: int, action: str):
    rev = db.session().get(EventRevision, revision_id)
    if rev is None or action not in workflow.STAFF_ACTIONS + workflow.AUTHOR_ACTIONS:
        abort(404)
    return act(rev, action, url_for(".event_revision", revision_id=rev.id))
