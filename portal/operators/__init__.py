"""Operators keep their own listings: sign-up, claims, the listing editor and their changes.

One blueprint for operators; its routes live in the task modules imported below (so this file and
the app factory show every operator page). What the public does on a listing (suggest a correction,
report a problem, see its photos) is on `place_help_bp`.
"""

from flask import Blueprint

bp = Blueprint("operators", __name__)
place_help_bp = Blueprint("place_help", __name__)

# Imported for their routes, after the blueprints exist.
from portal.operators import claims, listing, public_views, revisions, signup  # noqa: E402, F401
