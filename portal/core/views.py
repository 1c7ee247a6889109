"""Home page and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template
from sqlalchemy import text

from portal import db
from portal.policies import services as policies
from portal.search.services import backend

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    session = db.session()
    return render_template(
        "home.html",
        latest=policies.latest_policies(session, limit=6),
        categories=policies.all_categories(session),
    )


@bp.get("/healthz")
def healthz():
    """Ok once the database answers and the search index can be read."""
    problems = []
    try:
        db.session().execute(text("SELECT 1"))
    except Exception:  # any database failure means "not ready"
        current_app.logger.exception("health check: database")
        problems.append("database")
    if not backend().is_ready():
        problems.append("search_index")
    if problems:
        return jsonify({"status": "unavailable", "problems": problems}), 503
    return jsonify({"status": "ok"})
