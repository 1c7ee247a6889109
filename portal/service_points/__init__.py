"""Service points: the offices, platforms and hotlines where founders apply and ask.

Public pages (offices, topic guides) on `bp`; the staff's editing and review on `staff_bp`.
"""

from flask import Blueprint

bp = Blueprint("service_points", __name__)
staff_bp = Blueprint("service_points_staff", __name__, url_prefix="/staff/service-points")

# Imported for their routes, after the blueprints exist.
from portal.service_points import staff_views, views  # noqa: E402, F401
