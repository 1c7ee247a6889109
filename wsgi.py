"""WSGI entry point for gunicorn: `gunicorn wsgi:app`."""

from portal import create_app
from portal.core.urls import require_base_url
from portal.places.gazetteer import warm_up

app = create_app()
require_base_url(app)
# With `gunicorn --preload` (make run) this runs once, before the workers are forked.
warm_up()
