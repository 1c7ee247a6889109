"""Eligibility: benefits and their rules as data, the pure engine, the wizard and the rules check."""

from flask import Blueprint

bp = Blueprint("eligibility", __name__)

# Imported for their routes, after `bp` exists.
from portal.eligibility import views  # noqa: E402, F401
