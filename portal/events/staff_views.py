"""Posting events through moderation: staff for any event, operators for their own listings.

Editors and operators propose; a reviewer (never the author) approves, rejects or asks. Each view
checks role and ownership, calls a service in editing.py and redirects; errors name the field.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from portal import db
from portal.accounts.auth import role_required
from portal.accounts.models import User
from portal.core.clock import utcnow
from portal.events import editing, taxonomy, workflow
from portal.events.forms import FIELD_LABELS, ActionForm, EventForm
from portal.events.models import Event, EventRevision
from portal.i18n import localized
from portal.operators import notify
from portal.operators import services as operator_services
from portal.operators.access import operator_required
from portal.operators.workflow import working_days_between
from portal.places.models import Place
from portal.regions.models import Region

bp = Blueprint("event_moderation", __name__, url_prefix="/staff/events")
operator_bp = Blueprint("event_operators", __name__, url_prefix="/operator/events")
DONE = {
    "approve": _l("Approved: the event is public."),
    "reject": _l("Rejected; the author has been told why."),
    "ask": _l("Question sent to the author."),
    "answer": _l("Answer sent; the change waits for staff again."),
    "withdraw": _l("Withdrawn."),
}


def events_waiting() -> int:
    """Proposed events waiting for a reviewer, for the listings queue's link."""
    stmt = select(func.count()).select_from(EventRevision).where(EventRevision.state == "pending")
    return db.session().scalar(stmt) or 0


bp.add_app_template_global(events_waiting, "events_waiting")


# -- the form ------------------------------------------------------------------------------------------
def _fill_choices(form: EventForm, own_places: list[Place] | None) -> None:
    session = db.session()
    form.kind.choices = list(taxonomy.kinds().items())
    form.fee.choices = list(taxonomy.fees().items())
    form.audience.choices = list(taxonomy.audiences().items())
    series = session.scalars(select(Event).where(Event.recurrence.is_not(None)).order_by(Event.title))
    form.series_id.choices = [("", _("None"))] + [(e.id, localized(e, "title")) for e in series]
    if own_places is not None:
        form.place_id.choices = [(p.id, localized(p, "name")) for p in own_places]
        form.region_id.choices = [("", _("The listing's region"))]
    else:
        places = session.scalars(
            select(Place).where(Place.publication_state == "published").order_by(Place.name)
        )
        form.place_id.choices = [("", _("None"))] + [(p.id, localized(p, "name")) for p in places]
        regions = session.scalars(select(Region).order_by(Region.position))
        form.region_id.choices = [("", _("Choose a region"))] + [
            (r.id, localized(r, "name")) for r in regions
        ]


def _handle(form: EventForm, *, event: Event | None, own_places: list[Place] | None, done_endpoint: str):
    """Validate and submit, or show the form again with every problem named (400)."""
    _fill_choices(form, own_places)
    if not form.is_submitted():
        if event is not None:
            form.process(data=editing.form_values(editing.event_fields(event)))
            _fill_choices(form, own_places)
        return None
    session = db.session()
    if form.validate():
        raw = {name: getattr(form, name).data for name in editing.EDITABLE if hasattr(form, name)}
        allowed = {p.id for p in own_places} if own_places is not None else None
        try:
            data = editing.clean(
                session,
                raw,
                is_new=event is None,
                allowed_places=allowed,
                undated_ok=event is not None and event.recurrence is not None,
            )
            revision = (
                editing.submit_new(session, current_user, data)
                if event is None
                else editing.submit_change(session, current_user, event, data)
            )
        except editing.EventInputError as exc:
            for name, message in exc.problems.items():
                getattr(form, name).errors = [*getattr(form, name).errors, str(message)]
        else:
            notify.staff(
                _("An event waits for review"),
                url_for("event_moderation.revision", revision_id=revision.id, _external=True),
            )
            flash(_("Sent to the staff for review. The event is public once a reviewer approves it."), "info")
            return redirect(url_for(done_endpoint, revision_id=revision.id)), 303
    return render_template("events/form.html", form=form, event=event, operator=own_places is not None), 400


# -- staff -----------------------------------------------------------------------------------------------
@bp.get("/")
@role_required("editor")
def queue():
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


@bp.route("/new", methods=["GET", "POST"])
@role_required("editor")
def new():
    form = EventForm()
    response = _handle(form, event=None, own_places=None, done_endpoint="event_moderation.revision")
    return response or render_template("events/form.html", form=form, event=None, operator=False)


@bp.route("/<event_id>/edit", methods=["GET", "POST"])
@role_required("editor")
def edit(event_id: str):
    event = db.session().get(Event, event_id)
    if event is None:
        abort(404)
    form = EventForm()
    response = _handle(form, event=event, own_places=None, done_endpoint="event_moderation.revision")
    return response or render_template("events/form.html", form=form, event=event, operator=False)


@bp.get("/revisions/<int:revision_id>")
@role_required("editor")
def revision(revision_id: int):
    rev = db.session().get(EventRevision, revision_id)
    if rev is None:
        abort(404)
    return _revision_page(rev, "staff")


@bp.post("/revisions/<int:revision_id>/<action>")
@role_required("editor")
def revision_action(revision_id: int, action: str):
    rev = db.session().get(EventRevision, revision_id)
    if rev is None or action not in workflow.STAFF_ACTIONS + workflow.AUTHOR_ACTIONS:
        abort(404)
    return _act(rev, action, url_for(".revision", revision_id=rev.id))


# -- operators --------------------------------------------------------------------------------------------
def _own_places() -> list[Place]:
    session = db.session()
    ids = operator_services.operated_place_ids(session, current_user.id)
    return [p for p in (session.get(Place, pid) for pid in ids) if p is not None]


@operator_bp.get("/")
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


@operator_bp.route("/new", methods=["GET", "POST"])
@operator_required
def operator_new():
    places = _own_places()
    if not places:
        abort(403)
    form = EventForm()
    if not form.is_submitted() and request.args.get("place") in {p.id for p in places}:
        form.place_id.data = request.args["place"]
    response = _handle(form, event=None, own_places=places, done_endpoint="event_operators.revision")
    return response or render_template("events/form.html", form=form, event=None, operator=True)


@operator_bp.get("/revisions/<int:revision_id>", endpoint="revision")
@operator_required
def revision_for_operator(revision_id: int):
    rev = db.session().get(EventRevision, revision_id)
    if rev is None:
        abort(404)
    if rev.author_id != current_user.id:
        abort(403)
    return _revision_page(rev, "author")


@operator_bp.post("/revisions/<int:revision_id>/<action>")
@operator_required
def operator_action(revision_id: int, action: str):
    rev = db.session().get(EventRevision, revision_id)
    if rev is None or action not in workflow.AUTHOR_ACTIONS:
        abort(404)
    if rev.author_id != current_user.id:
        abort(403)
    return _act(rev, action, url_for(".revision", revision_id=rev.id))


# -- shared ------------------------------------------------------------------------------------------------
def _revision_page(rev: EventRevision, side: str):
    session = db.session()
    is_author = rev.author_id == current_user.id
    staff_actions = (
        [a for a in workflow.available(rev.state, "staff") if current_user.can("reviewer") and not is_author]
        if side == "staff"
        else []
    )
    author_actions = workflow.available(rev.state, "author") if is_author else []
    target = ".revision_action" if side == "staff" else ".operator_action"
    return render_template(
        "events/revision.html",
        rev=rev,
        event=session.get(Event, rev.event_id),
        form=ActionForm(),
        changes=editing.field_changes(rev.base, rev.data),
        field_labels=FIELD_LABELS,
        actions=staff_actions + author_actions,
        side=side,
        target=lambda action: url_for(target, revision_id=rev.id, action=action),
        history=operator_services.history(session, "event_revision", rev.event_id, "revision", rev.number),
        author=session.get(User, rev.author_id),
    )


def _act(rev: EventRevision, action: str, back: str):
    session = db.session()
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("Reason: use plain text, at most 4000 characters."), "error")
        return redirect(back), 303
    expected = request.form.get("version", "")
    if not expected.isdigit() or int(expected) != rev.version:
        flash(_("Someone else acted on this while you were reading it. Check it again."), "error")
        return redirect(back), 303
    try:
        editing.act(session, current_user, rev, action, form.reason.data or None)
        session.flush()
    except workflow.WorkflowError as exc:
        messages = {
            "reason_required": _("Give a reason: the author is told it."),
            "own_change": _("You cannot decide on your own proposal: another reviewer must."),
            "role": _("Only a reviewer can decide on a proposed event."),
        }
        flash(messages.get(exc.code, _("This action is not possible in the current state.")), "error")
        return redirect(back), 303
    except StaleDataError:
        session.rollback()
        flash(_("Someone else acted on this while you were reading it. Check it again."), "error")
        return redirect(back), 303
    if action in workflow.STAFF_ACTIONS:
        author = session.get(User, rev.author_id)
        endpoint = "event_operators.revision" if author.role == "operator" else "event_moderation.revision"
        notify.decision(
            author,
            _("Your event %(title)s", title=rev.data.get("title", "")),
            action,
            form.reason.data,
            url_for(endpoint, revision_id=rev.id, _external=True),
        )
    flash(str(DONE[action]), "info")
    return redirect(back), 303
