"""Events (双创活动): competitions, roadshows, trainings, salons, the 双创 week, open days."""

from flask import Blueprint

bp = Blueprint("events", __name__)

# Imported for their routes, after `bp` exists.
from portal.events import views  # noqa: E402, F401
