"""The policy library (政策集中发布): documents, their guides and feeds."""

from flask import Blueprint

bp = Blueprint("policies", __name__)

# Imported for their routes, after `bp` exists.
from portal.policies import views  # noqa: E402, F401
