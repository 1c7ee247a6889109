"""Events (双创活动): competitions, roadshows, trainings, salons, the 双创 week, open days.

Public pages on `bp`; operators' own events on `operator_bp` (personal pages, never cached);
the events part of API v1 on `api_bp`.
Staff moderation of events is in the back office (portal/staff/event_views.py).
"""

from flask import Blueprint

bp = Blueprint("events", __name__)
api_bp = Blueprint("events_api", __name__, url_prefix="/api/v1")
operator_bp = Blueprint("event_operators", __name__, url_prefix="/operator/events")

# Imported for their routes, after the blueprints exist.
from portal.events import api_views, ical_views, operator_views, views  # noqa: E402, F401
