"""Sign-in sessions (Flask-Login) and the role check every staff route carries."""

from __future__ import annotations

from functools import wraps

from flask import Flask, current_app, redirect, render_template, request, session, url_for
from flask_login import LoginManager, current_user, login_user
from flask_login.config import COOKIE_NAME

from portal import db
from portal.accounts.models import User

GENERATION_KEY = "_gen"


class _LoginManager(LoginManager):
    """Flask-Login with its "strong" protection kept to sessions that can sign someone in."""

    def _session_protection_failed(self) -> bool:
        # An anonymous visitor's session (a form's CSRF token) signs nobody in: left as it is, not
        # rewritten on every page, so their public pages stay public and cacheable. A session
        # holding a user, or a "remember me" cookie, is checked as before.
        remember = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
        if "_user_id" not in session and remember not in request.cookies:
            return False
        return super()._session_protection_failed()


login_manager = _LoginManager()


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def _load(user_id: str) -> User | None:
        if not (user_id.isascii() and user_id.isdigit()):
            return None
        user = db.session().get(User, int(user_id))
        # Server-side validity: signing out or a password change bumps the generation, which ends
        # every session signed before it, a copied cookie included.
        if user is None or session.get(GENERATION_KEY) != user.session_generation:
            return None
        return user

    @app.after_request
    def _no_store_when_signed_in(response):
        # Pages for a signed-in person must not stay in a shared or back-button cache.
        if session.get("_user_id") is not None:
            response.headers["Cache-Control"] = "no-store"
        return response


def start_session(user: User) -> None:
    """Sign `user` in for this browser, at the account's current session generation."""
    login_user(user)
    session[GENERATION_KEY] = user.session_generation


def end_sessions(user: User) -> None:
    """End every session of `user` (this one and any other browser or copied cookie)."""
    user.session_generation = (user.session_generation or 0) + 1


def role_required(role: str):
    """Allow the view only to signed-in users holding `role` (or a role that includes it)."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("accounts.login", next=request.full_path))
            if not current_user.can(role):
                # Say why and what to do instead, not a bare "forbidden".
                return render_template("errors/403.html", needed=role), 403
            return view(*args, **kwargs)

        wrapper.required_role = role  # read by the test that walks the URL map
        return wrapper

    return decorate
