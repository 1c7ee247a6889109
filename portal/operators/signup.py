"""Operator sign-up: the form, the email that proves the address, and where it leads next."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from portal import db
from portal.accounts import mail
from portal.accounts.models import User
from portal.accounts.services import AccountError, normalise_email
from portal.core.urls import absolute_url
from portal.i18n import gettext as _
from portal.operators import bp, notify, registration, services
from portal.operators.forms import SignupForm


def continue_path(raw: str | None) -> str | None:
    """Where to go after signing up: only the portal's own operator pages (not an open redirect)."""
    if not raw or not raw.startswith("/operator/") or "//" in raw or "\\" in raw or len(raw) > 300:
        return None
    return raw


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
    return (
        render_template("operators/signup.html", form=form, next_path=next_path),
        400 if form.is_submitted() else 200,
    )


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
