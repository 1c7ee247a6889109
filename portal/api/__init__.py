"""Public JSON API v1 (contract in PRODUCT.md: add fields, never rename or remove).

One blueprint; its routes live in the task modules imported below. The events part of the API is
in the events area (`portal/events/api_views.py`, its own blueprint under the same prefix).
"""

from flask import Blueprint

from portal.core.security import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # token-less JSON clients; nothing here changes stored data or uses a session

# Imported for their routes, after `bp` exists.
from portal.api import benefit_views, place_views, policy_views, search_views  # noqa: E402, F401
