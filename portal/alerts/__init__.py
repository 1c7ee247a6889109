"""Alerts without an account: email digests of new or changed content, and saved eligibility checks."""

from flask import Blueprint

bp = Blueprint("alerts", __name__, url_prefix="/alerts")

# Imported for their routes, after `bp` exists.
from portal.alerts import check_views, link_views, subscribe_views  # noqa: E402, F401
