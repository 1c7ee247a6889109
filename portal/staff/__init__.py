"""The back office: the staff blueprint, its routes in task modules (imported below, so this file
and the app factory show every back-office area). Moderation of operators' listings and claims has
its own blueprint (`/staff/moderation`) in listing_moderation_views, registered by the factory."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

# Imported for their routes, after `bp` exists.
from portal.staff import (  # noqa: E402, F401
    audit_views,
    benefit_views,
    conflict_views,
    home_views,
    policy_views,
    revision_views,
    user_views,
)
