"""Sign-in sessions (Flask-Login) and the role check every staff route carries."""

from __future__ import annotations

from functools import wraps

from flask import Flask, redirect, render_template, request, url_for
from flask_login import LoginManager, current_user

from portal import db
from portal.accounts.models import User

login_manager = LoginManager()


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def _load(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        return db.session().get(User, int(user_id))


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
