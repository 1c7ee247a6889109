"""Public JSON API v1 (contract in PRODUCT.md: add fields, never rename or remove)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Imported for their routes, after `bp` exists.
from portal.api import views  # noqa: E402, F401
