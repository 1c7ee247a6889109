"""Sign in (with a second factor for staff), unlocking a slowed-down account, and sign out."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from portal import db
from portal.accounts import auth, bp, mail, services, totp
from portal.accounts.forms import CodeForm, LoginForm
from portal.accounts.models import User
from portal.core.audit import audit
from portal.core.clock import utcnow
from portal.core.urls import absolute_url
from portal.i18n import gettext as _

PENDING_SECONDS = 600  # time allowed between password and second factor


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so a crafted link cannot send people elsewhere after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    if current_user.is_authenticated and current_user.is_staff:
        return url_for("staff.home")
    if current_user.is_authenticated and current_user.role == "operator":
        return url_for("operators.home")
    return "/"


def _finish_login(user: User) -> None:
    nxt = session.get("next")
    session.clear()  # a new session after sign-in: nothing carried over from before
    auth.start_session(user)
    user.last_login_at = utcnow()
    audit(db.session(), user, "user", str(user.id), "sign_in")
    session["next"] = nxt


def _throttled_message(email: str) -> str:
    wait = services.wait_seconds(db.session(), email, request.remote_addr or "?")
    return _(
        "Too many failed attempts. Wait %(n)s seconds and try again. If this is your account, "
        "we have emailed you a link to sign in without waiting.",
        n=max(wait, 1),
    )


def _offer_unlock(email: str) -> None:
    """When an account starts to slow down, email its owner a link that lifts the wait."""
    session_db = db.session()
    user = session_db.query(User).filter_by(email=services.normalise_email(email)).first()
    if user is None or not user.active:
        return
    if services.failures_in_a_row(session_db, user.email) != services.FREE_FAILURES:
        return
    token = services.unlock_token(current_app.config["SECRET_KEY"], user)
    link = absolute_url("accounts.unlock", token=token)
    mail.send(
        user.email,
        _("Sign-in attempts on your account"),
        _(
            "Someone entered a wrong password for your account several times, so sign-in now "
            "waits between attempts. If it was you, this link lets you sign in without waiting "
            "(valid for one day):"
        )
        + f"\n\n{link}\n\n"
        + _("If it was not you, nothing else is needed: your password was not accepted."),
    )


def _pending_user() -> User | None:
    uid, since = session.get("pending_user"), session.get("pending_at", 0)
    if not uid or time.time() - since > PENDING_SECONDS:
        return None
    return db.session().get(User, uid)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                db.session(), form.email.data, form.password.data, request.remote_addr or "?"
            )
        except services.AccountError as exc:
            if exc.code == "bad_credentials":
                _offer_unlock(form.email.data)
            db.session().commit()  # keep the failed attempt even though we answer with an error
            status = 429 if exc.code == "throttled" else 401
            form.password.errors.append(
                _throttled_message(form.email.data)
                if exc.code == "throttled"
                else _("The email address or password is not right.")
            )
        else:
            session["next"] = request.args.get("next")
            if user.is_staff:
                session["pending_user"], session["pending_at"] = user.id, time.time()
                if user.totp_confirmed:
                    return redirect(url_for(".verify"))
                return redirect(url_for(".setup_totp"))
            _finish_login(user)
            return redirect(_safe_next(session.pop("next", None)))
    elif form.is_submitted():
        status = 400
    return render_template("accounts/login.html", form=form), status


@bp.route("/login/verify", methods=["GET", "POST"])
def verify():
    user = _pending_user()
    if user is None:
        flash(_("Sign in again: the sign-in took too long."), "error")
        return redirect(url_for(".login"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        session_db = db.session()
        if services.is_throttled(session_db, user.email, request.remote_addr or "?"):
            form.code.errors.append(_throttled_message(user.email))
            return render_template("accounts/verify.html", form=form), 429
        if services.verify_second_factor(session_db, user, form.code.data):
            _finish_login(user)
            return redirect(_safe_next(session.pop("next", None)))
        services.record_failure(session_db, user, request.remote_addr or "?")
        session_db.commit()
        form.code.errors.append(_("This code is not right or has already been used."))
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("accounts/verify.html", form=form), status


@bp.route("/login/setup", methods=["GET", "POST"])
def setup_totp():
    user = _pending_user()
    if user is None or user.totp_confirmed:
        return redirect(url_for(".login"))
    if not user.totp_secret:
        user.totp_secret = totp.new_secret()
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        step = totp.verify(user.totp_secret, form.code.data)
        if step is not None:
            user.totp_confirmed = True
            user.totp_last_step = step
            codes = services.new_recovery_codes(user)
            audit(db.session(), user, "user", str(user.id), "enrol_second_factor")
            _finish_login(user)
            return render_template("accounts/recovery_codes.html", codes=codes)
        form.code.errors.append(_("This code is not right. Check the time on your phone and try again."))
        status = 400
    elif form.is_submitted():
        status = 400
    uri = totp.provisioning_uri(user.totp_secret, user.email, current_app.config["TOTP_ISSUER"])
    return render_template(
        "accounts/setup.html",
        form=form,
        secret=user.totp_secret,
        uri=uri,
        qr=totp.qr_svg(uri, _("QR code of the key for your authenticator app")),
    ), status


@bp.get("/login/unlock/<token>")
def unlock(token: str):
    try:
        services.unlock(db.session(), current_app.config["SECRET_KEY"], token, request.remote_addr or "?")
    except services.AccountError:
        flash(_("This link is not valid any more. Wait and try again, or reset your password."), "error")
        return redirect(url_for(".login"))
    flash(_("You can sign in now without waiting."), "info")
    return redirect(url_for(".login"))


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        auth.end_sessions(current_user)
        audit(db.session(), current_user, "user", str(current_user.id), "sign_out")
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("home.index"))
