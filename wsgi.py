"""WSGI entry point for gunicorn: `gunicorn wsgi:app`."""

from portal import create_app
from portal.core.urls import require_base_url

app = create_app()
require_base_url(app)
