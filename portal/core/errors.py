"""Error pages and JSON errors: a clear message naming the field, never a traceback."""

from __future__ import annotations

from flask import Flask, g, jsonify, render_template, request
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, SecurityError

from portal.core.params import BadParameter
from portal.i18n import gettext as _

RETRY_AFTER_SECONDS = 60


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


# SQLSTATE classes of a database that cannot take changes now: a read-only transaction or standby
# (25006), out of disk or memory (53), shutting down (57), connection lost (08).
UNAVAILABLE_SQLSTATES = ("25006", "53", "57", "08")


def _database_unavailable(exc: BaseException) -> bool:
    """The database refuses work for a reason outside the request (read-only, disk full, locked)."""
    if isinstance(exc, OperationalError):
        return True
    state = getattr(getattr(exc, "orig", None), "sqlstate", None) if isinstance(exc, DBAPIError) else None
    return bool(state) and state.startswith(UNAVAILABLE_SQLSTATES)


def _server_error(app: Flask, exc: BaseException):
    """A 503 when the database cannot be used (read-only, disk full, locked), else a 500."""
    _rollback()  # the error page may read (the signed-in user), so leave a usable session
    if _database_unavailable(exc):
        app.logger.error("database unavailable on %s: %s", request.path, exc.orig)
        if _wants_json():
            response = json_error(503, "unavailable", _("The service cannot store changes right now."))
        else:
            response = render_template("errors/503.html"), 503
        return response[0], 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    app.logger.error("unhandled error on %s", request.path, exc_info=exc)
    if _wants_json():
        return json_error(500, "internal_error", _("Something went wrong on our side."))
    return render_template("errors/500.html"), 500


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
        original = getattr(exc, "original_exception", None)
        if original is not None:  # an exception after the view, e.g. a commit that failed
            return _server_error(app, original)
        status = exc.code or 500
        if _wants_json():
            return json_error(
                status, (exc.name or "error").lower().replace(" ", "_"), exc.description or exc.name
            )
        template = {404: "errors/404.html", 403: "errors/403.html"}.get(status, "errors/generic.html")
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
        return _server_error(app, exc)
