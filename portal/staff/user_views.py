"""Staff accounts: who may do what (administrators only)."""

from __future__ import annotations

import secrets

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from portal import db
from portal.accounts import mail
from portal.accounts import services as accounts
from portal.accounts.auth import role_required
from portal.accounts.forms import RoleForm, UserForm
from portal.accounts.models import ROLES, User
from portal.core.urls import absolute_url
from portal.i18n import gettext as _
from portal.publishing import services as publishing
from portal.staff import bp


@bp.route("/users", methods=["GET", "POST"])
@role_required("admin")
def users():
    session = db.session()
    form = UserForm()
    form.role.choices = [(r, r) for r in ROLES]
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                session, form.email.data, secrets.token_urlsafe(24), form.role.data, form.name.data
            )
        except accounts.AccountError:
            form.email.errors = [_("An account with this email address already exists.")]
            status = 400
        else:
            publishing.audit(session, current_user, "user", str(user.id), "create_user", to_state=user.role)
            token = accounts.reset_token(current_app.config["SECRET_KEY"], user)
            mail.send(
                user.email,
                _("Your account on the portal"),
                _("An account has been made for you. Choose your password here within one hour:")
                + "\n\n"
                + absolute_url("accounts.reset", token=token)
                + "\n",
            )
            flash(_("Account created; the person has been emailed a link to set a password."), "info")
            return redirect(url_for(".users")), 303
    elif form.is_submitted():
        status = 400
    rows = session.scalars(select(User).order_by(User.email)).all()
    return render_template("staff/users.html", form=form, rows=rows, roles=ROLES), status


@bp.post("/users/<int:user_id>")
@role_required("admin")
def update_user(user_id: int):
    session = db.session()
    user = session.get(User, user_id)
    if user is None:
        abort(404)
    form = RoleForm()
    form.role.choices = [(r, r) for r in ROLES]
    if form.validate_on_submit():
        if user.id == current_user.id and (form.role.data != "admin" or form.active.data != "1"):
            flash(_("You cannot remove your own administrator rights."), "error")
        else:
            before = f"{user.role}/{'active' if user.active else 'disabled'}"
            user.role = form.role.data
            user.active = form.active.data == "1"
            after = f"{user.role}/{'active' if user.active else 'disabled'}"
            publishing.audit(session, current_user, "user", str(user.id), "change_user", before, after)
            flash(_("Account updated."), "info")
    else:
        flash(_("The form could not be read. Try again."), "error")
    return redirect(url_for(".users")), 303
