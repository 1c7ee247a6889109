"""Home page and the health check."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, render_template, send_from_directory
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


VENDOR = {"leaflet": "xstatic.pkg.leaflet", "markercluster": "xstatic.pkg.leaflet_markercluster"}


@bp.get("/vendor/<package>/<path:filename>")
def vendor(package: str, filename: str):
    """Front-end libraries installed by pip (XStatic packages), served by the portal itself."""
    import importlib

    if package not in VENDOR:
        abort(404)
    folder = importlib.import_module(VENDOR[package]).BASE_DIR
    return send_from_directory(folder, filename, max_age=7 * 24 * 3600)


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
