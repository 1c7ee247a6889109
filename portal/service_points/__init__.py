"""Service points: the offices, platforms and hotlines where founders apply and ask."""

from flask import Blueprint

bp = Blueprint("service_points", __name__)

# Imported for their routes, after `bp` exists.
from portal.service_points import views  # noqa: E402, F401
