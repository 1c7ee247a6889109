"""Error pages and JSON errors: a clear message naming the field, never a traceback."""

from __future__ import annotations

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, SecurityError

from portal.core.params import BadParameter


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def json_error(status: int, code: str, message: str, field: str | None = None):
    """The API's error shape: {"error": {"code", "field", "message"}}."""
    body = {"error": {"code": code, "field": field, "message": message}}
    return jsonify(body), status


def _rollback() -> None:
    session = g.get("db_session")
    if session is not None:
        session.rollback()


def init_app(app: Flask) -> None:
    @app.errorhandler(BadParameter)
    def _bad_parameter(exc: BadParameter):
        if _wants_json():
            return json_error(400, exc.code, str(exc.message), exc.field)
        return render_template("errors/400.html", field=exc.field, message=exc.message), 400

    @app.errorhandler(SecurityError)
    def _untrusted_host(exc: SecurityError):
        # A Host outside TRUSTED_HOSTS: no URLs can be built for it, so no templated page.
        return app.response_class("Unknown host\n", status=400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        if _wants_json():
            return json_error(status, (exc.name or "error").lower().replace(" ", "_"),
                              exc.description or exc.name)
        template = "errors/404.html" if status == 404 else "errors/generic.html"
        return render_template(template, status=status, title=exc.name), status

    @app.errorhandler(StaleDataError)
    def _concurrent_change(exc: StaleDataError):
        # Two requests changed the same row at once (optimistic locking): the later one is refused.
        _rollback()
        if _wants_json():
            return json_error(409, "conflict", _("Someone else changed this at the same time. Try again."))
        return render_template("errors/409.html"), 409

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s", request.path)
        _rollback()  # the page below reads the database (signed-in user); a failed transaction would fail it
        if _wants_json():
            return json_error(500, "internal_error", _("Something went wrong on our side."))
        return render_template("errors/500.html"), 500
