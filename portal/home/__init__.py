"""The home page: search box, latest policies, categories and the entry points."""

from flask import Blueprint

bp = Blueprint("home", __name__)

# Imported for their routes, after `bp` exists.
from portal.home import views  # noqa: E402, F401
