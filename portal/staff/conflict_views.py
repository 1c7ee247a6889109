"""Back-office pages for content conflicts: a file changed an item staff had changed; staff decide."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from portal import db
from portal.accounts.auth import role_required
from portal.content import conflicts
from portal.content.models import ContentConflict
from portal.core import params
from portal.i18n import gettext as _
from portal.staff import bp


class ConflictForm(FlaskForm):
    """CSRF only; the choice comes from the button pressed."""


@bp.get("/conflicts")
@role_required("reviewer")
def content_conflicts():
    session = db.session()
    state = params.choice("state", ("open", "decided"), "open")
    stmt = select(ContentConflict).order_by(ContentConflict.created_at.desc(), ContentConflict.id.desc())
    stmt = stmt.where(ContentConflict.state == "open" if state == "open" else ContentConflict.state != "open")
    rows = list(session.scalars(stmt.limit(200)))
    return render_template("staff/conflicts.html", rows=rows, state=state)


@bp.get("/conflicts/<int:conflict_id>")
@role_required("reviewer")
def content_conflict(conflict_id: int):
    row = db.session().get(ContentConflict, conflict_id)
    if row is None:
        abort(404)
    if row.entity_type == "policy":
        changes = conflicts.field_diff(row.db_data, row.file_data)
    else:
        changes = conflicts.benefit_changes(row.db_data, row.file_data)
    return render_template("staff/conflict.html", row=row, changes=changes, form=ConflictForm())


@bp.post("/conflicts/<int:conflict_id>")
@role_required("reviewer")
def decide_conflict(conflict_id: int):
    session = db.session()
    row = session.get(ContentConflict, conflict_id)
    if row is None:
        abort(404)
    if not ConflictForm().validate_on_submit():
        abort(400, description=_("The form has expired. Reload the page and try again."))
    choice = request.form.get("choice", "")
    if choice not in conflicts.CHOICES:
        abort(400, description=_("Choose which version to keep."))
    try:
        conflicts.decide(session, current_user, row, choice)
    except conflicts.DecisionError:
        flash(_("This conflict was already decided, or its item no longer exists."), "error")
        return redirect(url_for(".content_conflict", conflict_id=conflict_id), 303)
    flash(
        _("The file version replaced the database version.")
        if choice == "take_file"
        else _("The database version stays; the file change is set aside."),
        "success",
    )
    return redirect(url_for(".content_conflicts"), 303)
