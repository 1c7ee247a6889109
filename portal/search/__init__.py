"""Site-wide search behind one interface (`SearchBackend`); Whoosh is the embedded backend."""

from flask import Blueprint

bp = Blueprint("search", __name__)

# Imported for their routes, after `bp` exists.
from portal.search import views  # noqa: E402, F401
