"""Accounts: staff, space operators and founders; sign-in with a second factor for staff."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

# Imported for their routes, after `bp` exists.
from portal.accounts import password_views, sign_in_views  # noqa: E402, F401
