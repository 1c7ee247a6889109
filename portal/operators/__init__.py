"""Operators keep their own listings: sign-up, claims, the listing editor and their changes.

One blueprint; its routes live in the task modules imported below (so this file and the app
factory show every operator page).
"""

from flask import Blueprint

bp = Blueprint("operators", __name__)

# Imported for their routes, after `bp` exists.
from portal.operators import claims, listing, revisions, signup  # noqa: E402, F401
