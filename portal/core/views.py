"""The portal's own plumbing: front-end libraries and the health check."""

from __future__ import annotations

from flask import abort, current_app, jsonify, send_from_directory

from portal.core import bp, health
from portal.core.caching import private

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
@private
def healthz():
    """Ok when the database can be read and written and the index is readable and in step."""
    found = health.problems(current_app)
    if found:
        return jsonify({"status": "unavailable", "problems": found}), 503
    return jsonify({"status": "ok"})
