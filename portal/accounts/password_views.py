"""Forgotten passwords: a link by email, then a new password."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for

from portal import db
from portal.accounts import auth, bp, mail, services
from portal.accounts.forms import ForgotForm, ResetForm
from portal.accounts.models import User
from portal.core.audit import audit
from portal.core.urls import absolute_url
from portal.i18n import gettext as _


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot():
    form = ForgotForm()
    if form.validate_on_submit():
        user = db.session().query(User).filter_by(email=services.normalise_email(form.email.data)).first()
        if user is not None and user.active:
            token = services.reset_token(current_app.config["SECRET_KEY"], user)
            link = absolute_url(".reset", token=token)
            mail.send(
                user.email,
                _("Reset your password"),
                _("Use this link within one hour to choose a new password:") + f"\n\n{link}\n",
            )
        # The same answer whether or not the account exists.
        flash(_("If an account uses that address, we have sent it a link to reset the password."), "info")
        return redirect(url_for(".login"))
    return render_template("accounts/forgot.html", form=form), 400 if form.is_submitted() else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    session_db = db.session()
    try:
        user = services.user_for_reset_token(session_db, current_app.config["SECRET_KEY"], token)
    except services.AccountError:
        return render_template("accounts/reset_invalid.html"), 400
    form = ResetForm()
    if form.validate_on_submit():
        user.password_hash = services.hash_password(form.password.data)
        auth.end_sessions(user)  # whoever knew the old password is signed out everywhere
        audit(session_db, user, "user", str(user.id), "reset_password")
        flash(_("Your password has been changed. Sign in with it now."), "info")
        return redirect(url_for(".login"))
    return render_template("accounts/reset.html", form=form), 400 if form.is_submitted() else 200
