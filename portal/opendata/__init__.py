"""Open data: the policy library, benefits with their rules and the directory as files to download."""

from flask import Blueprint

bp = Blueprint("opendata", __name__, url_prefix="/data")

# Imported for their routes, after `bp` exists.
from portal.opendata import views  # noqa: E402, F401
