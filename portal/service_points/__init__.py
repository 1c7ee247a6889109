"""Service points: the offices, platforms and hotlines where founders apply and ask.

The public pages (offices, topic guides) are here; the staff edit and review service points in
the back office (portal/staff/service_point_views.py).
"""

from flask import Blueprint

bp = Blueprint("service_points", __name__)

# Imported for their routes, after `bp` exists.
from portal.service_points import guide_views, office_views, page_helpers  # noqa: E402, F401
