"""The home page."""

from __future__ import annotations

from flask import Blueprint, render_template

from portal import db
from portal.policies import services as policies

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    session = db.session()
    return render_template(
        "home.html",
        latest=policies.latest_policies(session, limit=6),
        categories=policies.all_categories(session),
    )
