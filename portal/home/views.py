"""The home page."""

from __future__ import annotations

from flask import render_template

from portal import db
from portal.home import bp
from portal.policies import services as policies


@bp.get("/")
def index():
    session = db.session()
    return render_template(
        "home.html",
        latest=policies.latest_policies(session, limit=6, rows_only=True),
        categories=policies.all_categories(session),
    )
