"""Posting events through moderation, shared by the staff and operator pages: the form, a
revision's page and the actions on it.

Editors and operators propose; a reviewer (never the author) approves, rejects or asks. Views check
role and ownership and call these; services live in editing.py; errors name the field.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from portal import db
from portal.accounts.models import User
from portal.core.actions import decide
from portal.events import editing, taxonomy, workflow
from portal.events.forms import FIELD_LABELS, ActionForm, EventForm
from portal.events.models import Event, EventRevision
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.i18n import localized
from portal.operators import notify
from portal.operators import services as operator_services
from portal.places.models import Place
from portal.regions.models import Region

DONE = {
    "approve": _l("Approved: the event is public."),
    "reject": _l("Rejected; the author has been told why."),
    "ask": _l("Question sent to the author."),
    "answer": _l("Answer sent; the change waits for staff again."),
    "withdraw": _l("Withdrawn."),
}
# Refusals worded for events (the shared words cover the rest).
REFUSALS = {
    "reason_required": _l("Give a reason: the author is told it."),
    "own_change": _l("You cannot decide on your own proposal: another reviewer must."),
    "role": _l("Only a reviewer can decide on a proposed event."),
}
# Where each side reads a revision, and where it acts on it.
REVISION_PAGE = {"staff": "staff.event_revision", "author": "event_operators.revision"}
ACTION = {"staff": "staff.event_revision_action", "author": "event_operators.operator_action"}


def events_waiting() -> int:
    """Proposed events waiting for a reviewer, for the listings queue's link."""
    stmt = select(func.count()).select_from(EventRevision).where(EventRevision.state == "pending")
    return db.session().scalar(stmt) or 0


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


def handle(form: EventForm, *, event: Event | None, own_places: list[Place] | None, done_endpoint: str):
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
                url_for(REVISION_PAGE["staff"], revision_id=revision.id, _external=True),
            )
            flash(_("Sent to the staff for review. The event is public once a reviewer approves it."), "info")
            return redirect(url_for(done_endpoint, revision_id=revision.id)), 303
    return render_template("events/form.html", form=form, event=event, operator=own_places is not None), 400


def revision_page(rev: EventRevision, side: str):
    session = db.session()
    is_author = rev.author_id == current_user.id
    staff_actions = (
        [a for a in workflow.available(rev.state, "staff") if current_user.can("reviewer") and not is_author]
        if side == "staff"
        else []
    )
    author_actions = workflow.available(rev.state, "author") if is_author else []
    return render_template(
        "events/revision.html",
        rev=rev,
        event=session.get(Event, rev.event_id),
        form=ActionForm(),
        changes=editing.field_changes(rev.base, rev.data),
        field_labels=FIELD_LABELS,
        actions=staff_actions + author_actions,
        side=side,
        target=lambda action: url_for(ACTION[side], revision_id=rev.id, action=action),
        history=operator_services.history(session, "event_revision", rev.event_id, "revision", rev.number),
        author=session.get(User, rev.author_id),
    )


def act(rev: EventRevision, action: str, back: str):
    """Take `action` on the revision through the shared decide flow; the author hears of a decision."""
    session = db.session()
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("Reason: use plain text, at most 4000 characters."), "error")
        return redirect(back), 303

    def tell_author() -> None:
        author = session.get(User, rev.author_id)
        page = REVISION_PAGE["author" if author.role == "operator" else "staff"]
        notify.decision(
            author,
            _("Your event %(title)s", title=rev.data.get("title", "")),
            action,
            form.reason.data,
            url_for(page, revision_id=rev.id, _external=True),
        )

    return decide(
        lambda: editing.act(session, current_user, rev, action, form.reason.data or None),
        version=rev.version,
        back=back,
        done=DONE[action],
        refusals=REFUSALS,
        after=tell_author if action in workflow.STAFF_ACTIONS else None,
    )
