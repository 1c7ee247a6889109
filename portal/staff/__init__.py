"""The back office: the staff blueprint, its routes in task modules (imported below, so this file
and the app factory show every back-office area). Moderation of operators' listings and claims is
on `moderation_bp` (`/staff/moderation`, the links in operators' and staff's mail)."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")
moderation_bp = Blueprint("moderation", __name__, url_prefix="/staff/moderation")

# Imported for their routes, after the blueprints exist.
from portal.staff import (  # noqa: E402, F401
    audit_views,
    benefit_views,
    conflict_views,
    event_views,
    home_views,
    listing_moderation_views,
    policy_views,
    revision_views,
    service_point_views,
    synonym_views,
    user_views,
)
