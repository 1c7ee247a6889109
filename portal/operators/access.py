"""Who may use the operator pages: a signed-in operator whose email address is proven."""

from __future__ import annotations

from functools import wraps

from flask import abort, make_response, render_template
from flask_login import current_user

from portal import db
from portal.accounts.auth import role_required
from portal.operators import registration, services
from portal.places.models import Place


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


def own_place(place_id: str) -> Place:
    """The listing `place_id`, when the signed-in operator runs it (else 404 or 403)."""
    place = db.session().get(Place, place_id)
    if place is None:
        abort(404)
    if not services.is_operator_of(db.session(), current_user, place_id):
        # Say why and what to do instead of a bare "forbidden".
        abort(make_response(render_template("operators/not_yours.html", place=place), 403))
    return place
