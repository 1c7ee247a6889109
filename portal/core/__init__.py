"""Cross-cutting web pieces: home page, errors, security headers, template helpers."""

from flask import Blueprint

bp = Blueprint("core", __name__)

# Imported for their routes, after `bp` exists.
from portal.core import views  # noqa: E402, F401
