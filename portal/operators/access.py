"""Who may use the operator pages: a signed-in operator whose email address is proven."""

from __future__ import annotations

from functools import wraps

from flask import render_template
from flask_login import current_user

from portal import db
from portal.accounts.auth import role_required
from portal.operators import registration


def _verified(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not registration.is_verified(db.session(), current_user):
            return render_template("operators/unverified.html"), 403
        return view(*args, **kwargs)

    return wrapper


def operator_required(view):
    """Signed in as an operator whose email address is proven."""
    return role_required("operator")(_verified(view))
