"""The staff dashboard: the 评价标准要点 items the portal can measure, over time and by region."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/staff/dashboard")

# Imported for their routes, after `bp` exists.
from portal.dashboard import views  # noqa: E402, F401
